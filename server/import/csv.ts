/*
 * RFC 4180 CSV: fields separated by commas, records by CRLF (LF and lone CR accepted too, as spreadsheets on
 * every platform write them); a field in double quotes may hold commas, line breaks and "" for a quote. A UTF-8
 * byte-order mark (Excel's) is dropped. Each record remembers the physical line it starts on, so an import can
 * say "line 7" of a record whose earlier field spanned two lines and be right.
 */

export interface CsvRecord {
  /** 1-based physical line of the record's first character. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** Parses the whole text; a syntax error (unclosed quote, text after a closing quote) throws CsvSyntaxError. */
export function parseCsv(input: string): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  // True once the current record has any content, so that a trailing line break does not make an empty record.
  let started = false;

  const endField = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    // A blank line is no record (RFC 4180 allows none; spreadsheets leave them at the end).
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    started = false;
  };

  while (i < text.length) {
    const char = text[i]!;
    if (!started) {
      recordLine = line;
      started = true;
    }
    if (char === '"' && field === '' && (i === 0 || isBoundary(text[i - 1]!))) {
      // Quoted field: read to the closing quote, "" being one quote.
      const openedOn = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvSyntaxError(openedOn, 'a quoted field is never closed (a " is missing)');
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\r' || c === '\n') {
          if (c === '\r' && text[i + 1] === '\n') {
            field += '\r\n';
            i += 2;
          } else {
            field += c;
            i++;
          }
          line++;
          continue;
        }
        field += c;
        i++;
      }
      const after = text[i];
      if (after !== undefined && after !== ',' && after !== '\r' && after !== '\n') {
        throw new CsvSyntaxError(line, `text after a closing quote (${JSON.stringify(after)}); quote the whole field and double any " inside`);
      }
      continue;
    }
    if (char === ',') {
      endField();
      i++;
      continue;
    }
    if (char === '\r' || char === '\n') {
      endRecord();
      i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    if (char === '"') throw new CsvSyntaxError(line, 'a " inside an unquoted field; quote the field and write "" for each quote');
    field += char;
    i++;
  }
  if (started) endRecord();
  return records;
}

function isBoundary(char: string): boolean {
  return char === ',' || char === '\n' || char === '\r';
}

/** A header row and the records below it, as objects keyed by header; duplicate or empty headers are errors. */
export interface CsvTable {
  headers: string[];
  rows: { line: number; values: Map<string, string>; width: number }[];
}

export function csvTable(input: string): CsvTable {
  const [header, ...records] = parseCsv(input);
  if (!header) throw new CsvSyntaxError(1, 'the file is empty; the first line must name the columns');
  const headers = header.fields.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of headers) {
    if (name === '') throw new CsvSyntaxError(header.line, 'a column in the header has no name');
    if (seen.has(name)) throw new CsvSyntaxError(header.line, `the column "${name}" appears twice in the header`);
    seen.add(name);
  }
  return {
    headers,
    rows: records.map((record) => ({
      line: record.line,
      width: record.fields.length,
      values: new Map(headers.map((name, index) => [name, record.fields[index] ?? ''])),
    })),
  };
}
