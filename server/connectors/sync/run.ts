import { randomUUID } from 'node:crypto';
import type { SyncReport } from '../../../core/schema';
import { writeJson } from '../../store/json-column';
import { writeTransaction, type Tx } from '../../store/transaction';
import { listUsers } from '../../store/users';
import { connectionById, problem, type Connection, type RunState } from '../connections';
import { ConnectorError } from '../errors';
import { openConnector, type ConnectorEnv } from '../open';
import { SecretKeyMismatch } from '../secret-box';
import type { CrmConnector, CrmDeal, DealPage, ListPosition } from '../types';
import { sendWriteBacks } from '../writeback/send';
import { stageBook } from './classify';
import { removeDeals, writeDealPage, type DealWriteContext } from './deal-writes';
import { LeaseLost, acquireLease, fenceLease, releaseLease } from './lease';
import { ownerBook, saveCrmUsers } from './owners';
import { processRefreshes } from './refresh';

// One sync of one connection, by the one process holding its lease: write-backs first, then records pages asked for
// by page captures, then changed deals page by page (each page, its resume position and the cursor in one
// transaction), then, for CRMs that hide deletions, a reconciliation of ids now and then. A sync cut anywhere
// resumes from its last committed page; pages read twice change nothing the second time.

export interface SyncProgress {
  fetched: number;
  upserted: number;
  removed: number;
  /** Deals the CRM holds, when it said (a full sync's progress bar). */
  total: number | null;
}

export interface SyncOptions {
  full?: boolean;
  /** Send failed write-backs too, without waiting for their retry time (`crm sync`). */
  everyWriteBack?: boolean;
  onProgress?: (progress: SyncProgress) => void;
}

const defaultOverlapMs = 5 * 60_000;
const defaultReconcileEveryMs = 24 * 60 * 60_000;

function latest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return b > a ? b : a;
}

async function hasDeals(db: Tx, connection: Connection): Promise<boolean> {
  const row = await db.selectFrom('deals').select('id').where('crm', '=', connection.crm).where('instance', '=', connection.instance).where('record_type', '=', 'deal').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** A new sync: full (from nothing, marking what it sees so what it does not see can go) or from the cursor. */
async function startRun(env: ConnectorEnv, tx: Tx, connection: Connection, full: boolean, now: string): Promise<RunState> {
  const overlap = env.overlapMs ?? defaultOverlapMs;
  const fromScratch = full || connection.cursor === null;
  const since = fromScratch ? null : new Date(Date.parse(connection.cursor!) - overlap).toISOString();
  const marking = fromScratch && (await hasDeals(tx, connection));
  if (marking) await tx.deleteFrom('crm_seen').where('connection_id', '=', connection.id).execute();
  return { id: randomUUID(), full: fromScratch, since, phase: 'deals', position: null, marking, startedAt: now, fetched: 0, upserted: 0, removed: 0 };
}

async function markSeen(tx: Tx, connectionId: string, crmIds: readonly string[]): Promise<void> {
  for (let start = 0; start < crmIds.length; start += 400) {
    await tx
      .insertInto('crm_seen')
      .values(crmIds.slice(start, start + 400).map((crmId) => ({ connection_id: connectionId, crm_id: crmId })))
      .onConflict((conflict) => conflict.columns(['connection_id', 'crm_id']).doNothing())
      .execute();
  }
}

/** After a complete listing: every deal of the connection it did not see is gone from the CRM. */
async function sweepUnseen(write: Omit<DealWriteContext, 'stages' | 'owners'>): Promise<number> {
  let removed = 0;
  for (;;) {
    const unseen = await write.tx
      .selectFrom('deals')
      .selectAll()
      .where('crm', '=', write.connection.crm)
      .where('instance', '=', write.connection.instance)
      .where('record_type', '=', 'deal')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('crm_seen').select('crm_id').where('crm_seen.connection_id', '=', write.connection.id).whereRef('crm_seen.crm_id', '=', 'deals.crm_id'))))
      .limit(500)
      .execute();
    if (unseen.length === 0) break;
    removed += await removeDeals(write, unseen);
  }
  await write.tx.deleteFrom('crm_seen').where('connection_id', '=', write.connection.id).execute();
  return removed;
}

function problemOf(error: unknown): { kind: Parameters<typeof problem>[0]; message: string } {
  if (error instanceof ConnectorError) return { kind: error.kind, message: error.message };
  if (error instanceof SecretKeyMismatch) return { kind: 'internal', message: error.message };
  return { kind: 'internal', message: `Headway failed during the sync: ${error instanceof Error ? error.message : String(error)}` };
}

/**
 * Syncs one connection now, if no other process is syncing it (then `ran` is false and nothing happened).
 * Never throws for a CRM's failure: the report's `errors` says what went wrong, and so does the connection's status.
 */
