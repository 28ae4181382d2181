import { describe, expect, it } from 'vitest';
import type { EscalationAuditEntry } from '../../../core/schema';
import { auditCsv, csvCell } from '../../../core/escalation';
import { hanna, maya, usersById } from './fixtures';

/** A small RFC 4180 reader, written here so the writer is checked against an independent reading. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "yes"', '"say ""yes"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ['+1 555', "'+1 555"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', `"'\tcmd"`],
    // Issue 13 §5: read with ';' as the separator, an unquoted cell would split and its second half run.
    ["x;=cmd|'/C calc'!A0", `"x;=cmd|'/C calc'!A0"`],
    ['a\tb', '"a\tb"'],
    ['  =1+1', "'  =1+1"],
    ['\n@SUM(A1)', `"'\n@SUM(A1)"`],
    ['', ''],
  ])('%j → %s', (input, output) => expect(csvCell(input)).toBe(output));

  it('writes numbers as numbers, and nothing for null or non-finite', () => {
    expect([csvCell(-5), csvCell(12.5), csvCell(null), csvCell(undefined), csvCell(Number.NaN)]).toEqual(['-5', '12.5', '', '', '']);
  });
});

describe('auditCsv', () => {
  const entries: EscalationAuditEntry[] = [
    { escalationId: 'esc-1', at: '2026-11-27T12:00:00+01:00', actorId: hanna.id, action: 'resolve', from: 'acknowledged', to: 'resolved', version: 3, details: 'decision: =cmd|"/c calc"!A1, approved\nup to 17 %' },
    { escalationId: 'esc-1', at: '2026-11-27T09:00:00Z', actorId: hanna.id, action: 'acknowledge', from: 'open', to: 'acknowledged', version: 2, details: 'acknowledged' },
    { escalationId: 'esc-1', at: '2026-11-28T09:00:00Z', actorId: 'system', action: 'comment', from: 'resolved', to: 'resolved', version: 4, details: 'comment' },
    { escalationId: 'esc-1', at: '2026-11-28T09:00:00Z', actorId: 'u-gone', action: 'comment', from: 'resolved', to: 'resolved', version: 5, details: 'comment' },
  ];

  it('has a header, one row per entry oldest first, ISO UTC times, names and a spreadsheet-safe details column', () => {
    const csv = auditCsv(entries, usersById);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(['escalation_id', 'at', 'actor_id', 'actor_name', 'action', 'from_status', 'to_status', 'version', 'details']);
    expect(rows.slice(1).map((r) => [r[1], r[3], r[4], r[7]])).toEqual([
      ['2026-11-27T09:00:00.000Z', 'Hanna Berg', 'acknowledge', '2'],
      ['2026-11-27T11:00:00.000Z', 'Hanna Berg', 'resolve', '3'],
      ['2026-11-28T09:00:00.000Z', 'SLA clock', 'comment', '4'],
      ['2026-11-28T09:00:00.000Z', '', 'comment', '5'],
    ]);
    // Commas, quotes and a line break survive the round trip; a formula not at the start of a cell is harmless.
    expect(rows[2]?.[8]).toBe('decision: =cmd|"/c calc"!A1, approved\nup to 17 %');
    expect(rows.every((r) => r.length === 9)).toBe(true);
  });

  it('guards a name that starts like a formula', () => {
    const evil = { ...usersById, [maya.id]: { ...maya, name: '=IMPORTXML("http://evil")' } };
    const rows = parseCsv(auditCsv([{ ...entries[1]!, actorId: maya.id }], evil));
    expect(rows[1]?.[3]).toBe(`'=IMPORTXML("http://evil")`);
  });
});
