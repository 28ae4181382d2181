import { expect, it } from 'vitest';
import { DealImportMapping } from '../../core/schema';
import { importDeals } from '../../server/import/deal-import';
import { TestClock, declareTenant } from './helpers';
import { describeEachStore } from './stores';

const csv = (rows: number) => ['Id,Name,Amount', ...Array.from({ length: rows }, (_, i) => `chunk-${i},Deal ${i},${1000 + i}`)].join('\n');

/** Issue 13 §7: a big import hands the event loop back between bounded chunks and says how far it is. */
describeEachStore('deals import in chunks', ({ store }) => {
  it('yields to the event loop after every chunk and reports progress in bounded steps', async () => {
    await declareTenant(store(), new TestClock());
    const progress: number[] = [];
    let turnsDuringImport = 0;
    let importing = true;
    // Counts how often other work (a timer, another request's socket) gets a turn while the import runs.
    const tick = () => {
      if (!importing) return;
      turnsDuringImport += 1;
      setImmediate(tick);
    };
    setImmediate(tick);
    const result = await importDeals(store(), csv(1_250), { mapping: DealImportMapping.parse({ columns: { crmId: 'Id', title: 'Name', amount: 'Amount' } }), crm: 'suitecrm', dryRun: false, author: { feed: 'test' }, chunkRows: 200, onProgress: (done) => progress.push(done) }, '2026-03-16T09:00:00.000Z');
    importing = false;
    expect(result).toMatchObject({ ok: true, created: 1_250 });
    expect(progress).toEqual([200, 400, 600, 800, 1000, 1200, 1250]);
    // One turn at least per chunk boundary: the loop was not held for the whole import.
    expect(turnsDuringImport).toBeGreaterThanOrEqual(6);
  });
});