export async function syncConnection(env: ConnectorEnv, connectionId: string, options: SyncOptions = {}): Promise<SyncReport> {
  const { store, clock } = env;
  const initial = await connectionById(store.db, connectionId);
  if (!initial) throw new Error(`No CRM connection ${connectionId}`);
  const report: SyncReport = {
    origin: initial.instance, crm: initial.crm, full: options.full === true, fetched: 0, upserted: 0, removed: 0, writtenBack: 0, errors: [], cursor: initial.cursor, ran: false,
  };
  if (!(await acquireLease(store.db, connectionId, env.process, clock.now(), env.leaseMs))) return report;
  report.ran = true;
  const runId = randomUUID();
  await store.db
    .insertInto('crm_sync_runs')
    .values({ id: runId, connection_id: connectionId, process: env.process, full: options.full ? 1 : 0, started_at: clock.now().toISOString(), finished_at: null, fetched: 0, upserted: 0, removed: 0, written_back: 0, error: null })
    .execute();
  try {
    await runSync(env, connectionId, options, report);
  } catch (error) {
    const { kind, message } = problemOf(error);
    report.errors.push(message);
    if (!(error instanceof LeaseLost)) {
      await store.db.updateTable('crm_connections').set({ last_error: problem(kind, message, clock.now().toISOString()) }).where('id', '=', connectionId).execute();
    }
  } finally {
    await store.db
      .updateTable('crm_sync_runs')
      .set({ finished_at: clock.now().toISOString(), fetched: report.fetched, upserted: report.upserted, removed: report.removed, written_back: report.writtenBack, error: report.errors[0] ?? null })
      .where('id', '=', runId)
      .execute();
    await releaseLease(store.db, connectionId, env.process);
  }
  return report;
}

async function runSync(env: ConnectorEnv, connectionId: string, options: SyncOptions, report: SyncReport): Promise<void> {
  const { store, clock } = env;
  let connection = (await connectionById(store.db, connectionId))!;
  const { connector } = openConnector(env, connection);

  // The CRM's users and pipelines first: owners and won/lost are judged by them.
  const [crmUsers, pipelines] = await Promise.all([connector.listUsers(), connector.listPipelines()]);
  await writeTransaction(store, async (tx) => {
    await fenceLease(tx, connectionId, env.process, clock.now(), env.leaseMs);
    await saveCrmUsers(tx, connectionId, crmUsers);
    await tx.updateTable('crm_connections').set({ pipelines: writeJson(pipelines) }).where('id', '=', connectionId).execute();
  });
  connection = (await connectionById(store.db, connectionId))!;
  const owners = ownerBook(connection, crmUsers, await listUsers(store.db));
  const stages = stageBook(pipelines, connection.settings);

  const sent = await sendWriteBacks(env, connection, connector, owners, options.everyWriteBack === true);
  report.writtenBack += sent.written;
  report.errors.push(...sent.errors);

  const refreshed = await processRefreshes(env, connection, connector, { connection, stages, owners });
  report.fetched += refreshed.fetched;
  report.upserted += refreshed.upserted;
  report.removed += refreshed.removed;

  await listDeals(env, connection, connector, { connection, stages, owners }, options, report);
  connection = (await connectionById(store.db, connectionId))!;
  const reconcileEvery = env.reconcileEveryMs ?? defaultReconcileEveryMs;
  const reconcileDue = connection.reconciledAt === null || Date.parse(connection.reconciledAt) + reconcileEvery <= clock.now().getTime();
  // Where deletions show as flags, purged records still vanish without one (SuiteCRM's "Prune Database" job), so
  // every connector reconciles now and then; where they do not, this is how deletions are seen at all.
  if (reconcileDue && !report.full) {
    await reconcileIds(env, connection, connector, report);
  }
  const now = clock.now().toISOString();
  await store.db.updateTable('crm_connections').set({ last_success_at: now, last_error: report.errors.length > 0 ? problem('rejected', report.errors[0]!, now) : null, due_at: null }).where('id', '=', connectionId).execute();
  report.cursor = (await connectionById(store.db, connectionId))!.cursor;
}

/**
 * Whether a page of one modification time sends the walk through that time's ids from the first (keyset.ts, for an
 * API that does not sort ties by id). That walk reads the page's deals again in id order, so they are not written
 * now: written twice they would cost a second upsert each, and after a cut inside the walk the resumed sync would
 * read the ones past the cut a third time.
 */
function restartsTie(position: ListPosition | null, next: ListPosition | null): boolean {
  return next?.keyset.phase === 'tie' && next.keyset.afterId === null && next.pass === (position?.pass ?? next.pass) && (position === null || position.keyset.phase === 'range');
}

