import type { Page } from 'playwright-core';

/**
 * Save note → in IndexedDB, in real Chromium: for the benchmark harness (test/bench) to call.
 *
 *   const extension = await launchWithExtension();                // test/e2e/harness.ts
 *   const page = await extension.context.newPage();
 *   await page.goto(`chrome-extension://${extension.extensionId}/popup.html`);
 *   const result = await measureSaveToIndexedDb(page, { instance: new URL(server.url).origin, samples: 200 });
 *   // result.medianMs against the ≤ 10 ms budget (DESIGN.md)
 *
 * Each sample is one `note-save` message, the one the sidebar's Save sends. `savedMs` is what the background
 * measures with performance.now() from receiving the message to the outbox transaction's `complete`
 * (validation, id allocation, outbox row and optimistic cache row in one transaction) — the time the budget is
 * about. `roundTripMs` adds the messaging both ways, as the page sees it. Works paired or not (unpaired, the
 * note waits in the outbox). Notes go to a throwaway record so they do not mix with a user's.
 */
export interface SaveMeasurement {
  samples: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  roundTripMedianMs: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/** `instance`: a tenant of the paired workspace (the notes reach the server only for one of its tenants). */
export async function measureSaveToIndexedDb(extensionPage: Page, options: { instance: string; samples?: number; warmup?: number }): Promise<SaveMeasurement> {
  const samples = options.samples ?? 200;
  const warmup = options.warmup ?? 20;
  const raw = await extensionPage.evaluate(
    async ({ samples, warmup, instance }) => {
      type Answer = { ok?: boolean; savedInMs?: number; problems?: unknown };
      const send = (globalThis as unknown as { chrome: { runtime: { sendMessage(message: unknown): Promise<Answer> } } }).chrome.runtime.sendMessage;
      const run = `${Date.now().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`.padEnd(16, '0').slice(0, 16);
      const saved: number[] = [];
      const roundTrips: number[] = [];
      for (let i = 0; i < warmup + samples; i++) {
        const started = performance.now();
        const answer = await send({
          type: 'note-save',
          id: `n_${run}${i.toString(16).padStart(16, '0')}`,
          record: { crm: 'suitecrm', instance, recordType: 'deal', crmId: `headway-measure-${run}` },
          recordTitle: 'Save timing',
          content: { side: 'buyer', text: `timing sample ${i}`, asked: '10 % off', offered: '5 %', price: 12500, discountPct: 5, nextStep: 'call back' },
        });
        const roundTrip = performance.now() - started;
        if (answer?.ok !== true || typeof answer.savedInMs !== 'number') throw new Error(`save ${i} failed: ${JSON.stringify(answer)}`);
        if (i >= warmup) {
          saved.push(answer.savedInMs);
          roundTrips.push(roundTrip);
        }
      }
      return { saved, roundTrips };
    },
    { samples, warmup, instance: options.instance },
  );
  const saved = [...raw.saved].sort((a, b) => a - b);
  const roundTrips = [...raw.roundTrips].sort((a, b) => a - b);
  return {
    samples: saved.length,
    medianMs: quantile(saved, 0.5),
    p95Ms: quantile(saved, 0.95),
    maxMs: saved.at(-1) ?? Number.NaN,
    roundTripMedianMs: quantile(roundTrips, 0.5),
  };
}
