import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { RecordRef } from '../../../core/schema';
import { notesForRecord } from '../../../core/sync';
import type { SyncSummary } from '../../../extension/sync/messages';
import { CAPTURED_KEY } from '../../../extension/background/sync/deal-capture';
import { nextMorning, notifyTodaysNextSteps, NOTIFIED_KEY } from '../../../extension/background/sync/next-steps';
import { createNoteRequests, localDay } from '../../../extension/background/sync/note-requests';
import { createSyncRunner } from '../../../extension/background/sync/runner';
import { saveSession, SESSION_KEY } from '../../../extension/session';

const deal: RecordRef = { crm: 'suitecrm', instance: 'https://crm.example.test', recordType: 'deal', crmId: 'opp-42' };
const NOON = new Date(2026, 10, 27, 12, 0, 0);

function setup(options: { fetch?: typeof fetch } = {}) {
  fakeBrowser.reset();
  const summaries: SyncSummary[] = [];
  const retries: number[] = [];
  const requests: { url: string; body: unknown }[] = [];
  const runner = createSyncRunner({
    indexedDB: new IDBFactory(),
    storage: fakeBrowser.storage.local,
    fetch:
      options.fetch ??
      (async (url, init) => {
        requests.push({ url: String(url), body: init?.body ? JSON.parse(String(init.body)) : null });
        throw new TypeError('Failed to fetch');
      }),
    clock: () => NOON.getTime(),
    scheduleRetry: (when) => retries.push(when),
    onSummary: (summary) => summaries.push(summary),
  });
  const notes = createNoteRequests({ runner, storage: fakeBrowser.storage.local, captureStorage: fakeBrowser.storage.session, now: () => NOON });
  return { runner, notes, summaries, retries, requests };
}

async function paired(): Promise<void> {
  await saveSession(fakeBrowser.storage.local, {
    serverUrl: 'http://127.0.0.1:9',
    token: 'device-token',
    user: { id: 'u-marco', name: 'Marco Rossi', email: 'marco@example.com', role: 'manager', team: 'Sales', capacity: 100, segments: { region: [], product: [], tier: [] }, absences: [], crmIdentities: [], createdAt: '2026-01-01T00:00:00Z' },
    config: null,
    state: 'online',
    lastContactAt: null,
    problem: null,
  });
}

const save = (notes: ReturnType<typeof setup>['notes'], content: Record<string, unknown>, extra: Partial<{ id: string; baseVersion: number; record: RecordRef | null }> = {}) =>
  notes.handle({ type: 'note-save', id: extra.id ?? 'n_1', baseVersion: extra.baseVersion, record: extra.record === undefined ? deal : extra.record, recordTitle: 'Acme renewal', content });

describe('note requests in the background', () => {
  it('a valid note is in the outbox and the local cache when the answer comes, and is listed as pending', async () => {
    const { notes, runner } = setup();
    const answer = await save(notes, { side: 'seller', text: 'Asked for 12 % off', price: 12500, discountPct: 8, nextStepDate: '2026-11-30', nextStep: 'Send quote' });
    expect(answer).toMatchObject({ ok: true, note: { id: 'n_1', side: 'seller', pending: true, record: deal, version: 1 } });
    expect((answer as { savedInMs: number }).savedInMs).toBeGreaterThanOrEqual(0);
    const queued = await (await runner.outbox()).pending();
    expect(queued.map((entry) => [entry.name, (entry.args as { id: string }).id])).toEqual([['note.create', 'n_1']]);
    const listed = await notes.handle({ type: 'notes-list', record: deal });
    expect(listed).toMatchObject({ notes: [{ id: 'n_1', pending: true }], upcoming: [{ id: 'n_1', nextStepDate: '2026-11-30' }], userId: null });
  });

  it('refuses an out-of-range value per field and stores nothing', async () => {
    const { notes, runner } = setup();
    const answer = await save(notes, { side: 'buyer', text: 'typo', discountPct: 150 });
    expect(answer).toEqual({ ok: false, problems: [{ field: 'discountPct', message: 'At most 100.' }] });
    expect(await save(notes, { side: 'buyer', text: 'x', nextStepDate: '31.12.2026', contact: 'x'.repeat(301) })).toEqual({
      ok: false,
      problems: [
        { field: 'contact', message: 'Keep it to 300 characters or fewer.' },
        { field: 'nextStepDate', message: 'Pick a date.' },
      ],
    });
    expect(await (await runner.outbox()).count()).toBe(0);
    expect(await save(notes, { side: 'buyer', text: '   ' })).toEqual({ ok: false, problems: [{ field: 'text', message: 'Write something first: the note is empty.' }] });
    expect(await save(notes, { side: 'nobody', text: 'x' })).toEqual({ ok: false, problems: [{ field: 'side', message: 'Choose one of the options.' }] });
    expect(await (await runner.outbox()).count()).toBe(0);
  });

  it('an edit goes out as note.update on the version it was based on; the list shows the edit at once', async () => {
    const { notes, runner } = setup();
    await save(notes, { side: 'buyer', text: 'first' });
    const edited = await save(notes, { side: 'buyer', text: 'second' }, { baseVersion: 1 });
    expect(edited).toMatchObject({ ok: true, note: { text: 'second', version: 2, pending: true } });
    const queued = await (await runner.outbox()).pending();
    expect(queued.map((entry) => entry.name)).toEqual(['note.create', 'note.update']);
    expect(queued[1]!.args).toMatchObject({ id: 'n_1', baseVersion: 1, content: { text: 'second' } });
    expect((await notesForRecord(await runner.db(), deal)).map((note) => note.text)).toEqual(['second']);
    await notes.handle({ type: 'note-delete', id: 'n_1', baseVersion: 2 });
    expect(await notesForRecord(await runner.db(), deal)).toEqual([]);
    expect(await notes.handle({ type: 'note-delete', id: 'n_1', baseVersion: 3 })).toEqual({ ok: false, message: 'This note is already gone.' });
  });

  it('a note on a page that is no record is kept, not tied to a record', async () => {
    const { notes } = setup();
    expect(await save(notes, { side: 'buyer', text: 'call from the list page' }, { record: null })).toMatchObject({ ok: true, note: { record: null } });
    expect(await notes.handle({ type: 'notes-list', record: null })).toMatchObject({ notes: [] });
  });

  it('when paired, a save triggers a push at once; offline it schedules the retry alarm and the summary counts what waits', async () => {
    const { notes, requests, retries, summaries } = setup();
    await paired();
    await save(notes, { side: 'buyer', text: 'offline note' });
    await expect.poll(() => retries.length).toBeGreaterThan(0);
    expect(requests[0]).toMatchObject({ url: 'http://127.0.0.1:9/api/sync/push', body: { mutations: [{ mutationId: 1, name: 'note.create' }] } });
    expect(retries[0]).toBeGreaterThan(NOON.getTime());
    await expect.poll(() => summaries.at(-1)).toMatchObject({ status: 'offline', pending: 1, failed: 0 });
    // Within the backoff, another save does not hammer the server.
    await save(notes, { side: 'buyer', text: 'second offline note' }, { id: 'n_2' });
    await expect.poll(() => summaries.at(-1)?.pending).toBe(2);
    expect(requests).toHaveLength(1);
  });
});

