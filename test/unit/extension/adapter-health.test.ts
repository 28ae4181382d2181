import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { AdapterMissReport } from '../../../core/schema';
import { ADAPTER_MISSES_KEY, createAdapterMissReporter, postAdapterMiss } from '../../../extension/background/adapter-health';

const odooDeal: AdapterMissReport = { crm: 'odoo', origin: 'https://erp.acme.example', recordType: 'deal' };

function setup(start = '2026-11-27T09:00:00Z') {
  fakeBrowser.reset();
  let now = new Date(start);
  const sent: AdapterMissReport[] = [];
  let failNext = false;
  const reporter = createAdapterMissReporter({
    storage: fakeBrowser.storage.local,
    now: () => now,
    async send(report) {
      if (failNext) {
        failNext = false;
        throw new Error('offline');
      }
      sent.push(report);
    },
  });
  return {
    reporter,
    sent,
    failOnce: () => (failNext = true),
    setNow: (iso: string) => (now = new Date(iso)),
  };
}

describe('adapter miss reports', () => {
  it('sends each (crm, origin, recordType) once per UTC day', async () => {
    const { reporter, sent, setNow } = setup();
    expect(await reporter.report(odooDeal)).toBe('sent');
    expect(await reporter.report(odooDeal)).toBe('already-sent-today');
    setNow('2026-11-27T23:59:59Z');
    expect(await reporter.report(odooDeal)).toBe('already-sent-today');
    // Another record type, origin or CRM is another report.
    expect(await reporter.report({ ...odooDeal, recordType: 'contact' })).toBe('sent');
    expect(await reporter.report({ ...odooDeal, origin: 'https://odoo.beta.example' })).toBe('sent');
    expect(await reporter.report({ ...odooDeal, crm: 'suitecrm' })).toBe('sent');
    expect(sent).toHaveLength(4);
    setNow('2026-11-28T00:00:01Z');
    expect(await reporter.report(odooDeal)).toBe('sent');
    expect(sent).toHaveLength(5);
  });

  it('keeps the dedupe across worker restarts, and forgets past days', async () => {
    const { reporter, setNow } = setup();
    await reporter.report(odooDeal);
    await reporter.report({ ...odooDeal, recordType: 'lead' });
    // A new reporter over the same storage is what a restarted MV3 worker gets.
    const again = createAdapterMissReporter({ storage: fakeBrowser.storage.local, now: () => new Date('2026-11-27T18:00:00Z'), send: async () => undefined });
    expect(await again.report(odooDeal)).toBe('already-sent-today');
    setNow('2026-11-29T08:00:00Z');
    await reporter.report({ ...odooDeal, crm: 'bitrix24' });
    expect((await fakeBrowser.storage.local.get(ADAPTER_MISSES_KEY))[ADAPTER_MISSES_KEY]).toEqual({
      'bitrix24 https://erp.acme.example deal': '2026-11-29',
    });
  });

  it('tries again after a failed send, and survives damaged storage', async () => {
    const { reporter, sent, failOnce } = setup();
    failOnce();
    expect(await reporter.report(odooDeal)).toBe('failed');
    expect(await reporter.report(odooDeal)).toBe('sent');
    expect(sent).toEqual([odooDeal]);
    await fakeBrowser.storage.local.set({ [ADAPTER_MISSES_KEY]: ['not', 'an', 'object'] });
    expect(await reporter.report(odooDeal)).toBe('sent');
  });

  it('sends concurrent reports of one key once (two tabs of one broken page)', async () => {
    const { reporter, sent } = setup();
    const outcomes = await Promise.all([reporter.report(odooDeal), reporter.report(odooDeal), reporter.report(odooDeal)]);
    expect(outcomes.sort()).toEqual(['already-sent-today', 'already-sent-today', 'sent']);
    expect(sent).toHaveLength(1);
  });
});

describe('postAdapterMiss', () => {
  it('POSTs the report with the device token and accepts only 204', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const answer = (status: number) =>
      (async (url: string | URL | Request, init?: RequestInit) => {
        calls.push({ url: String(url), init: init ?? {} });
        return new Response(status === 204 ? null : '{}', { status });
      }) as typeof fetch;
    await postAdapterMiss({ serverUrl: 'https://headway.acme.example', token: 'tok' }, odooDeal, answer(204));
    expect(calls[0]!.url).toBe('https://headway.acme.example/api/adapter-health/misses');
    expect(calls[0]!.init.method).toBe('POST');
    expect(new Headers(calls[0]!.init.headers).get('authorization')).toBe('Bearer tok');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual(odooDeal);
    await expect(postAdapterMiss({ serverUrl: 'https://headway.acme.example', token: 'tok' }, odooDeal, answer(401))).rejects.toThrow('401');
  });
});