async function listDeals(
  env: ConnectorEnv,
  initial: Connection,
  connector: CrmConnector,
  judges: Omit<DealWriteContext, 'tx' | 'kind' | 'now'>,
  options: SyncOptions,
  report: SyncReport,
): Promise<void> {
  const { store, clock } = env;
  let run = initial.run;
  // A full sync asked for replaces an incremental one left unfinished; an unfinished full one simply goes on.
  if (run && (run.phase !== 'deals' || (options.full && !run.full))) run = null;
  if (!run) {
    run = await writeTransaction(store, async (tx) => {
      await fenceLease(tx, initial.id, env.process, clock.now(), env.leaseMs);
      const started = await startRun(env, tx, initial, options.full === true, clock.now().toISOString());
      await tx.updateTable('crm_connections').set({ run: writeJson(started) }).where('id', '=', initial.id).execute();
      return started;
    });
  }
  report.full = run.full;
  const total = run.full && options.onProgress ? await connector.countDeals().catch(() => null) : null;
  let counted = { fetched: run.fetched, upserted: run.upserted, removed: run.removed };
  options.onProgress?.({ ...counted, total });
  for (;;) {
    const listed: DealPage = await connector.listChangedDeals(run.since, run.position);
    const page: DealPage = { ...listed, deals: restartsTie(run.position, listed.next) ? [] : listed.deals };
    const current: RunState = run;
    const next = await writeTransaction(store, async (tx) => {
      const now = clock.now();
      await fenceLease(tx, initial.id, env.process, now, env.leaseMs);
      const write = { ...judges, tx, kind: store.kind, now: now.toISOString() };
      const outcome = await writeDealPage(write, page.deals);
      if (current.marking) await markSeen(tx, initial.id, page.deals.filter((deal) => !deal.deleted).map((deal) => deal.crmId));
      const swept = page.next === null && current.marking ? await sweepUnseen(write) : 0;
      const pageLatest = page.deals.reduce<string | null>((max, deal: CrmDeal) => latest(max, deal.modifiedAt), null);
      const stored = await tx.selectFrom('crm_connections').select('cursor').where('id', '=', initial.id).executeTakeFirstOrThrow();
      const advanced: RunState = {
        ...current,
        position: page.next,
        fetched: current.fetched + page.deals.length,
        upserted: current.upserted + outcome.upserted,
        removed: current.removed + outcome.removed + swept,
      };
      await tx
        .updateTable('crm_connections')
        .set({
          cursor: latest(stored.cursor, pageLatest),
          run: page.next === null ? null : writeJson(advanced),
          // A complete full listing is a reconciliation (the sweep above, or nothing stored before it to sweep).
          ...(page.next === null && current.full ? { reconciled_at: now.toISOString() } : {}),
        })
        .where('id', '=', initial.id)
        .execute();
      return { advanced, outcome, swept };
    });
    report.fetched += page.deals.length;
    report.upserted += next.outcome.upserted;
    report.removed += next.outcome.removed + next.swept;
    counted = { fetched: next.advanced.fetched, upserted: next.advanced.upserted, removed: next.advanced.removed };
    options.onProgress?.({ ...counted, total });
    if (page.next === null) return;
    run = next.advanced;
  }
}

/** Lists every live id and removes the deals the CRM no longer has (for APIs that do not show deletions). */
async function reconcileIds(env: ConnectorEnv, connection: Connection, connector: CrmConnector, report: SyncReport): Promise<void> {
  const { store, clock } = env;
  let run: RunState | null = connection.run?.phase === 'ids' ? connection.run : null;
  if (!run) {
    run = await writeTransaction(store, async (tx) => {
      await fenceLease(tx, connection.id, env.process, clock.now(), env.leaseMs);
      await tx.deleteFrom('crm_seen').where('connection_id', '=', connection.id).execute();
      const started: RunState = { id: randomUUID(), full: false, since: null, phase: 'ids', position: null, marking: true, startedAt: clock.now().toISOString(), fetched: 0, upserted: 0, removed: 0 };
      await tx.updateTable('crm_connections').set({ run: writeJson(started) }).where('id', '=', connection.id).execute();
      return started;
    });
  }
  for (;;) {
    const page = await connector.listDealIds(run.position);
    const current: RunState = run;
    const done = await writeTransaction(store, async (tx) => {
      const now = clock.now();
      await fenceLease(tx, connection.id, env.process, now, env.leaseMs);
      await markSeen(tx, connection.id, page.ids);
      const swept = page.next === null ? await sweepUnseen({ tx, kind: store.kind, connection, now: now.toISOString() }) : 0;
      const advanced: RunState = { ...current, position: page.next, removed: current.removed + swept };
      await tx
        .updateTable('crm_connections')
        .set({ run: page.next === null ? null : writeJson(advanced), ...(page.next === null ? { reconciled_at: now.toISOString() } : {}) })
        .where('id', '=', connection.id)
        .execute();
      return { advanced, swept };
    });
    report.removed += done.swept;
    run = done.advanced;
    if (page.next === null) return;
  }
}
