import { CompiledQuery, type QueryResult } from 'kysely';
import type { MutationArgsOf } from '../../core/schema';
import { preparedOnPostgres } from '../store/precompiled';
import type { Tx } from '../store/transaction';
import type { ChangeEntry } from './change-log';
import type { Refused } from '../refusal/refused';
import { answerCreates, noteRow } from './mutations/notes';

/**
 * The end of a push batch on PostgreSQL in one round trip: the trailing run of note.create, the change-log rows of
 * the whole batch (numbered from the locked counter row), and the client's new last mutation id. Each would
 * otherwise be its own round trip, and on PostgreSQL round trips, not rows, bound push ingest.
 *
 * Why it is still exact:
 * - `inserted` answers which ids this statement wrote; a create whose id was already taken (a replay, or another
 *   author's note) is looked up afterwards, in a statement of its own, so it also sees a note another transaction
 *   committed while this one waited for it. Replays are rare, so the common batch pays no look-up at all.
 * - The counter row is updated in the same statement as the change-log insert, and its lock is held until commit,
 *   so transactions commit in sequence order exactly as `appendChanges` guarantees (see change-log.ts).
 * - It writes nothing when a note names a record of a tenant the workspace did not declare (`foreign_tenant`): run
 *   `alone`, the general path then refuses that one note; after push.ts checked every note, it cannot happen.
 * - It first locks the client's row (`current`) and writes nothing unless that row is this user's and at
 *   `expectedLast`. After push.ts has locked and read the row that always holds; it is what lets push.ts send a whole
 *   batch of plain creates that continues the client's sequence as this one statement, alone, without BEGIN, lock or
 *   COMMIT, and hand anything else to the general path (a first push, a replay, a gap, another user). The row lock
 *   comes before the counter's, in the same order as on the general path, and both are held until the commit.
 *
 * The rows travel as two JSON parameters: JSON.stringify is native, where pg builds and escapes an array literal per
 * column in JavaScript, and json_to_recordset costs PostgreSQL less than array_in for the same rows.
 */
/**
 * How the statement run `alone` refuses a batch with a taken id: SQL has no RAISE, so it casts this text to int,
 * which fails (invalid_text_representation) and undoes the whole statement. The text is what the PostgreSQL log then
 * shows, so an operator reads why rather than a puzzling error. The CASE keeps the cast out of constant folding.
 */
const refusalText = 'headway: a note id in this batch is taken, so the server applies the batch in a transaction instead';
const refusedAlone = (error: unknown) =>
  (error as { code?: unknown }).code === '22P02' && String((error as { message?: unknown }).message).includes(refusalText);

const statement = preparedOnPostgres(`
with current as (
  select user_id, last_mutation_id from client_mutations where client_id = $3 for update
),
foreign_tenant as (
  select 1 from json_to_recordset($5::json) as f(crm text, instance text)
  where f.crm is not null and not exists (select 1 from crm_instances t where t.crm = f.crm and t.instance = f.instance)
  limit 1
),
go as (
  select 1 from current where user_id = $1 and last_mutation_id = $7 and not exists (select 1 from foreign_tenant)
),
note_input as (
  select * from rows from (json_to_recordset($5::json) as (id text, crm text, instance text, crm_id text, record_type text, record_title text, content text, created_at text))
    with ordinality as n(id, crm, instance, crm_id, record_type, record_title, content, created_at, ord)
  where exists (select 1 from go)
),
inserted as (
  insert into notes (id, author_id, crm, instance, crm_id, record_type, record_title, content, created_at, updated_at, version, deleted_at)
  select id, $1, crm, instance, crm_id, record_type, record_title, content, created_at, $2, 1, null from note_input order by ord
  on conflict (id) do nothing
  returning id
),
earlier as (
  select * from rows from (json_to_recordset($6::json) as (entity text, entity_id text, version int, owner_id text, previous_owner_id text, audience_role text, audience_user_id text))
    with ordinality as c(entity, entity_id, version, owner_id, previous_owner_id, audience_role, audience_user_id, ord)
  where exists (select 1 from go)
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
  update client_mutations set last_mutation_id = $4, updated_at = $2 where client_id = $3 and exists (select 1 from go)
)
select current.user_id, current.last_mutation_id, inserted.id, exists (select 1 from foreign_tenant) as foreign_tenant,
  cast(case when $8 and (select count(*) from inserted) < (select count(distinct id) from note_input)
    then '${refusalText}' else '1' end as int) as alone_ok
from current left join inserted on true
`);


