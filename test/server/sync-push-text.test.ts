import { beforeAll, expect, it } from 'vitest';
import type { HeadwayApp } from '../../server/app';
import { describeEachStore } from './stores';
import { TestClock, signedIn, testApp, declareTenant, testTenant } from './helpers';
import { newClientId, noteCreate, pullAll, pushOk } from './sync-fixtures';

// Text that an escaping mistake would corrupt: quoting, array and JSON syntax, escapes, non-ASCII, empty strings and
// nulls. On PostgreSQL the trailing run of note.create travels as JSON rows (sync/batch-tail.postgres.ts).
const tricky = [
  '',
  "O'Brien's offer",
  'say "yes" twice',
  'back\\slash \\" and \\\\',
  '{braces,commas},"quoted",NULL',
  'NULL',
  '\\u0041 is not A',
  'tab\tnew\nline\r',
  'naïve – 日本語 – 🙂 – العربية',
  '[1, 2] {"json": true}',
];

describeEachStore('sync push keeps text exactly', ({ store, kind }) => {
  const clock = new TestClock();
  let app: HeadwayApp;
  let manager: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    await declareTenant(store(), clock);
    manager = await signedIn(app, store(), clock, { role: 'manager' });
  });

  const stored = (id: string) => store().db.selectFrom('notes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('stores ids, record keys, titles and content byte for byte', async () => {
    const clientId = newClientId();
    const mutations = tricky.map((value, index) =>
      noteCreate(index + 1, {
        id: `note ${index} ${value}`.slice(0, 100),
        record: { ...testTenant, crmId: `deal ${value}`.slice(0, 200), recordType: 'deal' },
        recordTitle: value,
        text: value,
        asked: value,
        contact: value,
      }),
    );
    const response = await pushOk(app, manager.auth, clientId, mutations);
    expect(response.results.every((result) => result.ok)).toBe(true);
    for (const [index, value] of tricky.entries()) {
      const note = await stored(mutations[index]!.args.id as string);
      expect(note.crm_id).toBe(`deal ${value}`.slice(0, 200));
      expect(note.record_title).toBe(value);
      expect(JSON.parse(note.content)).toMatchObject({ text: value, asked: value, contact: value });
    }
    // Each create is announced once, under its exact id.
    const announced = (await pullAll(app, manager.auth)).changes.filter((change) => change.entity === 'note').map((change) => change.entityId);
    for (const mutation of mutations) expect(announced.filter((id) => id === mutation.args.id)).toHaveLength(1);
  });

  it('stores a note without a record or title as nulls', async () => {
    const create = noteCreate(1, { record: null, recordTitle: null });
    await pushOk(app, manager.auth, newClientId(), [create]);
    const note = await stored(create.args.id);
    expect([note.crm, note.crm_id, note.record_type, note.record_title]).toEqual([null, null, null, null]);
  });

  it('logs the changes of earlier mutations under their exact ids when a run of creates ends the batch', async () => {
    const clientId = newClientId();
    const first = noteCreate(1, { id: 'first {"x",y} \\ \'' });
    await pushOk(app, manager.auth, clientId, [first]);
    // The update's change is an "earlier" row of the batch tail; the create after it is the trailing run.
    const update = { mutationId: 2, name: 'note.update', args: { id: first.args.id, baseVersion: 1, content: { side: 'seller', text: 'Edited "again"' } } };
    const response = await pushOk(app, manager.auth, clientId, [update, noteCreate(3, { id: 'second, "quoted" {}' })]);
    expect(response.results).toEqual([2, 3].map((mutationId) => ({ mutationId, ok: true })));
    const changes = (await pullAll(app, manager.auth)).changes.filter((change) => change.entity === 'note');
    expect(changes.filter((change) => change.entityId === first.args.id).map((change) => change.version)).toEqual([2]);
    expect(changes.filter((change) => change.entityId === 'second, "quoted" {}').map((change) => change.version)).toEqual([1]);
  });

  // PostgreSQL only: what SQLite makes of a lone surrogate is SQLite's business, and no JSON is involved there.
  if (kind === 'postgres') it('stores a lone UTF-16 surrogate as U+FFFD, as a text parameter does', async () => {
    const create = noteCreate(1, { recordTitle: 'broken \ud800 pair', record: { ...testTenant, crmId: 'deal \udc00', recordType: 'deal' } });
    await pushOk(app, manager.auth, newClientId(), [create]);
    const note = await stored(create.args.id);
    expect(note.record_title).toBe('broken \uFFFD pair');
    expect(note.crm_id).toBe('deal \uFFFD');
  });
});
