import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionStatus, Note, SyncReport, type CrmId } from '../../../core/schema';
import { systemClock } from '../../../server/clock';
import { connectCrm } from '../../../server/connectors/connect';
import { connectionById, saveSettings } from '../../../server/connectors/connections';
import { ConnectorError } from '../../../server/connectors/errors';
import { openConnector, type ConnectorEnv } from '../../../server/connectors/open';
import { secretBoxFromKey } from '../../../server/connectors/secret-box';
import { connectionStatus } from '../../../server/connectors/status';
import { syncConnection, type SyncOptions } from '../../../server/connectors/sync/run';
import { collectWriteBacks } from '../../../server/connectors/writeback/collect';
import type { Store } from '../../../server/store/store';
import type { DealsTable } from '../../../server/store/tables';
import { describeEachStore, type StoreContext } from '../stores';
import { post, signedIn, testApp } from '../helpers';
import { dealCapture, newClientId, pullAll, pushOk } from '../sync-fixtures';
import type { ContractTarget, RunningTarget, TargetDeal } from './target';

/**
 * The contract every connector passes, on SQLite and PostgreSQL, against its contract fake (a real HTTP server on
 * loopback that answers as the vendor's API does). A connector's test file calls `connectorContract(target)` once
 * per API it supports (see suitecrm.contract.test.ts).
 */

const deal = (over: Partial<TargetDeal> = {}): TargetDeal => ({
  title: 'Harbour Foods – coffee supply', amount: 12_500, currency: 'system', stage: 'open', owner: 'mapped-by-id', purchase: false, closeDate: '2026-05-29', ...over,
});

export interface Harness {
  crm: CrmId;
  store: Store;
  target: RunningTarget;
  env: ConnectorEnv & { sleeps: number[] };
  connectionId: string;
  sync(options?: SyncOptions): Promise<SyncReport>;
  deals(): Promise<DealsTable[]>;
  dealOf(crmId: string): Promise<DealsTable | undefined>;
  users: Awaited<ReturnType<typeof headwayTeam>>;
}

/** Headway's side of the team: Maya known by her CRM user id, Omar by e-mail; nobody matches the third owner. */
async function headwayTeam(store: Store, target: RunningTarget, crm: CrmId) {
  const app = testApp(store, systemClock);
  const head = await signedIn(app, store, systemClock, { role: 'head' });
  const maya = await signedIn(app, store, systemClock, {
    role: 'manager', name: 'Maya Chen', email: target.owners.byId.email, crmIdentities: [{ crm, ownerId: target.owners.byId.crmId }],
  });
  const omar = await signedIn(app, store, systemClock, { role: 'manager', name: 'Omar Haddad', email: target.owners.byEmail.email.toLowerCase() });
  return { app, head, maya, omar };
}

export function testEnv(store: Store, overrides: Partial<ConnectorEnv> = {}): ConnectorEnv & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    store,
    clock: systemClock,
    box: secretBoxFromKey(randomBytes(32)),
    process: `test-${randomBytes(4).toString('hex')}`,
    // Waits are recorded, not slept: the test checks what was asked for without spending it.
    http: { sleep: async (ms) => void sleeps.push(ms), baseDelayMs: 10, maxAttempts: 4 },
    pageSize: 100,
    sleeps,
    ...overrides,
  };
}

/** The env hook that points a connector at its fake's OAuth server, when it has one. */
export function authServersOf(crm: CrmId, target: RunningTarget): Partial<ConnectorEnv> {
  return target.authServer ? { authServers: { [crm]: target.authServer } } : {};
}

async function harness(context: StoreContext, crm: CrmId, started: RunningTarget, envOverrides: Partial<ConnectorEnv> = {}): Promise<Harness> {
  const { store } = await context.freshStore();
  const env = testEnv(store, { ...authServersOf(crm, started), ...envOverrides });
  const users = await headwayTeam(store, started, crm);
  const { connection } = await connectCrm(env, { origin: started.origin, crm, api: started.api, clientId: started.clientId, username: started.username, secret: started.secret });
  const deals = () => store.db.selectFrom('deals').selectAll().where('crm', '=', connection.crm).orderBy('title').execute();
  return {
    crm, store, target: started, env, connectionId: connection.id, users,
    sync: (options) => syncConnection(env, connection.id, options),
    deals,
    dealOf: (crmId) => store.db.selectFrom('deals').selectAll().where('crm_id', '=', crmId).executeTakeFirst(),
  };
}

