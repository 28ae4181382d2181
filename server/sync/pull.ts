import { sql, type Compilable } from 'kysely';
import { canSee } from '../../core/escalation';
import type { Change, Entity, PullQuery, PullResponse, User } from '../../core/schema';
import { canSeeMove, findMove } from '../balance/move-records';
import { crmCopyOf } from '../connectors/writeback/queue';
import { loadWorkspace } from '../escalation/service';
import { dealColumns, dealOfRow } from '../store/deals';
import { escalationFromRow } from '../store/escalations';
import { noteColumns, noteFromRow } from '../store/notes';
import { planColumns, planOfRow } from '../store/plans';
import { currentVersion, type DataVersion } from '../store/data-version';
import { precompiled } from '../store/precompiled';
import type { Store } from '../store/store';
import type { CrmWritebacksTable, DealsTable, NotesTable, PlansTable } from '../store/tables';
import type { Tx } from '../store/transaction';
import { readConfig } from '../store/workspace';
import { pageCacheOf } from './page-cache';
import { canSeeDeal, canSeeNote, canSeePlan, changeVisibleTo, type Reader } from './visibility';

type Loaded = { version: number; data: unknown } | null;

/**
 * The entities whose rows ride along in the page's own statement, each table's columns under a prefix of its own.
 * Deals, plans and notes are nearly every change there is; escalations (a visibility rule over the whole workspace),
 * moves and the config are loaded after the page, as few as they are.
 */
const joined = { deal: true, plan: true, note: true } as const;
const writebackColumns = ['state', 'crm_id', 'last_error', 'updated_at'] as const satisfies readonly (keyof CrmWritebacksTable)[];

type PageRow = { high_water: number | string; access_epoch: number | string; seq: number | string | null; entity: string | null; entity_id: string | null; version: number | null } & Record<string, unknown>;

/** How a table's columns are named in a page row: each under the entity's prefix (computed once, not per row). */
function aliases<T>(entity: keyof typeof joined, columns: readonly (keyof T & string)[]): Aliases<T> {
  return { id: `${entity}_id`, named: columns.map((column) => [column, `${entity}_${column}`]) };
}
type Aliases<T> = { id: string; named: [keyof T & string, string][] };
const dealAliases = aliases<DealsTable>('deal', dealColumns);
const planAliases = aliases<PlansTable>('plan', planColumns);
const noteAliases = aliases<NotesTable>('note', noteColumns);

/** A table's row out of a page row; null when the join found none (the id, a primary key, is null only then). */
function rowOf<T>(row: PageRow, { id, named }: Aliases<T>): T | null {
  if (row[id] == null) return null;
  const picked: Record<string, unknown> = {};
  for (const [column, alias] of named) picked[column] = row[alias];
  return picked as T;
}

/**
 * One statement per pull for the page: the high-water mark, the changes after the cursor this reader is told about,
 * and the current rows of the deals, plans and notes they name. Every round trip to the database costs the server
 * a socket write and a wake-up of the database's process, which under load is most of a pull's CPU; and one
 * statement reads all of it in one snapshot, so the page never holds a change above its own high-water mark.
 * Precompiled once per kind of reader (the filter's shape depends on the role) and prepared on PostgreSQL.
 */
