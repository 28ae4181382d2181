// Issue 18 §2: pulls and token checks answered from a process's memory (store/data-version.ts, sync/page-cache.ts)
// never show a reader what they may not see, never a page older than a change, and never let a revoked token in.
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Change } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { versionLeaseMs } from '../../server/store/data-version';
import { openMigratedStore, type Store } from '../../server/store/store';
import { describeEachStore } from './stores';
import { TestClock, declareTenant, signedIn, testApp } from './helpers';
import { dealCapture, newClientId, noteCreate, pullAll, pushOk } from './sync-fixtures';

type Person = Awaited<ReturnType<typeof signedIn>>;

const visible = (changes: Change[]) => new Set(changes.filter((c) => c.data !== null).map((c) => `${c.entity}:${c.entityId}`));
/** Past the version lease of another process: what it answers from then on must show every earlier commit. */
const pastTheLease = (store: Store) => new Promise((done) => setTimeout(done, versionLeaseMs(store) + 5));

describeEachStore('sync pull answered from memory', ({ store, databaseUrl }) => {
  const clock = new TestClock();
  let app: HeadwayApp;
  /** The same database through a store of its own: a second server process as far as memory goes. */
  let other: Store;
  let otherApp: HeadwayApp;
  let anna: Person, ben: Person;

  beforeAll(async () => {
    app = testApp(store(), clock);
    other = await openMigratedStore(databaseUrl());
    otherApp = testApp(other, clock);
    await declareTenant(store(), clock);
    anna = await signedIn(app, store(), clock, { role: 'manager', name: 'Anna A', crmIdentities: [{ crm: 'suitecrm', name: 'Anna A' }] });
    ben = await signedIn(app, store(), clock, { role: 'manager', name: 'Ben B', crmIdentities: [{ crm: 'suitecrm', name: 'Ben B' }] });
    await pushOk(app, anna.auth, newClientId(), [noteCreate(1), dealCapture(2, 'deal-anna-cache', { title: 'Anna deal', ownerLabel: 'Anna A' })]);
    await pushOk(app, ben.auth, newClientId(), [noteCreate(1)]);
  });
  afterAll(async () => {
    await other?.close();
  });

  it('answers the same page again until a change, then a page with the change, in this process and in another', async () => {
    const first = await pullAll(app, anna.auth);
    expect(await pullAll(app, anna.auth)).toEqual(first);
    expect(await pullAll(otherApp, anna.auth)).toEqual(first);
    const note = noteCreate(1);
    await pushOk(app, anna.auth, newClientId(), [note]);
    const after = await pullAll(app, anna.auth);
    expect(visible(after.changes)).toContain(`note:${note.args.id}`);
    expect(after.cursor).toBeGreaterThan(first.cursor);
    await pastTheLease(other);
    expect(await pullAll(otherApp, anna.auth)).toEqual(after);
    // From the cursor just answered: nothing new, and that cursor again.
    expect(await pullAll(otherApp, anna.auth, after.cursor)).toEqual({ changes: [], cursor: after.cursor, more: false });
  });

  it("never gives one reader's remembered page to another at the same cursor", async () => {
    const annas = visible((await pullAll(app, anna.auth)).changes);
    const bens = visible((await pullAll(app, ben.auth)).changes);
    const annaNotes = [...annas].filter((key) => key.startsWith('note:'));
    expect(annaNotes.length).toBeGreaterThan(0);
    for (const key of annaNotes) expect(bens).not.toContain(key);
    expect(bens).not.toContain([...annas].find((key) => key.startsWith('deal:')));
  });

  it('refuses a revoked token at once in the process that revoked it, and within the lease in every other', async () => {
    const device = await signedIn(app, store(), clock, { role: 'manager', name: 'Dora D' });
    // Both processes have checked (and remembered) the token.
    await pullAll(app, device.auth);
    await pullAll(otherApp, device.auth);
    expect((await app.request('/api/session', { method: 'DELETE', headers: device.auth })).status).toBe(204);
    expect((await app.request('/api/sync/pull?cursor=0&limit=10', { headers: device.auth })).status).toBe(401);
    await pastTheLease(other);
    expect((await otherApp.request('/api/sync/pull?cursor=0&limit=10', { headers: device.auth })).status).toBe(401);
  });

  it('follows a role change however it is written (plain SQL here), the page and the token alike', async () => {
    const carl = await signedIn(app, store(), clock, { role: 'manager', name: 'Carl C', crmIdentities: [{ crm: 'suitecrm', name: 'Carl C' }] });
    await pushOk(app, carl.auth, newClientId(), [dealCapture(1, 'deal-carl-cache', { title: 'Carl deal', ownerLabel: 'Carl C' })]);
    const asManager = await pullAll(app, carl.auth);
    expect(await pullAll(otherApp, carl.auth)).toEqual(asManager);
    expect([...visible(asManager.changes)].some((key) => key.startsWith('deal:'))).toBe(true);
    // An exec sees plans and escalations, never a deal: no remembered page of the manager may be given to them.
    await sql`update users set role = 'exec' where id = ${carl.user.id}`.execute(store().db);
    const asExec = await pullAll(app, carl.auth);
    expect([...visible(asExec.changes)].some((key) => key.startsWith('deal:'))).toBe(false);
    expect((await (await app.request('/api/me', { headers: carl.auth })).json()) as { role: string }).toMatchObject({ role: 'exec' });
    await pastTheLease(other);
    expect(await pullAll(otherApp, carl.auth)).toEqual(asExec);
  });
});