async function pushNote(h: Harness, crmId: string, content: Record<string, unknown> = {}) {
  const id = `note-${randomBytes(6).toString('hex')}`;
  await pushOk(h.users.app, h.users.maya.auth, newClientId(), [{
    mutationId: 1,
    name: 'note.create',
    args: {
      id, record: { crm: h.crm, instance: h.target.origin, crmId, recordType: 'deal' }, recordTitle: 'Harbour Foods', side: 'buyer', text: 'Procurement pushes back on price',
      asked: '8 % off', offered: '4 % for a two-year term', price: 11_900, discountPct: 4, nextStep: 'Send revised quote', nextStepDate: '2026-03-20',
      createdAt: new Date().toISOString(), ...content,
    },
  }]);
  return id;
}

async function writeBackOf(store: Store, noteId: string) {
  return store.db.selectFrom('crm_writebacks').selectAll().where('subject_id', '=', noteId).where('kind', '=', 'note').executeTakeFirstOrThrow();
}

export function connectorContract(contract: ContractTarget): void {
  describe(`${contract.name}: connecting`, () => {
    let target: RunningTarget;
    afterEach(async () => target?.close());

    const tryConnect = async (store: Store, over: Partial<{ origin: string; secret: string }> = {}) => {
      try {
        await connectCrm(testEnv(store, authServersOf(contract.crm, target)), { origin: over.origin ?? target.origin, crm: contract.crm, api: target.api, clientId: target.clientId, username: target.username, secret: over.secret ?? target.secret });
        return null;
      } catch (error) {
        if (error instanceof ConnectorError) return error;
        throw error;
      }
    };

    describeEachStore(`${contract.name} connect`, (context) => {
      it('says plainly what is wrong, and stores nothing until the CRM says yes', async () => {
        target = await contract.start();
        const { store } = await context.freshStore();
        const bad = await tryConnect(store, { secret: `${target.secret}-wrong` });
        expect(bad?.kind).toBe('bad_credential');
        expect(bad?.message).not.toContain(`${target.secret}-wrong`);
        const unreachable = await tryConnect(store, { origin: 'http://127.0.0.1:1' });
        expect(unreachable?.kind).toBe('unreachable');
        target.denyNotes(false);
        target.switchApiOff();
        expect((await tryConnect(store))?.kind).toBe('api_off');
        expect(await store.db.selectFrom('crm_connections').selectAll().execute()).toEqual([]);
      });
    });
  });

  describeEachStore(`${contract.name} sync`, (context) => {
    let target: RunningTarget | undefined;
    afterEach(async () => {
      await target?.close();
      target = undefined;
    });
    const setUp = async (envOverrides: Partial<ConnectorEnv> = {}) => {
      target = await contract.start();
      return harness(context, contract.crm, target, envOverrides);
    };

    it('reads every deal: amounts with their currency, won/lost from the pipeline, close dates as stored, owners mapped', async () => {
      const h = await setUp();
      const holds = h.target.holds ?? {};
      const ownerless = holds.ownerless !== false;
      const [open, won, lost, usd, unmapped, purchase] = h.target.addDeals([
        deal({ title: 'A open' }),
        deal({ title: 'B won', stage: 'won', owner: 'mapped-by-email', closeDate: '2026-02-03' }),
        deal({ title: 'C lost', stage: 'lost', closeDate: '2026-01-31' }),
        deal({ title: 'D dollars', currency: 'USD', amount: 990.5 }),
        deal({ title: 'E unmapped', owner: 'unmapped', amount: null }),
        deal({ title: 'F purchase', purchase: true, owner: ownerless ? 'none' : 'mapped-by-id' }),
      ]);
      const report = await h.sync({ full: true });
      expect(report.errors).toEqual([]);
      expect(report).toMatchObject({ ran: true, full: true, fetched: 6, upserted: 6, removed: 0 });
      const byId = new Map((await h.deals()).map((row) => [row.crm_id, row]));
      const { maya, omar } = h.users;
      expect(byId.get(open!)).toMatchObject({ title: 'A open', amount: 12_500, currency: holds.oneCurrency ?? 'EUR', status: 'open', closed_at: null, expected_close: holds.expectedClose === false ? null : '2026-05-29', owner_id: maya.user.id, source: 'connector', kind: 'sale' });
      expect(byId.get(won!)).toMatchObject({ status: 'won', closed_at: '2026-02-03T00:00:00.000Z', owner_id: omar.user.id });
      expect(byId.get(lost!)).toMatchObject({ status: 'lost', closed_at: '2026-01-31T00:00:00.000Z' });
      expect(byId.get(usd!)).toMatchObject({ amount: 990.5, currency: holds.oneCurrency ?? 'USD' });
      expect(byId.get(unmapped!)).toMatchObject({ amount: null, owner_id: null, owner_label: h.target.owners.unmapped.name });
      expect(byId.get(purchase!)).toMatchObject(ownerless ? { owner_id: null, owner_label: null, kind: 'sale' } : { owner_id: maya.user.id, kind: 'sale' });

      // Sales vs purchases by the admin's rule; the next sync judges every stored deal again.
      const connection = (await connectionById(h.store.db, h.connectionId))!;
      await saveSettings(h.store.db, h.connectionId, { ...connection.settings, purchaseWhen: { field: h.target.purchaseRule.field, values: [h.target.purchaseRule.value] } }, new Date().toISOString());
      await h.store.db.updateTable('crm_connections').set({ cursor: null }).where('id', '=', h.connectionId).execute();
      expect((await h.sync()).errors).toEqual([]);
      expect((await h.dealOf(purchase!))?.kind).toBe('purchase');
      expect((await h.dealOf(open!))?.kind).toBe('sale');

      const status = ConnectionStatus.parse(await connectionStatus(h.store.db, (await connectionById(h.store.db, h.connectionId))!, new Date()));
      expect(status.counts).toMatchObject({ deals: 6, unmappedOwners: 1, pendingWriteBacks: 0 });
      expect(status.unmappedOwners.map((owner) => owner.crmUserId)).toEqual([h.target.owners.unmapped.crmId]);
      expect(JSON.stringify(status)).not.toContain(h.target.secret);
    });

    it('pages to the end through more deals than a page sharing one modification time', async () => {
      const h = await setUp();
      h.target.addDeals(Array.from({ length: 250 }, (_, i) => deal({ title: `Tie ${i}` })), { sameModifiedTime: true });
      h.target.addDeals(Array.from({ length: 130 }, (_, i) => deal({ title: `Later ${i}` })), { modifiedAtMs: Date.now() + 5_000 });
      const report = await h.sync({ full: true });
      expect(report.errors).toEqual([]);
      expect(await h.deals()).toHaveLength(380);
      expect(new Set((await h.deals()).map((row) => row.crm_id)).size).toBe(380);
    });

    it('syncs incrementally from its cursor, reading an overlap for clock skew, and moves the cursor only after a commit', async () => {
      const h = await setUp();
      // Most deals last changed long before the newest one, so the overlap below the cursor does not reach them.
      const ids = h.target.addDeals(Array.from({ length: 40 }, (_, i) => deal({ title: `Deal ${i}` })), { modifiedAtMs: Date.now() - 3 * 3_600_000 });
      h.target.addDeals([deal({ title: 'Newest' })], { modifiedAtMs: Date.now() - 3_600_000 });
      await h.sync({ full: true });
      const cursor = (await connectionById(h.store.db, h.connectionId))!.cursor!;
      expect(cursor).not.toBeNull();

      h.target.editDeal(ids[3]!, { amount: 777 });
      const first = await h.sync();
      expect(first).toMatchObject({ full: false, upserted: 1, errors: [] });
      expect(first.fetched).toBeLessThan(10);
      expect((await h.dealOf(ids[3]!))?.amount).toBe(777);

      // A change stamped a minute before the cursor (another app server's clock) still arrives, inside the overlap.
      const now = (await connectionById(h.store.db, h.connectionId))!.cursor!;
      h.target.editDeal(ids[5]!, { title: 'Skewed' }, { modifiedAtMs: Date.parse(now) - 60_000 });
      expect((await h.sync()).upserted).toBe(1);
      expect((await h.dealOf(ids[5]!))?.title).toBe('Skewed');

      // A listing that fails commits nothing and leaves the cursor where it was.
      const before = (await connectionById(h.store.db, h.connectionId))!.cursor;
      h.target.editDeal(ids[7]!, { amount: 1 });
      h.target.failListingAfter(0);
      const failed = await h.sync();
      expect(failed.errors.length).toBeGreaterThan(0);
      expect((await connectionById(h.store.db, h.connectionId))!.cursor).toBe(before);
      expect((await h.dealOf(ids[7]!))?.amount).toBe(12_500);
      h.target.failListingAfter(null);
      expect((await h.sync()).errors).toEqual([]);
      expect((await h.dealOf(ids[7]!))?.amount).toBe(1);
    });

    it('resumes a sync cut short from its last committed page, losing and repeating nothing', async () => {
      const h = await setUp();
      // One modification time for all (an import, a bulk change): the cut falls inside the walk through deals
      // sharing one time, the hardest path for a resume, and never before the walk begins.
      h.target.addDeals(Array.from({ length: 650 }, (_, i) => deal({ title: `Deal ${String(i).padStart(3, '0')}` })), { sameModifiedTime: true, modifiedAtMs: Date.now() - 3_600_000 });
      h.target.failListingAfter(6);
      const cut = await h.sync({ full: true });
      expect(cut.errors.length).toBeGreaterThan(0);
      const half = await h.deals();
      const pageSize = h.target.listPageSize ?? h.env.pageSize!;
      expect(half.length).toBeGreaterThan(pageSize);
      expect(half.length).toBeLessThan(650);
      expect((await connectionById(h.store.db, h.connectionId))!.run?.position).not.toBeNull();
      // While the sync is down a user edits a deal it had already read: that deal leaves the shared time, and every
      // deal after it moves up one place in a listing by that time.
      const edited = half[0]!.crm_id;
      h.target.editDeal(edited, { amount: 4321 });
      h.target.failListingAfter(null);
      const resumed = await h.sync();
      expect(resumed.errors).toEqual([]);
      // It went on from where it stopped: the deals it had not read and the edited one again, nothing read twice
      // (a page of one time that starts an id walk is left to that walk, sync/run.ts restartsTie).
      expect(resumed.fetched).toBe(650 - half.length + 1);
      const all = await h.deals();
      expect(all).toHaveLength(650);
      expect(new Set(all.map((row) => row.crm_id)).size).toBe(650);
      expect(all.filter((row) => row.crm_id !== edited).every((row) => row.version === 1)).toBe(true);
      expect(await h.dealOf(edited)).toMatchObject({ amount: 4321, version: 2 });
    });

    it('honours rate-limit answers with their Retry-After, and token expiry', async () => {
      const h = await setUp();
      h.target.addDeals(Array.from({ length: 320 }, (_, i) => deal({ title: `Deal ${i}` })));
      h.target.rateLimit({ everyNth: 3, retryAfterSeconds: 2 });
      // Tokens that renew are expired at the start and mid-sync; a long-lived one cannot be (each CRM tests that).
      const renewable = h.target.holds?.renewableTokens !== false;
      if (renewable) h.target.expireTokens();
      const report = await h.sync({ full: true, onProgress: ({ fetched }) => fetched === 100 && renewable && h.target.expireTokens() });
      expect(report.errors).toEqual([]);
      expect(await h.deals()).toHaveLength(320);
      // The wait the CRM asked for (or, where it names none, the wait the connector takes), or merely a backoff
      // where its answer says nothing of when to retry.
      if (h.target.rateLimitSaysWhen ?? true) expect(h.env.sleeps.filter((ms) => ms === (h.target.holds?.rateLimitWaitMs ?? 2000)).length).toBeGreaterThan(0);
      else expect(h.env.sleeps.length).toBeGreaterThan(0);
    });

    it('sees deletions: by deleted flags where the API shows them, else by reconciling ids', async () => {
      const h = await setUp({ reconcileEveryMs: 60 * 60_000 });
      const [kept, deleted, purged] = h.target.addDeals([deal({ title: 'Kept' }), deal({ title: 'Deleted' }), deal({ title: 'Purged' })]);
      await h.sync({ full: true });
      h.target.deleteDeal(deleted!);
      h.target.purgeDeal(purged!);
      const connector = openConnector(h.env, (await connectionById(h.store.db, h.connectionId))!).connector;
      await h.sync();
      if (connector.abilities.deletions === 'flags') expect(await h.dealOf(deleted!)).toBeUndefined();
      // Reconciliation catches what no flag shows (and everything, where the API shows no flags).
      h.env.reconcileEveryMs = 0;
      const reconciled = await h.sync();
      expect(reconciled.errors).toEqual([]);
      expect((await h.deals()).map((row) => row.crm_id)).toEqual([kept]);
    });

    it('writes a negotiation note back once as the CRM’s own note, even when an answer was lost', async () => {
      const h = await setUp();
      const [dealId] = h.target.addDeals([deal()]);
      await h.sync({ full: true });
      const noteId = await pushNote(h, dealId!);
      await collectWriteBacks(h.store, new Date().toISOString());
      expect((await writeBackOf(h.store, noteId)).state).toBe('pending');
      const report = await h.sync();
      expect(report).toMatchObject({ writtenBack: 1, errors: [] });
      const notes = h.target.notesOn(dealId!);
      expect(notes).toHaveLength(1);
      for (const word of ['Maya Chen', 'Buyer', '8 % off', '4 % for a two-year term', '11900', '4 %', 'Send revised quote', '2026-03-20']) expect(notes[0]!.text).toContain(word);
      if (h.target.holds?.noteAuthor !== false) expect(notes[0]!.authorCrmId).toBe(h.target.owners.byId.crmId);
      const written = await writeBackOf(h.store, noteId);
      expect(written).toMatchObject({ state: 'written', crm_id: notes[0]!.id });

      // The sidebar's view: the note as pulled carries its state in the CRM.
      const pulled = await pullAll(h.users.app, h.users.maya.auth);
      const note = Note.parse(pulled.changes.find((change) => change.entityId === noteId)?.data);
      expect(note.crmCopy).toMatchObject({ state: 'written', crmNoteId: notes[0]!.id });

      // The CRM made the note but our commit of its id was lost (a crash): sent again, it meets the same record.
      await h.store.db.updateTable('crm_writebacks').set({ state: 'pending', crm_id: null }).where('id', '=', written.id).execute();
      expect((await h.sync({ everyWriteBack: true })).errors).toEqual([]);
      expect(h.target.notesOn(dealId!)).toHaveLength(1);
      expect(await writeBackOf(h.store, noteId)).toMatchObject({ state: 'written', crm_id: notes[0]!.id });
      await collectWriteBacks(h.store, new Date().toISOString());
      await h.sync({ everyWriteBack: true });
      expect(h.target.notesOn(dealId!)).toHaveLength(1);
    });

    it('keeps a failing write-back with its reason and retries it until it is written', async () => {
      const h = await setUp();
      const [dealId] = h.target.addDeals([deal()]);
      await h.sync({ full: true });
      h.target.denyNotes(true);
      const noteId = await pushNote(h, dealId!);
      await collectWriteBacks(h.store, new Date().toISOString());
      const failed = await h.sync();
      expect(failed.errors.join(' ')).toMatch(/may not|denied|access/i);
      const row = await writeBackOf(h.store, noteId);
      expect(row).toMatchObject({ state: 'failed', attempts: 1 });
      expect(row.last_error).toBeTruthy();
      const pulled = Note.parse((await pullAll(h.users.app, h.users.maya.auth)).changes.find((change) => change.entityId === noteId)?.data);
      expect(pulled.crmCopy).toMatchObject({ state: 'failed' });
      expect(pulled.crmCopy?.message).toBeTruthy();
      h.target.denyNotes(false);
      expect((await h.sync({ everyWriteBack: true })).writtenBack).toBe(1);
      expect(h.target.notesOn(dealId!)).toHaveLength(1);
      expect((await writeBackOf(h.store, noteId)).state).toBe('written');
    });

    it('turns a next step into a CRM task when the admin chose so, and an edited note updates the same CRM note', async () => {
      const h = await setUp();
      const [dealId] = h.target.addDeals([deal()]);
      await h.sync({ full: true });
      const connection = (await connectionById(h.store.db, h.connectionId))!;
      await saveSettings(h.store.db, h.connectionId, { ...connection.settings, nextStepTasks: true }, new Date().toISOString());
      const noteId = await pushNote(h, dealId!);
      await collectWriteBacks(h.store, new Date().toISOString());
      expect((await h.sync()).writtenBack).toBe(2);
      expect(h.target.tasksOn(dealId!)).toEqual([expect.objectContaining({ title: 'Send revised quote', due: '2026-03-20' })]);
      await pushOk(h.users.app, h.users.maya.auth, newClientId(), [{ mutationId: 1, name: 'note.update', args: { id: noteId, baseVersion: 1, content: { side: 'buyer', text: 'They accepted 5 %' } } }]);
      await collectWriteBacks(h.store, new Date().toISOString());
      expect((await h.sync()).writtenBack).toBe(1);
      const notes = h.target.notesOn(dealId!);
      expect(notes).toHaveLength(1);
      expect(notes[0]!.text).toContain('They accepted 5 %');
      expect(h.target.tasksOn(dealId!)).toHaveLength(1);
    });

    it('gives an approved move to its new owner in the CRM when switched on, and settles the move from the CRM', async () => {
      const h = await setUp();
      const [dealId] = h.target.addDeals([deal({ title: 'Moving deal' })]);
      await h.sync({ full: true });
      const connection = (await connectionById(h.store.db, h.connectionId))!;
      await saveSettings(h.store.db, h.connectionId, { ...connection.settings, applyMoves: true }, new Date().toISOString());
      const stored = (await h.dealOf(dealId!))!;
      const { app, head, omar } = h.users;
      const proposed = await app.request('/api/moves', post({ dealId: stored.id, to: omar.user.id, decide: 'approve' }, head.auth));
      expect(proposed.status, await proposed.clone().text()).toBe(201);
      await collectWriteBacks(h.store, new Date().toISOString());
      const report = await h.sync();
      expect(report.errors).toEqual([]);
      expect(h.target.dealOwnerCrmId(dealId!)).toBe(h.target.owners.byEmail.crmId);
      expect((await h.dealOf(dealId!))?.owner_id).toBe(omar.user.id);
      const move = await h.store.db.selectFrom('moves').select('status').where('deal_id', '=', stored.id).executeTakeFirstOrThrow();
      expect(move.status).toBe('done');
    });

    it('lets a page capture write no deal fields, and brings the CRM’s own state within one sync', async () => {
      const h = await setUp();
      const [dealId] = h.target.addDeals([deal({ title: 'Captured', amount: 5000 })]);
      await h.sync({ full: true });
      const before = (await h.dealOf(dealId!))!;
      const capture = dealCapture(1, dealId!, { title: 'What the page showed', amount: 1 });
      capture.args.record = { ...capture.args.record, crm: h.crm, instance: h.target.origin } as unknown as typeof capture.args.record;
      await pushOk(h.users.app, h.users.maya.auth, newClientId(), [capture]);
      expect(await h.dealOf(dealId!)).toEqual(before);
      // The user changed it in the CRM a moment before the page was read (inside no incremental window on purpose).
      h.target.editDeal(dealId!, { amount: 6400 }, { modifiedAtMs: Date.now() - 24 * 3_600_000 });
      const report = await h.sync();
      expect(report.errors).toEqual([]);
      expect(await h.dealOf(dealId!)).toMatchObject({ title: 'Captured', amount: 6400 });
      expect(await h.store.db.selectFrom('crm_refresh').selectAll().execute()).toEqual([]);
    });
  });
}
