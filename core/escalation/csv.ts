/*
 * CSV as RFC 4180 writes it (CRLF rows, fields quoted when they hold a quote or line break), plus the OWASP guard
 * against formula injection: a spreadsheet runs a cell starting with = + - @ (or tab / CR, or blanks before one of
 * them) as a formula, so such text cells get a leading single quote. Numbers we produce ourselves are numbers.
 * A cell holding any separator a spreadsheet may pick on opening (comma, semicolon in many European locales, tab) is
 * quoted too: unquoted, `x;=cmd|…` read with `;` becomes two cells, the second a formula (issue 13 §5).
 *
 * Kept by hand rather than csv-stringify: the rule that matters here is per cell (the formula guard and the quoting
 * of every separator a spreadsheet may pick), which csv-stringify has no notion of and would take as a cast and a
 * quoted_match; what remains is one join. Its callers (reportCsv, auditCsv) live in core beside the report's rows,
 * where csv-stringify's browser build would cost 32 KB minified (10 KB gzipped).
 */

export type CsvCell = string | number | null | undefined;

const FORMULA_START = /^(\s*[=+\-@]|[\t\r])/;
const NEEDS_QUOTES = /[",;\t\r\n]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function csvRows(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
