import { NoteContent, type DealKind, type RecordType } from '../../../core/schema';
import { readJson } from '../../store/json-column';
import type { CrmWritebacksTable } from '../../store/tables';
import { writeTransaction } from '../../store/transaction';
import { findUserById } from '../../store/users';
import { appendChanges } from '../../sync/change-log';
import type { Connection } from '../connections';
import { ConnectorError } from '../errors';
import type { ConnectorEnv } from '../open';
import type { OwnerBook } from '../sync/owners';
import type { CrmConnector, NoteForCrm } from '../types';
import { requestRefresh } from '../sync/refresh';

// Sends the write-back outbox of one connection, oldest first. Exactly once: every write carries a key derived from
// what it carries (the note, the move), and the connector turns the key into the CRM's own idempotency (SuiteCRM:
// a record id chosen by us, which the CRM refuses to create twice), so a send cut short by a crash, a timeout or a
// SIGKILL and sent again finds the record it already made. A failure is kept with its reason and retried later.

const claimMs = 2 * 60_000;
const maxRetryMs = 60 * 60_000;

export interface WriteBackResult {
  written: number;
  errors: string[];
}

/** Why a write-back is dropped instead of sent (its subject is gone); not an error. */
class NothingToWrite extends Error {}

function retryDelayMs(attempts: number): number {
  const base = Math.min(maxRetryMs, 30_000 * 2 ** Math.max(0, attempts - 1));
  return Math.floor(base / 2 + Math.random() * (base / 2));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function noteForCrm(env: ConnectorEnv, connection: Connection, owners: OwnerBook, row: CrmWritebacksTable): Promise<NoteForCrm> {
  const note = await env.store.db.selectFrom('notes').selectAll().where('id', '=', row.subject_id).executeTakeFirst();
  if (!note || note.deleted_at !== null) throw new NothingToWrite();
  const author = await findUserById(env.store.db, note.author_id);
  const deal = await env.store.db
    .selectFrom('deals')
    .select('kind')
    .where('crm', '=', connection.crm)
    .where('crm_id', '=', row.record_crm_id)
    .where('record_type', '=', row.record_type)
    .executeTakeFirst();
  return {
    key: `${connection.id}:${row.kind}:${row.subject_id}`,
    record: { recordType: row.record_type as RecordType, crmId: row.record_crm_id },
    author: { name: author?.name ?? 'a Headway user', crmUserId: owners.crmIdOf(note.author_id) },
    content: NoteContent.parse(readJson(note.content)),
    kind: (deal?.kind as DealKind | undefined) ?? null,
  };
}

/** Performs one write-back against the CRM; answers the CRM's id of what it wrote. */
async function perform(env: ConnectorEnv, connection: Connection, connector: CrmConnector, owners: OwnerBook, row: CrmWritebacksTable): Promise<string | null> {
  if (row.kind === 'note') {
    const note = await noteForCrm(env, connection, owners, row);
    if (row.crm_id === null) return (await connector.createNote(note)).crmId;
    // Written before and edited since: the same CRM note gets the new text.
    await connector.updateNote(row.crm_id, note);
    return row.crm_id;
  }
  if (row.kind === 'task') {
    const note = await noteForCrm(env, connection, owners, row);
    if (!note.content.nextStep) throw new NothingToWrite();
    const task = await connector.createTask({
      key: note.key,
      record: note.record,
      assigneeCrmId: note.author.crmUserId,
      title: note.content.nextStep,
      dueDate: note.content.nextStepDate ?? null,
      description: `Next step from ${note.author.name}'s negotiation note in Headway.`,
    });
    return task.crmId;
  }
  const move = await env.store.db.selectFrom('moves').select(['to_id', 'status']).where('id', '=', row.subject_id).executeTakeFirst();
  if (!move || move.status !== 'approved') throw new NothingToWrite();
  const target = owners.crmIdOf(move.to_id);
  if (target === null) {
    const name = (await findUserById(env.store.db, move.to_id))?.name ?? move.to_id;
    throw new ConnectorError('rejected', `${name} matches no ${connection.crm} user (by CRM id or e-mail), so the deal cannot be given to them there.`);
  }
  await connector.setDealOwner(row.record_crm_id, target);
  return row.record_crm_id;
}

async function settle(env: ConnectorEnv, row: CrmWritebacksTable, outcome: { crmId: string | null } | { error: string } | 'dropped'): Promise<void> {
  const now = env.clock.now();
  const at = now.toISOString();
  await writeTransaction(env.store, async (tx) => {
    if (outcome === 'dropped') {
      await tx.deleteFrom('crm_writebacks').where('id', '=', row.id).execute();
    } else if ('error' in outcome) {
      await tx
        .updateTable('crm_writebacks')
        .set({ state: 'failed', attempts: row.attempts + 1, last_error: outcome.error, next_attempt_at: new Date(now.getTime() + retryDelayMs(row.attempts + 1)).toISOString(), claimed_until: null, updated_at: at })
        .where('id', '=', row.id)
        .execute();
    } else {
      // The CRM's id is kept whatever else happened meanwhile, so a resend updates that record instead of making one.
      await tx.updateTable('crm_writebacks').set({ crm_id: outcome.crmId, claimed_until: null }).where('id', '=', row.id).execute();
      await tx
        .updateTable('crm_writebacks')
        .set({ state: 'written', attempts: row.attempts + 1, last_error: null, updated_at: at })
        .where('id', '=', row.id)
        // An edit that re-queued the note meanwhile wins: it is sent again next time.
        .where('updated_at', '=', row.updated_at)
        .execute();
      if (row.kind === 'owner') await requestRefresh(tx, row.connection_id, row.record_crm_id, at);
    }
    if (row.kind === 'note') {
      // The note's author sees its state in the CRM change (pending → written / failed) at the next pull.
      const note = await tx.selectFrom('notes').select(['version', 'author_id']).where('id', '=', row.subject_id).executeTakeFirst();
      if (note) await appendChanges(tx, [{ entity: 'note', entityId: row.subject_id, version: note.version, ownerId: note.author_id }], at);
    }
  });
}

/** Takes a write-back for this process (rows are claimed, so a second sender never sends the same one at once). */
async function claim(env: ConnectorEnv, row: CrmWritebacksTable): Promise<boolean> {
  const now = env.clock.now();
  const result = await env.store.db
    .updateTable('crm_writebacks')
    .set({ claimed_until: new Date(now.getTime() + claimMs).toISOString() })
    .where('id', '=', row.id)
    .where('updated_at', '=', row.updated_at)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now.toISOString())]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Sends what is due (with `everything`, also failed ones still waiting for their retry time: `crm sync`).
 * A rate limit or an unreachable CRM stops the round; the rest waits for the next sync.
 */