function pageQuery(filtered: 'all' | Reader['role']) {
  return precompiled((db: Tx, param: (name: 'cursor' | 'limit' | 'readerId') => never) => {
    const reader = { id: param('readerId'), role: filtered === 'all' ? 'head' : filtered } as Reader;
    const filter = changeVisibleTo(reader);
    let page = db
      .selectFrom('change_log')
      .select(['seq', 'entity', 'entity_id', 'version'])
      .where('seq', '>', param('cursor'))
      .where('seq', '<=', (eb) => eb.selectFrom('change_counter').select('seq').where('id', '=', 1))
      .orderBy('seq')
      .limit(param('limit'));
    if (filter) page = page.where(filter);
    const prefixed = <T>(table: string, { named }: Aliases<T>) => named.map(([column, alias]) => sql.ref(`${table}.${column}`).as(alias));
    return (
      db
        .selectFrom('change_counter as counter')
        // The access epoch of the same snapshot: what the page may be given again against (page-cache.ts).
        .innerJoin('access_epoch as access', (join) => join.onTrue())
        .leftJoin(page.as('page'), (join) => join.onTrue())
        .leftJoin('deals', (join) => join.onRef('deals.id', '=', 'page.entity_id').on('page.entity', '=', 'deal'))
        .leftJoin('plans', (join) => join.onRef('plans.id', '=', 'page.entity_id').on('page.entity', '=', 'plan'))
        .leftJoin('notes', (join) => join.onRef('notes.id', '=', 'page.entity_id').on('page.entity', '=', 'note'))
        // Where each note stands in the CRM of record (server/connectors), for the sidebar's "in the CRM" mark.
        .leftJoin('crm_writebacks', (join) => join.onRef('crm_writebacks.subject_id', '=', 'page.entity_id').on('page.entity', '=', 'note').on('crm_writebacks.kind', '=', 'note'))
        .select(['counter.seq as high_water', 'access.epoch as access_epoch', 'page.seq', 'page.entity', 'page.entity_id', 'page.version'])
        .select(prefixed('deals', dealAliases))
        .select(prefixed('plans', planAliases))
        .select(prefixed('notes', noteAliases))
        .select(writebackColumns.map((column) => sql.ref(`crm_writebacks.${column}`).as(`writeback_${column}`)))
        .where('counter.id', '=', 1)
        .where('access.id', '=', 1)
        .orderBy('page.seq') as unknown as Compilable<PageRow>
    );
  });
}
const pageQueries = { all: pageQuery('all'), manager: pageQuery('manager'), exec: pageQuery('exec') };

/** The entity a joined page row carries, as this reader may see it (null: it left their view or no longer exists). */
function joinedEntity(user: User, entity: keyof typeof joined, row: PageRow): Loaded | undefined {
  if (entity === 'deal') {
    const stored = rowOf(row, dealAliases);
    const deal = stored && dealOfRow(stored);
    return deal && (canSeeDeal(user, deal) ? { version: deal.version, data: deal } : null);
  }
  if (entity === 'plan') {
    const stored = rowOf(row, planAliases);
    const plan = stored && planOfRow(stored);
    return plan && (canSeePlan(user, plan) ? { version: plan.version, data: plan } : null);
  }
  const stored = rowOf(row, noteAliases);
  if (!stored) return null;
  const note = noteFromRow(stored);
  // state is never null in a write-back row: null here means the note has none.
  const copy = row.writeback_state == null ? null : crmCopyOf(Object.fromEntries(writebackColumns.map((column) => [column, row[`writeback_${column}`]])) as Pick<CrmWritebacksTable, (typeof writebackColumns)[number]>);
  return canSeeNote(user, note) ? { version: note.version, data: { ...note, crmCopy: copy } } : null;
}

/** Current state of the escalations, moves and config a page mentions, each checked against what the reader may see. */
async function loadOthers(db: Tx, user: User, entity: Entity, ids: string[]): Promise<Map<string, Loaded>> {
  const found = new Map<string, Loaded>();
  if (entity === 'config') {
    // The workspace has one config (logged as 'workspace'), whatever id a change names.
    const config = await readConfig(db);
    for (const id of ids) found.set(id, { version: 1, data: config });
  } else if (entity === 'escalation') {
    // The same rule the escalation routes use (core canSee over the workspace's routing ladder), so what a pull
    // carries never differs from what the inbox shows.
    const { transition } = await loadWorkspace(db);
    for (let start = 0; start < ids.length; start += 500) {
      const rows = await db.selectFrom('escalations').selectAll().where('id', 'in', ids.slice(start, start + 500)).execute();
      for (const escalation of rows.map(escalationFromRow)) {
        const visible = canSee(escalation, user, transition.usersById, transition.rules);
        found.set(escalation.id, visible ? { version: escalation.version, data: escalation } : null);
      }
    }
  } else if (entity === 'move') {
    // Moves are few (a head decides each one), so one look-up each is cheap.
    for (const id of ids) {
      const move = await findMove(db, id);
      if (move) found.set(id, canSeeMove(user, move) ? { version: move.version, data: move } : null);
    }
  }
  return found;
}

