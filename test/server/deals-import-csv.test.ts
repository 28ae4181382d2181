import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvReader, CsvSyntaxError, csvTable, parseCsv } from '../../core/csv';

const fields = (text: string) => parseCsv(text).map((record) => record.fields);

describe('RFC 4180 CSV parser', () => {
  it('reads plain records with CRLF, LF or CR line ends and no trailing break', () => {
    expect(fields('a,b\r\n1,2\r\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(fields('a,b\n1,2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(fields('a,b\r1,2\r')).toEqual([['a', 'b'], ['1', '2']]);
    expect(fields('a,,c\n,,\n')).toEqual([['a', '', 'c'], ['', '', '']]);
  });

  it('reads quoted fields with commas, escaped quotes and line breaks, and counts physical lines', () => {
    const records = parseCsv('id,note\r\n1,"Hello, ""world"""\r\n2,"two\r\nlines"\r\n3,""\r\n');
    expect(records).toEqual([
      { line: 1, fields: ['id', 'note'] },
      { line: 2, fields: ['1', 'Hello, "world"'] },
      { line: 3, fields: ['2', 'two\r\nlines'] },
      { line: 5, fields: ['3', ''] },
    ]);
  });

  it('drops a UTF-8 byte-order mark and blank lines', () => {
    expect(parseCsv('\uFEFFname\n\nx\n\n')).toEqual([{ line: 1, fields: ['name'] }, { line: 3, fields: ['x'] }]);
  });

  it('names the line of an unclosed quote or a stray quote', () => {
    expect(() => parseCsv('a\n"open\nstill open')).toThrow(new CsvSyntaxError(2, 'a quoted field is never closed (a " is missing)'));
    expect(() => parseCsv('a\nx"y')).toThrowError(/line 2: a " inside an unquoted field/);
    expect(() => parseCsv('a\n"x"y')).toThrowError(/line 2: text after a closing quote/);
  });

  it('round-trips any table written the RFC 4180 way', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\r\n', '\n', 'é', '0') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }), (rows) => {
        const text = rows.map((row) => row.map((value) => `"${value.replaceAll('"', '""')}"`).join(',')).join('\r\n');
        expect(fields(text)).toEqual(rows);
      }),
    );
  });

  it('reads the same records whatever pieces the text arrives in (a stream splits anywhere, even inside CRLF)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\r\n', '\n', '\r', 'é') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (rows, cuts, quoteAll) => {
        const text = '\uFEFF' + rows.map((row) => row.map((value) => (quoteAll || /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)).join(',')).join('\r\n');
        const whole = parseCsv(text);
        const at = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const reader = new CsvReader();
        const pieces = [0, ...at].map((start, index) => text.slice(start, at[index] ?? text.length));
        expect([...pieces.flatMap((piece) => reader.push(piece)), ...reader.end()]).toEqual(whole);
      }),
    );
    const reader = new CsvReader();
    expect([...reader.push('a,"x\r'), ...reader.push('\ny"\r'), ...reader.push('\nb,c'), ...reader.end()]).toEqual([
      { line: 1, fields: ['a', 'x\r\ny'] },
      { line: 3, fields: ['b', 'c'] },
    ]);
  });

  it('builds a table keyed by header and refuses duplicate or empty headers', () => {
    const table = csvTable('Id,Name\n1,Acme\n2\n');
    expect(table.headers).toEqual(['Id', 'Name']);
    expect(table.rows.map((row) => [row.line, row.width, Object.fromEntries(row.values)])).toEqual([
      [2, 2, { Id: '1', Name: 'Acme' }],
      [3, 1, { Id: '2', Name: '' }],
    ]);
    expect(() => csvTable('Id,Id\n')).toThrowError(/"Id" appears twice/);
    expect(() => csvTable('Id,,x\n')).toThrowError(/has no name/);
    expect(() => csvTable('')).toThrowError(/empty/);
  });
});