export async function sendWriteBacks(env: ConnectorEnv, connection: Connection, connector: CrmConnector, owners: OwnerBook, everything: boolean): Promise<WriteBackResult> {
  const result: WriteBackResult = { written: 0, errors: [] };
  const tried = new Set<string>();
  for (;;) {
    const now = env.clock.now().toISOString();
    let query = env.store.db
      .selectFrom('crm_writebacks')
      .selectAll()
      .where('connection_id', '=', connection.id)
      .where('state', '!=', 'written')
      .orderBy('created_at')
      .orderBy('id')
      .limit(50);
    if (!everything) query = query.where('next_attempt_at', '<=', now);
    const due = (await query.execute()).filter((row) => !tried.has(row.id));
    if (due.length === 0) return result;
    for (const row of due) {
      tried.add(row.id);
      if (!(await claim(env, row))) continue;
      let outcome: { crmId: string | null } | { error: string } | 'dropped';
      try {
        outcome = { crmId: await perform(env, connection, connector, owners, row) };
      } catch (error) {
        if (error instanceof NothingToWrite) outcome = 'dropped';
        else outcome = { error: describe(error) };
        if (error instanceof ConnectorError && ['rate_limited', 'unreachable', 'tls', 'bad_credential', 'api_off'].includes(error.kind)) {
          await settle(env, row, outcome);
          result.errors.push(`${row.kind} ${row.subject_id}: ${describe(error)}`);
          return result;
        }
      }
      await settle(env, row, outcome);
      if (outcome !== 'dropped' && 'crmId' in outcome) result.written += 1;
      else if (outcome !== 'dropped') result.errors.push(`${row.kind} ${row.subject_id}: ${outcome.error}`);
    }
  }
}
