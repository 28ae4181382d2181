import { CsvError, parse } from 'csv-parse';
import { CsvSyntaxError, csvProblems, tableOf, type CsvRecord, type CsvTable } from '../../core/csv';

/*
 * The server's CSV reader: csv-parse's stream, fed a piece at a time, answering the records core/csv.ts answers
 * (RFC 4180 with CRLF, LF or a lone CR between records, a byte-order mark dropped, blank lines skipped, rows of any
 * width) with the same line numbers and reasons, so an import says the same whichever reader a client used.
 */

/** A blank line is no record (RFC 4180 allows none; spreadsheets leave them at the end). */
const blank = (fields: string[]) => fields.length === 1 && fields[0] === '';

/** Line breaks inside a record's quoted fields: CRLF is one, as it is between records. */
function breaksIn(fields: string[]): number {
  let breaks = 0;
  for (const field of fields) {
    if (field.includes('\n') || field.includes('\r')) breaks += field.match(/\r\n|\r|\n/g)!.length;
  }
  return breaks;
}

/** Where the quoted field left open at the end of a record's text opens (csv-parse read the text as far as that). */
function unclosedQuoteAt(raw: string): number {
  let opened = 0;
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== '"') continue;
    if (!quoted) [quoted, opened] = [true, i];
    else if (raw[i + 1] === '"') i++;
    else quoted = false;
  }
  return opened;
}

/**
 * Reads CSV text pushed in pieces; `push` and `end` answer the records completed by that piece (core's CsvReader
 * interface). csv-parse does the parsing; the lines are counted here because csv-parse counts the CR and the LF of a
 * CRLF inside quotes as two lines, and a line number in a refusal must be the one a spreadsheet shows.
 */
export class CsvParser {
  private parsed: string[][] = [];
  /** Physical line of the next record's first character. */
  private line = 1;
  private first = true;
  /**
   * The bytes read last (the end of the piece before, which csv-parse may hold back to look ahead, and this one):
   * csv-parse names the character after a closing quote by its first byte only.
   */
  private recent = Buffer.alloc(0);
  // Records are taken as they are parsed (on_record, synchronously inside write), so those before a syntax error of
  // the same piece still count, and the error itself is read off `errored` in order rather than from an event.
  // `raw` gives a refusal the text of its record up to the fault, from which its physical line is counted.
  private readonly stream = parse({
    relax_column_count: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    raw: true,
    // With `raw`, each record comes as { record, raw }.
    on_record: (entry: unknown) => {
      this.parsed.push((entry as { record: string[] }).record);
      return null;
    },
  }).on('error', () => {});

  push(piece: string): CsvRecord[] {
    let text = piece;
    // The byte-order mark is dropped here rather than by csv-parse (`bom`), so its byte offsets start after it.
    if (this.first && text !== '') {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text === '') return [];
    const bytes = Buffer.from(text);
    this.recent = Buffer.concat([this.recent.subarray(-8), bytes]);
    this.stream.write(bytes);
    return this.take();
  }

  /** The input is complete: answers the last record, or throws if a quoted field was never closed. */
  end(): CsvRecord[] {
    this.stream.end();
    return this.take();
  }

  private take(): CsvRecord[] {
    const records: CsvRecord[] = [];
    for (const fields of this.parsed) {
      if (!blank(fields)) records.push({ line: this.line, fields });
      this.line += 1 + breaksIn(fields);
    }
    this.parsed = [];
    const error = this.stream.errored;
    if (error) throw this.syntaxError(error);
    return records;
  }

  /** csv-parse's refusal as core's, on the physical line of the fault (the opening quote of an unclosed field). */
  private syntaxError(error: Error): Error {
    if (!(error instanceof CsvError)) return error;
    const raw = typeof error.raw === 'string' ? error.raw : '';
    const lineOf = (text: string) => this.line + breaksIn([text]);
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') return new CsvSyntaxError(lineOf(raw.slice(0, unclosedQuoteAt(raw))), csvProblems.unclosedQuote);
    if (error.code === 'INVALID_OPENING_QUOTE') return new CsvSyntaxError(lineOf(raw), csvProblems.quoteInUnquoted);
    if (error.code === 'CSV_INVALID_CLOSING_QUOTE') return new CsvSyntaxError(lineOf(raw), csvProblems.textAfterQuote(this.afterQuote(error.message)));
    return error;
  }

  /**
   * The character after the closing quote. csv-parse's message holds its first byte: that is the character when it
   * is ASCII; otherwise the whole character is read where a quote is first followed by that byte in the recent bytes
   * (a different character of the same first byte after an earlier quote there could be named instead).
   */
  private afterQuote(message: string): string {
    const byte = /got "([\s\S])" at line/.exec(message)?.[1]?.charCodeAt(0) ?? 0;
    if (byte < 0x80) return String.fromCharCode(byte);
    const at = this.recent.indexOf(Buffer.from([0x22, byte]));
    return at < 0 ? String.fromCharCode(byte) : this.recent.subarray(at + 1, at + 5).toString('utf8')[0]!;
  }

  /** Lets go of the stream when a reader stops early (an import that gave up). */
  close(): void {
    this.stream.destroy();
  }
}

/** The records of text arriving in pieces (a file stream, a request body), as they complete. */
export async function* csvRecords(pieces: AsyncIterable<string> | Iterable<string>): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser();
  try {
    for await (const piece of pieces) yield* parser.push(piece);
    yield* parser.end();
  } finally {
    parser.close();
  }
}

/** A whole CSV text as a table keyed by its header (core/csv.ts csvTable, read by csv-parse). */
export function csvTable(text: string): CsvTable {
  const parser = new CsvParser();
  return tableOf([...parser.push(text), ...parser.end()]);
}
