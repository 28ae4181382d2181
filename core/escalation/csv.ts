/*
 * CSV as RFC 4180 writes it (CRLF rows, fields quoted when they hold a quote, comma or line break), plus the
 * OWASP guard against formula injection: a spreadsheet runs a cell starting with = + - @ (or tab / CR) as a formula,
 * so such text cells get a leading single quote. Numbers we produce ourselves are written as numbers.
 */

export type CsvCell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function csvRows(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
