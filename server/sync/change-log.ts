import { sql } from 'kysely';
import type { Entity, Role } from '../../core/schema';
import { compiledInsert } from '../store/compiled-insert';
import { precompiled } from '../store/precompiled';
import type { StoreKind } from '../store/store';
import type { Tx } from '../store/transaction';
import { announceOnCommit } from './poke-bus';
import type { ChangeAudience } from './visibility';

/** What a change says about who may see it; pull filters on these columns (see sync/visibility.ts). */
export interface ChangeEntry {
  entity: Entity;
  entityId: string;
  version: number;
  ownerId: string | null;
  previousOwnerId?: string | null;
  audienceRole?: Role | null;
  audienceUserId?: string | null;
}

/**
 * Appends changes with sequence numbers taken from the single counter row. Taking that row lock (held until
 * commit) makes transactions commit in sequence order, so a reader at cursor N can never later find a change
 * below N appear: with a plain bigserial a slower transaction could commit a lower number after a pull.
 * Call it last in a transaction to hold the lock briefly.
 */
const insertChanges = compiledInsert(
  'change_log',
  ['seq', 'entity', 'entity_id', 'version', 'owner_id', 'previous_owner_id', 'audience_role', 'audience_user_id', 'created_at'],
  'seq',
);

const takeSequence = precompiled((db, param: (name: 'count') => never) =>
  db.updateTable('change_counter').set({ seq: sql<number>`seq + ${param('count')}` }).where('id', '=', 1).returning('seq'),
);

/**
 * Takes `count` sequence numbers and answers the first; the counter row stays locked until the transaction ends.
 * appendChanges uses it; a set-based writer (a big import's apply) numbers its rows first, first + 1, … itself.
 * Whoever the changes concern (`audience`, by default everyone) is poked once the transaction commits.
 */
export async function takeSequenceNumbers(tx: Tx, count: number, kind?: StoreKind, audience: readonly ChangeAudience[] | 'everyone' = 'everyone'): Promise<number> {
  const counter = kind
    ? (await takeSequence(tx, kind, { count })).rows[0]
    : await tx.updateTable('change_counter').set({ seq: sql<number>`seq + ${count}` }).where('id', '=', 1).returning('seq').executeTakeFirst();
  if (!counter) throw new Error('change_counter row is missing');
  const last = Number(counter.seq);
  announceOnCommit(tx, audience, [last - count + 1, last]);
  return last - count + 1;
}

export async function appendChanges(tx: Tx, entries: ChangeEntry[], now: string, kind?: StoreKind): Promise<void> {
  if (entries.length === 0) return;
  const first = await takeSequenceNumbers(tx, entries.length, kind, entries);
  const rows = entries.map((entry, index) => ({
    seq: first + index,
    entity: entry.entity,
    entity_id: entry.entityId,
    version: entry.version,
    owner_id: entry.ownerId,
    previous_owner_id: entry.previousOwnerId ?? null,
    audience_role: entry.audienceRole ?? null,
    audience_user_id: entry.audienceUserId ?? null,
    created_at: now,
  }));
  // Chunks keep every statement under SQLite's and PostgreSQL's bound-parameter limits.
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500);
    // With the dialect known, the statement is compiled once per batch size (push's hot path).
    if (kind) await insertChanges(tx, kind, chunk);
    else await tx.insertInto('change_log').values(chunk).execute();
  }
}