/**
 * A text value for the JSON row parameters. pg sends a text parameter as UTF-8, which turns a lone UTF-16 surrogate
 * into U+FFFD; JSON.stringify would escape it as \\udXXXX instead, which PostgreSQL's json refuses. Making the
 * string well-formed first stores exactly what a text parameter stores. (`content` is JSON.stringify output already,
 * so its surrogates arrive as escaped text.)
 */
function text(value: string | null): string | null {
  return value === null ? null : value.toWellFormed();
}

export interface BatchTail {
  authorId: string;
  now: string;
  clientId: string;
  /** The client's last applied mutation id this tail continues from; the tail applies nothing if the row says otherwise. */
  expectedLast: number;
  lastMutationId: number;
  /** The batch's last run of note.create, in mutation order (possibly empty). */
  creates: readonly MutationArgsOf<'note.create'>[];
  /** Changes of every mutation before that run, in order. */
  changes: readonly ChangeEntry[];
  /**
   * The statement is its own transaction (autocommit): a create whose id is taken needs a look-up and perhaps a
   * recorded failure in the same transaction as the batch, so then the statement fails on purpose (`refusalText`)
   * and nothing of it is committed.
   */
  alone?: boolean;
}

/**
 * Writes the tail and answers each create's outcome, as `createNotes` would (its changes are already logged); or null,
 * having written nothing, when the client's row is missing, another user's, or not at `expectedLast`, when a note
 * names another tenant's record, or when a tail run `alone` meets a taken id.
 */
export async function commitBatchTail(tx: Tx, tail: BatchTail): Promise<(ChangeEntry[] | Refused)[] | null> {
  const rows = tail.creates.map((args) => noteRow(args, tail.authorId, tail.now));
  const notes = rows.map((row) => {
    return { id: text(row.id), crm: text(row.crm), instance: text(row.instance), crm_id: text(row.crm_id), record_type: text(row.record_type), record_title: text(row.record_title), content: row.content, created_at: text(row.created_at) };
  });
  const changes = tail.changes.map((change) => ({
    entity: change.entity,
    entity_id: text(change.entityId),
    version: change.version,
    owner_id: text(change.ownerId),
    previous_owner_id: text(change.previousOwnerId ?? null),
    audience_role: change.audienceRole ?? null,
    audience_user_id: text(change.audienceUserId ?? null),
  }));
  const parameters = [tail.authorId, tail.now, tail.clientId, tail.lastMutationId, JSON.stringify(notes), JSON.stringify(changes), tail.expectedLast, tail.alone === true];
  let result: QueryResult<{ user_id: string; last_mutation_id: number; id: string | null; foreign_tenant: boolean }>;
  try {
    result = await tx.executeQuery(CompiledQuery.raw(statement, parameters));
  } catch (error) {
    if (tail.alone && refusedAlone(error)) return null;
    throw error;
  }
  const client = result.rows[0];
  if (!client || client.user_id !== tail.authorId || Number(client.last_mutation_id) !== tail.expectedLast || client.foreign_tenant) return null;
  const inserted = new Set<unknown>(result.rows.flatMap((row) => (row.id === null ? [] : [row.id])));
  // Whose are the ids that were taken, and is each a replay: the same answer as on the general path.
  return answerCreates(tx, rows, inserted, tail.authorId);
}