/**
 * Changes after `cursor` this reader may see, each carrying the entity as it is now (or null when it left the
 * reader's view). The high-water mark is read in the page's own statement, so a change committed mid-pull is never
 * skipped.
 */
export async function pullChanges(store: Store, user: User, request: PullQuery): Promise<PullResponse> {
  return (await readPage(store, user, request)).response;
}

/**
 * A pull's answer, encoded: from this process's memory when the same reader asked for the same page at the data
 * version it is at now (page-cache.ts), otherwise read and remembered. A client whose cursor is the high-water mark
 * is told so without a look at the log.
 */
export async function pullAnswer(store: Store, user: User, request: PullQuery): Promise<string> {
  const version = await currentVersion(store);
  if (request.cursor === version.seq) return JSON.stringify({ changes: [], cursor: version.seq, more: false } satisfies PullResponse);
  const pages = pageCacheOf(store);
  const remembered = pages.find(user, request, version);
  if (remembered !== undefined) return remembered;
  const { response, version: readAt } = await readPage(store, user, request);
  const answer = JSON.stringify(response);
  pages.keep(user, request, readAt, answer);
  return answer;
}

/** The page and the data version it was read at (one snapshot: the page statement's). */
async function readPage(store: Store, user: User, request: PullQuery): Promise<{ response: PullResponse; version: DataVersion }> {
  const db = store.db;
  const { limit } = request;
  const query = user.role === 'head' || user.role === 'admin' ? pageQueries.all : pageQueries[user.role];
  const read = (cursor: number) => query(db, store.kind, { cursor, limit: limit + 1, readerId: user.id });
  let rows = (await read(request.cursor)).rows;
  // A cursor beyond the log comes from another (restored or replaced) database: start that client over
  // rather than leave it waiting for sequence numbers this log will only reach with unrelated changes.
  if (request.cursor > Number(rows[0]!.high_water)) rows = (await read(0)).rows;
  const highWater = Number(rows[0]!.high_water);
  // An empty page is one row of the counter alone (the join found no change).
  const found = rows[0]!.seq === null ? [] : rows;
  const page = found.slice(0, limit);
  const more = found.length > limit;

  // Only the newest change of an entity in this page is sent: it already carries the entity's current state.
  const newest = new Map<string, PageRow>();
  for (const row of page) newest.set(`${row.entity}:${row.entity_id}`, row);
  const loaded = new Map<string, Loaded | undefined>();
  const others = new Map<Entity, string[]>();
  for (const [key, row] of newest) {
    const entity = row.entity as Entity;
    if (entity in joined) loaded.set(key, joinedEntity(user, entity as keyof typeof joined, row));
    else {
      if (!others.has(entity)) others.set(entity, []);
      others.get(entity)!.push(row.entity_id!);
    }
  }
  for (const [entity, ids] of others) {
    const found = await loadOthers(db, user, entity, ids);
    for (const id of ids) loaded.set(`${entity}:${id}`, found.get(id));
  }

  const changes: Change[] = [];
  for (const row of page) {
    const key = `${row.entity}:${row.entity_id}`;
    if (newest.get(key) !== row) continue;
    const current = loaded.get(key) ?? null;
    changes.push({
      seq: Number(row.seq),
      entity: row.entity as Entity,
      entityId: row.entity_id!,
      version: current?.version ?? row.version!,
      data: current?.data ?? null,
    });
  }
  const lastSeq = page.at(-1)?.seq;
  return {
    response: { changes, cursor: more && lastSeq != null ? Number(lastSeq) : highWater, more },
    version: { seq: highWater, epoch: Number(rows[0]!.access_epoch) },
  };
}
