import { canSee } from '../../core/escalation';
import type { Change, Entity, PullQuery, PullResponse, User } from '../../core/schema';
import { canSeeMove, findMove } from '../balance/move-records';
import { crmCopiesOf } from '../connectors/writeback/queue';
import { loadWorkspace } from '../escalation/service';
import { dealFromRow } from '../store/deals';
import { escalationFromRow } from '../store/escalations';
import { noteFromRow } from '../store/notes';
import { planFromRow } from '../store/plans';
import type { Store } from '../store/store';
import type { Tx } from '../store/transaction';
import { readConfig } from '../store/workspace';
import { canSeeDeal, canSeeNote, canSeePlan, changeVisibleTo } from './visibility';

type Loaded = { version: number; data: unknown } | null;

/** Current state of the entities a page of changes mentions, each checked against what the reader may see. */
async function loadEntities(db: Tx, user: User, entity: Entity, ids: string[]): Promise<Map<string, Loaded>> {
  const found = new Map<string, Loaded>();
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    if (entity === 'note') {
      const notes = (await db.selectFrom('notes').selectAll().where('id', 'in', chunk).execute()).map(noteFromRow);
      // Where each note stands in the CRM of record (server/connectors), for the sidebar's "in the CRM" mark.
      const copies = await crmCopiesOf(db, notes.map((note) => note.id));
      for (const note of notes) {
        const withCopy = { ...note, crmCopy: copies.get(note.id) ?? null };
        found.set(note.id, canSeeNote(user, note) ? { version: note.version, data: withCopy } : null);
      }
    } else if (entity === 'deal') {
      for (const deal of (await db.selectFrom('deals').selectAll().where('id', 'in', chunk).execute()).map(dealFromRow)) {
        found.set(deal.id, canSeeDeal(user, deal) ? { version: deal.version, data: deal } : null);
      }
    } else if (entity === 'plan') {
      for (const plan of (await db.selectFrom('plans').selectAll().where('id', 'in', chunk).execute()).map(planFromRow)) {
        found.set(plan.id, canSeePlan(user, plan) ? { version: plan.version, data: plan } : null);
      }
    } else if (entity === 'escalation') {
      // The same rule the escalation routes use (core canSee over the workspace's routing ladder), so what a pull
      // carries never differs from what the inbox shows.
      const { transition } = await loadWorkspace(db);
      for (const escalation of (await db.selectFrom('escalations').selectAll().where('id', 'in', chunk).execute()).map(escalationFromRow)) {
        const visible = canSee(escalation, user, transition.usersById, transition.rules);
        found.set(escalation.id, visible ? { version: escalation.version, data: escalation } : null);
      }
    } else if (entity === 'move') {
      // Moves are few (a head decides each one), so one look-up each is cheap.
      for (const id of chunk) {
        const move = await findMove(db, id);
        if (move) found.set(id, canSeeMove(user, move) ? { version: move.version, data: move } : null);
      }
    }
  }
  return found;
}

/**
 * Changes after `cursor` this reader may see, each carrying the entity as it is now (or null when it left the
 * reader's view). The high-water mark is read first, so a change committed mid-pull is never skipped.
 */
export async function pullChanges(store: Store, user: User, request: PullQuery): Promise<PullResponse> {
  const db = store.db;
  const { limit } = request;
  const counter = await db.selectFrom('change_counter').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
  const highWater = Number(counter.seq);
  // A cursor beyond the log comes from another (restored or replaced) database: start that client over
  // rather than leave it waiting for sequence numbers this log will only reach with unrelated changes.
  const cursor = request.cursor > highWater ? 0 : request.cursor;
  let query = db
    .selectFrom('change_log')
    .select(['seq', 'entity', 'entity_id', 'version'])
    .where('seq', '>', cursor)
    .where('seq', '<=', highWater)
    .orderBy('seq')
    .limit(limit + 1);
  const filter = changeVisibleTo(user);
  if (filter) query = query.where(filter);
  const rows = await query.execute();
  const more = rows.length > limit;
  const page = rows.slice(0, limit);

  const byEntity = new Map<Entity, Set<string>>();
  for (const row of page) {
    const entity = row.entity as Entity;
    if (!byEntity.has(entity)) byEntity.set(entity, new Set());
    byEntity.get(entity)?.add(row.entity_id);
  }
  const loaded = new Map<string, Loaded>();
  for (const [entity, ids] of byEntity) {
    if (entity === 'config') {
      loaded.set('config:workspace', { version: 1, data: await readConfig(db) });
      continue;
    }
    for (const [id, value] of await loadEntities(db, user, entity, [...ids])) loaded.set(`${entity}:${id}`, value);
  }

  // Only the newest change of an entity in this page is sent: it already carries the entity's current state.
  const newest = new Map<string, number>();
  for (const row of page) newest.set(`${row.entity}:${row.entity_id}`, Number(row.seq));
  const changes: Change[] = [];
  for (const row of page) {
    const key = `${row.entity}:${row.entity_id}`;
    if (newest.get(key) !== Number(row.seq)) continue;
    const current = loaded.get(key) ?? null;
    changes.push({
      seq: Number(row.seq),
      entity: row.entity as Entity,
      entityId: row.entity_id,
      version: current?.version ?? row.version,
      data: current?.data ?? null,
    });
  }
  const lastSeq = page.at(-1)?.seq;
  return { changes, cursor: more && lastSeq !== undefined ? Number(lastSeq) : highWater, more };
}
