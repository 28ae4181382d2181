import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openMigratedStore } from '../../server/store/store';
import { upsertInstance } from '../../server/store/workspace';
import { dealsCsvImportOptions } from '../support/deals-csv';

const root = resolve(import.meta.dirname, '../..');
const rows = 200_000;

/**
 * Issue 13 §7: a big CLI import is read as a stream, so its memory does not grow with the file. Measured in a child
 * process of its own (the kernel's VmHWM), on SQLite; the time and the 1M-row budget are the bench's (npm run bench).
 */
describe('deals import memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headway-import-memory-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`imports ${rows.toLocaleString('en-US')} rows with the process's peak memory growing by far less than the rows would take`, async () => {
    const databaseUrl = `file:${join(dir, 'headway.sqlite')}`;
    const store = await openMigratedStore(databaseUrl);
    await upsertInstance(store.db, { instance: 'https://acme.pipedrive.com', crm: 'pipedrive' }, new Date().toISOString());
    await store.close();
    const { stdout } = await promisify(execFile)(
      'npx',
      ['tsx', 'test/support/import-child.ts', '--db', databaseUrl, '--file', join(dir, 'deals.csv'), '--rows', String(rows), '--', ...dealsCsvImportOptions],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
    );
    const run = JSON.parse(stdout.trim().split('\n').at(-1)!) as { code: number; peakBeforeMiB: number; peakMiB: number; answer: { ok: boolean; created: number } };
    expect(run.code, JSON.stringify(run.answer)).toBe(0);
    expect(run.answer).toMatchObject({ ok: true, created: rows });
    // Held whole, the file and every row as an object grew with it (1.1 GB at 1M rows in the issue, so about 220 MiB
    // at 200k). Streamed and staged in the database (a row repeating a record is found by the staging table's key),
    // what grows is SQLite's and V8's headroom. Measured growth: 83–166 MiB across machines and load (166 in a
    // clean-clone CI run, where V8 collected late); the bound sits above that and below holding the file.
    expect(run.peakMiB - run.peakBeforeMiB, JSON.stringify(run)).toBeLessThan(190);
    const check = await openMigratedStore(databaseUrl);
    const count = async (table: 'deals' | 'deal_history' | 'deal_import_rows') => Number((await check.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect([await count('deals'), await count('deal_history'), await count('deal_import_rows')]).toEqual([rows, rows, 0]);
    await check.close();
  }, 600_000);
});
