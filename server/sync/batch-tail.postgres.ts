import { CompiledQuery } from 'kysely';
import type { MutationArgsOf } from '../../core/schema';
import type { Tx } from '../store/transaction';
import type { ChangeEntry } from './change-log';
import { MutationRejected } from './mutations/context';
import { noteChange, noteRow } from './mutations/notes';

/**
 * The end of a push batch on PostgreSQL in one round trip: the trailing run of note.create, the change-log rows of
 * the whole batch (numbered from the locked counter row), and the client's new last mutation id. Each would
 * otherwise be its own round trip, and on PostgreSQL round trips, not rows, bound push ingest.
 *
 * Why it is still exact:
 * - `existing` reads the statement's snapshot, taken before `inserted` wrote: it holds the notes that were there
 *   before (earlier batches, or earlier in this transaction), so a create whose id was taken is told apart from one
 *   this statement inserted.
 * - The counter row is updated in the same statement as the change-log insert, and its lock is held until commit,
 *   so transactions commit in sequence order exactly as `appendChanges` guarantees (see change-log.ts).
 * - A note another transaction inserted after this statement's snapshot is neither inserted nor in `existing`;
 *   `runCreates` looks those up once more, so a conflict is still reported as one.
 */
const statement = `
with note_input as (
  select * from unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
    with ordinality as n(id, crm, crm_id, record_type, record_title, content, created_at, ord)
),
inserted as (
  insert into notes (id, author_id, crm, crm_id, record_type, record_title, content, created_at, updated_at, version, deleted_at)
  select id, $1, crm, crm_id, record_type, record_title, content, created_at, $2, 1, null from note_input order by ord
  on conflict (id) do nothing
  returning id
),
existing as (
  select id, author_id from notes where id = any($5::text[])
),
earlier as (
  select * from unnest($12::text[], $13::text[], $14::int[], $15::text[], $16::text[], $17::text[], $18::text[])
    with ordinality as c(entity, entity_id, version, owner_id, previous_owner_id, audience_role, audience_user_id, ord)
),
created as (
  select 'note'::text as entity, inserted.id as entity_id, 1 as version, $1::text as owner_id, null::text as previous_owner_id,
    null::text as audience_role, null::text as audience_user_id,
    (select count(*) from earlier) + row_number() over (order by first.ord) as ord
  from inserted join (select id, min(ord) as ord from note_input group by id) as first on first.id = inserted.id
),
changes as (
  select entity, entity_id, version, owner_id, previous_owner_id, audience_role, audience_user_id, ord from earlier
  union all
  select entity, entity_id, version, owner_id, previous_owner_id, audience_role, audience_user_id, ord from created
),
counter as (
  update change_counter set seq = seq + (select count(*) from changes)
  where id = 1 and exists (select 1 from changes)
  returning seq
),
logged as (
  insert into change_log (seq, entity, entity_id, version, owner_id, previous_owner_id, audience_role, audience_user_id, created_at)
  select counter.seq - (select count(*) from changes) + changes.ord, changes.entity, changes.entity_id, changes.version,
    changes.owner_id, changes.previous_owner_id, changes.audience_role, changes.audience_user_id, $2
  from changes cross join counter
),
advanced as (
  update client_mutations set last_mutation_id = $4, updated_at = $2 where client_id = $3
)
select true as inserted, id, null::text as author_id from inserted
union all
select false as inserted, id, author_id from existing
`;

export interface BatchTail {
  authorId: string;
  now: string;
  clientId: string;
  lastMutationId: number;
  /** The batch's last run of note.create, in mutation order (possibly empty). */
  creates: readonly MutationArgsOf<'note.create'>[];
  /** Changes of every mutation before that run, in order. */
  changes: readonly ChangeEntry[];
}

/** Writes the tail and answers each create's outcome, as `createNotes` would (its changes are already logged). */
export async function commitBatchTail(tx: Tx, tail: BatchTail): Promise<(ChangeEntry[] | MutationRejected)[]> {
  const rows = tail.creates.map((args) => noteRow(args, tail.authorId, tail.now));
  const parameters = [
    tail.authorId,
    tail.now,
    tail.clientId,
    tail.lastMutationId,
    rows.map((row) => row.id),
    rows.map((row) => row.crm),
    rows.map((row) => row.crm_id),
    rows.map((row) => row.record_type),
    rows.map((row) => row.record_title),
    rows.map((row) => row.content),
    rows.map((row) => row.created_at),
    tail.changes.map((change) => change.entity),
    tail.changes.map((change) => change.entityId),
    tail.changes.map((change) => change.version),
    tail.changes.map((change) => change.ownerId),
    tail.changes.map((change) => change.previousOwnerId ?? null),
    tail.changes.map((change) => change.audienceRole ?? null),
    tail.changes.map((change) => change.audienceUserId ?? null),
  ];
  const result = await tx.executeQuery<{ inserted: boolean; id: string; author_id: string | null }>(CompiledQuery.raw(statement, parameters));
  const inserted = new Set<string>();
  const authors = new Map<string, string>();
  for (const row of result.rows) {
    if (row.inserted) inserted.add(row.id);
    else if (row.author_id !== null) authors.set(row.id, row.author_id);
  }
  // Taken by a transaction that committed after this statement's snapshot: read it now that it is visible.
  const unseen = tail.creates.map((args) => args.id).filter((id) => !inserted.has(id) && !authors.has(id));
  if (unseen.length > 0) {
    for (const note of await tx.selectFrom('notes').select(['id', 'author_id']).where('id', 'in', unseen).execute()) authors.set(note.id, note.author_id);
  }
  return tail.creates.map((args) => {
    // The first create of an id this statement inserted announced it; a repeat of it in the same run is a replay.
    if (inserted.delete(args.id)) return [noteChange(args.id, 1, tail.authorId)];
    if ((authors.get(args.id) ?? tail.authorId) === tail.authorId) return [];
    return new MutationRejected('conflict', 'Another note already has this id.');
  });
}
