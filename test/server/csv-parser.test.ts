import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, type CsvRecord } from '../../core/csv';
import { CsvParser, csvRecords, csvTable } from '../../server/import/csv-parser';

// The server reads imports with csv-parse; the dashboard's dialog reads the header with core/csv.ts. They must never
// disagree: the same records, the same physical lines, the same refusals.

function serverParse(pieces: string[]): CsvRecord[] {
  const parser = new CsvParser();
  return [...pieces.flatMap((piece) => parser.push(piece)), ...parser.end()];
}

/** What a reader answers for a text: its records, or its refusal. */
function outcome(read: () => CsvRecord[]): CsvRecord[] | { line: number; reason: string } {
  try {
    return read();
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { line: error.line, reason: error.reason };
    throw error;
  }
}

describe('the server CSV reader (csv-parse)', () => {
  it('reads CRLF, LF and lone CR records, quotes, a byte-order mark and blank lines as core does', () => {
    expect(serverParse(['id,note\r\n1,"Hello, ""world"""\r\n2,"two\r\nlines"\r\n3,""\r\n'])).toEqual([
      { line: 1, fields: ['id', 'note'] },
      { line: 2, fields: ['1', 'Hello, "world"'] },
      { line: 3, fields: ['2', 'two\r\nlines'] },
      { line: 5, fields: ['3', ''] },
    ]);
    expect(serverParse(['\uFEFFname\n\nx\n\n'])).toEqual([{ line: 1, fields: ['name'] }, { line: 3, fields: ['x'] }]);
    expect(serverParse(['a,b\r1,2\r', '3\n4\r\n5'])).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3'] },
      { line: 4, fields: ['4'] },
      { line: 5, fields: ['5'] },
    ]);
  });

  it('names the line and reason of an unclosed or stray quote as core does', () => {
    expect(() => serverParse(['a\n"open\nstill open'])).toThrow(new CsvSyntaxError(2, 'a quoted field is never closed (a " is missing)'));
    expect(() => serverParse(['a\nx"y'])).toThrow(new CsvSyntaxError(2, parseCsvError('a\nx"y').reason));
    expect(() => serverParse(['a\n"x"y'])).toThrow(new CsvSyntaxError(2, parseCsvError('a\n"x"y').reason));
    const parser = new CsvParser();
    parser.push('Id\n1,"two\r\nlines"\n2\n');
    // Lines counted across pieces, a CRLF inside quotes as one.
    expect(() => [...parser.push('3\n4"\n'), ...parser.end()]).toThrow(new CsvSyntaxError(6, parseCsvError('a\n4"').reason));
  });

  it('answers what core answers for any text, split into any pieces', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\r\n', '\n', '\r', 'é') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom('all', 'needed', 'none'), (rows, cuts, quoting) => {
        const quote = (value: string) => (quoting === 'all' || (quoting === 'needed' && /[",\r\n]/.test(value)) ? `"${value.replaceAll('"', '""')}"` : value);
        // Unquoted, a cell with a quote or a break is broken CSV: both readers must refuse it alike.
        const text = '\uFEFF' + rows.map((row) => row.map(quote).join(',')).join('\r\n');
        const at = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...at].map((start, index) => text.slice(start, at[index] ?? text.length));
        expect(outcome(() => serverParse(pieces))).toEqual(outcome(() => parseCsv(text)));
      }),
      { numRuns: 300 },
    );
  });

  it('streams records from async pieces and builds a table keyed by header', async () => {
    async function* pieces() {
      yield 'Id,Na';
      yield 'me\r';
      yield '\n1,Acme\n2\n';
    }
    const records: CsvRecord[] = [];
    for await (const record of csvRecords(pieces())) records.push(record);
    expect(records).toEqual([{ line: 1, fields: ['Id', 'Name'] }, { line: 2, fields: ['1', 'Acme'] }, { line: 3, fields: ['2'] }]);
    const table = csvTable('Id,Name\n1,Acme\n2\n');
    expect(table.rows.map((row) => [row.line, row.width, Object.fromEntries(row.values)])).toEqual([
      [2, 2, { Id: '1', Name: 'Acme' }],
      [3, 1, { Id: '2', Name: '' }],
    ]);
    expect(() => csvTable('Id,Id\n')).toThrowError(/"Id" appears twice/);
  });
});

function parseCsvError(text: string): CsvSyntaxError {
  try {
    parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return error;
  }
  throw new Error(`core read ${JSON.stringify(text)}`);
}