describe('passive deal capture', () => {
  it('queues deal.capture for a deal with fields read, once per set of fields, and only when paired', async () => {
    const { notes, runner } = setup();
    const report = (fields: Record<string, unknown>, record: RecordRef = deal) => notes.handle({ type: 'page-record', record, fields, url: 'https://crm.example/deal/42' });
    expect(await report({ title: 'Acme', amount: 1000 })).toEqual({ captured: false });
    await paired();
    expect(await report({ title: 'Acme', amount: 1000 })).toEqual({ captured: true });
    expect(await report({ amount: 1000, title: 'Acme' })).toEqual({ captured: false });
    expect(await report({ title: 'Acme', amount: 1200 })).toEqual({ captured: true });
    expect(await report({})).toEqual({ captured: false });
    expect(await report({ title: 'Acme Ltd' }, { ...deal, recordType: 'account' })).toEqual({ captured: false });
    expect(await report({ title: 'Acme', amount: -5 })).toEqual({ captured: false });
    const queued = await (await runner.outbox()).pending();
    expect(queued.map((entry) => [entry.name, (entry.args as { fields: object }).fields])).toEqual([
      ['deal.capture', { title: 'Acme', amount: 1000 }],
      ['deal.capture', { title: 'Acme', amount: 1200 }],
    ]);
    // Remembered in storage.session, not storage.local: nothing of it outlives the browser session.
    expect(Object.keys(await fakeBrowser.storage.session.get(null))).toEqual([CAPTURED_KEY]);
    expect(Object.keys(await fakeBrowser.storage.local.get(null))).toEqual([SESSION_KEY]);
  });
});

describe('next-step reminder', () => {
  it('aims at the next 08:00 local time', () => {
    expect(new Date(nextMorning(new Date(2026, 10, 27, 7, 59))).toString()).toBe(new Date(2026, 10, 27, 8, 0).toString());
    expect(new Date(nextMorning(new Date(2026, 10, 27, 8, 0))).toString()).toBe(new Date(2026, 10, 28, 8, 0).toString());
    expect(localDay(new Date(2026, 11, 31, 23, 0), 1)).toBe('2027-01-01');
  });

  it('notifies once per note per day, only for today, not before 08:00', async () => {
    const { notes, runner } = setup();
    const today = localDay(NOON);
    await save(notes, { side: 'buyer', text: 'call back', nextStep: 'Call Jane', nextStepDate: today });
    await save(notes, { side: 'buyer', text: 'later', nextStepDate: localDay(NOON, 3) }, { id: 'n_2' });
    const shown: { id: string; title: string; message: string }[] = [];
    const notifications = { create: async (id: string, options: { title: string; message: string }) => (shown.push({ id, ...options }), id) };
    const browser = { notifications } as never;
    const db = await runner.db();
    expect(await notifyTodaysNextSteps(browser, fakeBrowser.storage.local, db, new Date(2026, 10, 27, 7, 30))).toEqual([]);
    expect(await notifyTodaysNextSteps(browser, fakeBrowser.storage.local, db, NOON)).toEqual(['n_1']);
    expect(await notifyTodaysNextSteps(browser, fakeBrowser.storage.local, db, NOON)).toEqual([]);
    expect(shown).toEqual([{ id: `headway-next-step:n_1:${today}`, type: 'basic', iconUrl: expect.stringMatching(/^data:image\/png;base64,/), title: 'Next step today — Acme renewal', message: 'Call Jane' }]);
    expect((await fakeBrowser.storage.local.get(NOTIFIED_KEY))[NOTIFIED_KEY]).toEqual({ day: today, ids: ['n_1'] });
  });
});
