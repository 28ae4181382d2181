/*
 * RFC 4180 CSV: fields separated by commas, records by CRLF (LF and lone CR accepted too, as spreadsheets on
 * every platform write them); a field in double quotes may hold commas, line breaks and "" for a quote. A UTF-8
 * byte-order mark (Excel's) is dropped. Each record remembers the physical line it starts on, so an import can
 * say "line 7" of a record whose earlier field spanned two lines and be right.
 *
 * The reader is incremental: text goes in as it arrives (a file or request body chunk by chunk) and whole records
 * come out, so an import of a million rows never holds the file, only the record being read (issue 13 §7).
 *
 * The server reads imports with csv-parse (server/import/csv-parser.ts), which answers the same records, lines and
 * reasons (test/server/csv-parser.test.ts holds the two to it). This hand-roll stays for the dashboard's import
 * dialog, which reads only the header row: csv-parse's browser build carries a Buffer polyfill, 52 KB minified
 * (14 KB gzipped) for the sync build and 87 KB (25 KB) for the streaming one, against 2.3 KB (1 KB) here.
 */

export interface CsvRecord {
  /** 1-based physical line of the record's first character. */
  line: number;
  fields: string[];
}

/** Why a text is not CSV, worded once for both readers. */
export const csvProblems = {
  unclosedQuote: 'a quoted field is never closed (a " is missing)',
  quoteInUnquoted: 'a " inside an unquoted field; quote the field and write "" for each quote',
  textAfterQuote: (char: string) => `text after a closing quote (${JSON.stringify(char)}); quote the whole field and double any " inside`,
};

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** Where the reader is inside the current field, carried from one chunk to the next. */
type FieldState = 'start' | 'unquoted' | 'quoted' | 'quoteInQuoted' | 'closed';

/** Reads CSV text pushed in pieces; `push` and `end` answer the records completed by that piece. */
export class CsvReader {
  private fields: string[] = [];
  private field = '';
  private state: FieldState = 'start';
  private line = 1;
  private recordLine = 1;
  private openedOn = 1;
  /** The record has any content, so a trailing line break makes no empty record. */
  private started = false;
  /** The previous piece ended with a CR: an LF that opens the next piece belongs to it. */
  private afterCr = false;
  private first = true;

  push(piece: string): CsvRecord[] {
    let text = piece;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const records: CsvRecord[] = [];
    let i = 0;
    if (this.afterCr && text[0] === '\n') i = 1;
    this.afterCr = false;
    while (i < text.length) {
      const char = text[i]!;
      if (this.state === 'quoted') {
        // Copy up to the next quote or line break at once: most quoted text is neither.
        let end = i;
        while (end < text.length && text[end] !== '"' && text[end] !== '\r' && text[end] !== '\n') end++;
        this.field += text.slice(i, end);
        i = end;
        if (i >= text.length) break;
        const c = text[i]!;
        if (c === '"') this.state = 'quoteInQuoted';
        else {
          this.field += c;
          // CRLF inside quotes is one line break: count it on the CR, not again on the LF.
          if (c === '\r' || this.field[this.field.length - 2] !== '\r') this.line++;
        }
        i++;
        continue;
      }
      if (this.state === 'quoteInQuoted') {
        if (char === '"') {
          this.field += '"';
          this.state = 'quoted';
          i++;
          continue;
        }
        this.state = 'closed';
      }
      if (!this.started) {
        this.recordLine = this.line;
        this.started = true;
      }
      if (this.state === 'closed' && char !== ',' && char !== '\r' && char !== '\n') {
        throw new CsvSyntaxError(this.line, csvProblems.textAfterQuote(char));
      }
      if (char === ',') {
        this.endField();
        i++;
        continue;
      }
      if (char === '\r' || char === '\n') {
        this.endRecord(records);
        if (char === '\r') {
          if (i + 1 >= text.length) this.afterCr = true;
          else if (text[i + 1] === '\n') i++;
        }
        i++;
        this.line++;
        continue;
      }
      if (char === '"') {
        if (this.state !== 'start') throw new CsvSyntaxError(this.line, csvProblems.quoteInUnquoted);
        this.state = 'quoted';
        this.openedOn = this.line;
        i++;
        continue;
      }
      let end = i;
      while (end < text.length && text[end] !== ',' && text[end] !== '\r' && text[end] !== '\n' && text[end] !== '"') end++;
      this.field += text.slice(i, end);
      this.state = 'unquoted';
      i = end;
    }
    return records;
  }

  /** The input is complete: answers the last record, or throws if a quoted field was never closed. */
  end(): CsvRecord[] {
    if (this.state === 'quoted') throw new CsvSyntaxError(this.openedOn, csvProblems.unclosedQuote);
    const records: CsvRecord[] = [];
    if (this.started || this.state === 'quoteInQuoted') {
      if (!this.started) this.recordLine = this.line;
      this.endRecord(records);
    }
    return records;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.state = 'start';
  }

  private endRecord(records: CsvRecord[]): void {
    this.endField();
    // A blank line is no record (RFC 4180 allows none; spreadsheets leave them at the end).
    if (!(this.fields.length === 1 && this.fields[0] === '')) records.push({ line: this.recordLine, fields: this.fields });
    this.fields = [];
    this.started = false;
  }
}

/** Parses the whole text; a syntax error (unclosed quote, text after a closing quote) throws CsvSyntaxError. */
export function parseCsv(input: string): CsvRecord[] {
  const reader = new CsvReader();
  return [...reader.push(input), ...reader.end()];
}

/** A header's column names, trimmed; duplicate or empty names are a syntax error of the header line. */
export function csvHeaders(header: CsvRecord | undefined): string[] {
  if (!header) throw new CsvSyntaxError(1, 'the file is empty; the first line must name the columns');
  const headers = header.fields.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of headers) {
    if (name === '') throw new CsvSyntaxError(header.line, 'a column in the header has no name');
    if (seen.has(name)) throw new CsvSyntaxError(header.line, `the column "${name}" appears twice in the header`);
    seen.add(name);
  }
  return headers;
}

/** A header row and the records below it, as objects keyed by header; duplicate or empty headers are errors. */
export interface CsvTable {
  headers: string[];
  rows: { line: number; values: Map<string, string>; width: number }[];
}

export function csvTable(input: string): CsvTable {
  return tableOf(parseCsv(input));
}

/** The table of records read by either reader. */
export function tableOf([header, ...records]: CsvRecord[]): CsvTable {
  const headers = csvHeaders(header);
  return {
    headers,
    rows: records.map((record) => ({
      line: record.line,
      width: record.fields.length,
      values: new Map(headers.map((name, index) => [name, record.fields[index] ?? ''])),
    })),
  };
}
