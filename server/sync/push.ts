import { randomUUID } from 'node:crypto';
import { MutationArgs, MutationName, type CrmInstance, type Mutation, type MutationArgsOf, type MutationResult, type PushRequest, type PushResponse, type User } from '../../core/schema';
import type { Clock } from '../clock';
import { strictSchema } from '../http/strict-schema';
import type { Store } from '../store/store';
import type { MutationFailuresTable } from '../store/tables';
import { precompiled } from '../store/precompiled';
import { writeTransaction, type Tx } from '../store/transaction';
import { listUsers } from '../store/users';
import { listInstances } from '../store/workspace';
import { commitBatchTail } from './batch-tail.postgres';
import { appendChanges, type ChangeEntry } from './change-log';
import type { Locale } from '../../core/i18n';
import { said } from '../../core/i18n';
import { refusalMessages } from '../refusal/i18n';
import { Refused } from '../refusal/refused';
import { failureOf, type FailureCode, type MutationContext } from './mutations/context';
import { mutationHandlers } from './mutations';
import { createNotes } from './mutations/notes';
import { refusalOfForeignRecord } from './mutations/tenants';
import { announceOnCommit, pokeBusOf } from './poke-bus';

/** The batch starts after a mutation the server never saw; the client must resend from `expected`. */
export class MutationGap extends Refused {
  constructor(readonly expected: number, received: number) {
    super('mutation_gap', said(refusalMessages, 'mutationGap', { expected, received }));
  }
}

/** The client id was first used by another user; one browser profile never switches users silently. */
export class ForeignClient extends Refused {
  constructor() {
    super('forbidden', said(refusalMessages, 'foreignClient'));
  }
}

type Outcome = { ok: true; changes: ChangeEntry[] } | { ok: false; code: FailureCode; message: string };

// PostgreSQL text cannot hold NUL: names and messages are stored, so NUL becomes U+FFFD there.
const storable = (text: string) => text.replace(/\u0000/g, '\uFFFD');

type Parsed = { ok: true; name: MutationName; args: unknown } | { ok: false; code: FailureCode; message: string };

/** Re-validates one mutation with its zod schema, as the client's outbox stored it. Pure: writes nothing. */
function parseMutation(mutation: Mutation): Parsed {
  const name = MutationName.safeParse(mutation.name);
  if (!name.success) return { ok: false, code: 'unknown-mutation', message: `The server does not know the mutation "${storable(mutation.name)}".` };
  const args = strictSchema(MutationArgs[name.data]).safeParse(mutation.args);
  if (!args.success) {
    const detail = args.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || 'args'}: ${issue.message}`).join('; ');
    return { ok: false, code: 'invalid', message: `Invalid ${name.data}: ${detail}` };
  }
  // PostgreSQL text cannot hold NUL; refusing it here keeps both stores answering alike.
  if (holdsNul(args.data)) return { ok: false, code: 'invalid', message: `Invalid ${name.data}: text may not contain NUL characters.` };
  return { ok: true, name: name.data, args: args.data };
}

/** Whether any string (value or key) in parsed JSON-like data holds NUL; cheaper than stringifying each mutation. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsNul);
  for (const key in value) {
    if (key.includes('\u0000') || holdsNul((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

async function applyOne(context: MutationContext, name: MutationName, args: unknown): Promise<Outcome> {
  try {
    const handler = mutationHandlers[name] as (context: MutationContext, args: unknown) => Promise<ChangeEntry[]>;
    return { ok: true, changes: await handler(context, args) };
  } catch (error) {
    if (error instanceof Refused) return failureOf(error, context.locale);
    throw error;
  }
}

// One statement claims and locks the client's row: the upsert takes the row lock (PostgreSQL) even when the row
// exists, and inserting it first means even the very first push of a client is serialised. SQLite needs no lock:
// BEGIN IMMEDIATE already serialises writers.
const lockClientRow = precompiled((db, param: (name: 'clientId' | 'userId' | 'now') => never) =>
  db
    .insertInto('client_mutations')
    .values({ client_id: param('clientId'), user_id: param('userId'), last_mutation_id: 0, updated_at: param('now') })
    .onConflict((conflict) => conflict.column('client_id').doUpdateSet((eb) => ({ updated_at: eb.ref('excluded.updated_at') })))
    .returning(['user_id', 'last_mutation_id']),
);
const advanceClient = precompiled((db, param: (name: 'clientId' | 'last' | 'now') => never) =>
  db.updateTable('client_mutations').set({ last_mutation_id: param('last'), updated_at: param('now') }).where('client_id', '=', param('clientId')),
);

/** Locks this client's row and answers the last mutation id it has applied. */
async function lockClient(tx: Tx, store: Store, clientId: string, user: User, now: string): Promise<number> {
  const [row] = (await lockClientRow(tx, store.kind, { clientId, userId: user.id, now })).rows;
  if (!row) throw new Error(`client ${clientId} vanished inside its own transaction`);
  if (row.user_id !== user.id) throw new ForeignClient();
  return Number(row.last_mutation_id);
}

/** Earlier failures are reported again when their ids come back, so a retried batch reads the same. */
async function previousFailures(tx: Tx, clientId: string, ids: number[]): Promise<Map<number, MutationResult['error']>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .selectFrom('mutation_failures')
    .select(['mutation_id', 'code', 'message'])
    .where('client_id', '=', clientId)
    .where('mutation_id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [Number(row.mutation_id), { code: row.code as FailureCode, message: row.message }]));
}

/** Collects a batch's answers, changes and failure rows as its mutations are settled, in any order. */
function settlement(request: PushRequest, user: User, now: string, locale: Locale) {
  const results: MutationResult[] = [];
  const changes: ChangeEntry[] = [];
  const failures: MutationFailuresTable[] = [];
  const settle = (mutation: Mutation, outcome: Outcome) => {
    if (outcome.ok) {
      changes.push(...outcome.changes);
      results.push({ mutationId: mutation.mutationId, ok: true });
      return;
    }
    failures.push({
      id: randomUUID(),
      client_id: request.clientId,
      user_id: user.id,
      mutation_id: mutation.mutationId,
      name: storable(mutation.name),
      code: outcome.code,
      message: outcome.message,
      args: safeJson(mutation.args),
      created_at: now,
    });
    results.push({ mutationId: mutation.mutationId, ok: false, error: { code: outcome.code, message: outcome.message } });
  };
  const settleCreate = (mutation: Mutation, outcome: ChangeEntry[] | Refused) =>
    settle(mutation, outcome instanceof Refused ? failureOf(outcome, locale) : { ok: true, changes: outcome });
  return { results, changes, failures, settle, settleCreate };
}

/** Whom a change log row of notes this user wrote concerns (the batch tail writes those rows in SQL). */
const notesBy = (user: User) => ({ entity: 'note' as const, ownerId: user.id });

/**
 * PostgreSQL's common batch as one statement in its own transaction: only valid note.create, continuing the client's
 * sequence, none of whose ids is taken, each about a record of the workspace's tenants (or none). The batch tail locks the client's row itself and writes nothing unless the row
 * is this user's and at the id before the batch, and run `alone` it also refuses a taken id; so this answers null,
 * nothing written, for anything else, and the general path takes the batch: a first push, a replay, a gap, another
 * user's client id, an id already used. Two round trips fewer than BEGIN, lock, tail, COMMIT.
 */
async function pushContinuingCreates(store: Store, user: User, request: PushRequest, parsed: Parsed[], now: string): Promise<PushResponse | null> {
  const first = request.mutations[0]?.mutationId ?? 0;
  const creates: MutationArgsOf<'note.create'>[] = [];
  for (const [index, entry] of parsed.entries()) {
    if (!entry.ok || entry.name !== 'note.create' || request.mutations[index]?.mutationId !== first + index) return null;
    creates.push(entry.args as MutationArgsOf<'note.create'>);
  }
  const last = first + creates.length - 1;
  const tail = { authorId: user.id, now, clientId: request.clientId, expectedLast: first - 1, lastMutationId: last, creates, changes: [], alone: true };
  const outcomes = await commitBatchTail(store.db, tail);
  if (!outcomes) return null;
  // The statement was its own transaction and has committed; the change log learnt of the notes inside it.
  pokeBusOf(store).publish([notesBy(user)]);
  // Every id was new, so each create is applied (or, repeated in the batch, a replay): nothing to record as failed.
  return { lastMutationId: last, results: request.mutations.map((mutation) => ({ mutationId: mutation.mutationId, ok: true })) };
}

/**
 * Applies a batch in order in one transaction: ids at or below the client's last one are acknowledged again,
 * a gap rejects the whole batch, and a refused mutation is recorded and counted as processed so it cannot
 * jam the client's queue.
 */
export async function pushMutations(store: Store, user: User, request: PushRequest, clock: Clock, locale: Locale = user.locale ?? 'en'): Promise<PushResponse> {
  // Validation is pure, so it runs once before the transaction (and not again if PostgreSQL makes it retry).
  // Mutations the server has already seen are validated too, and their answers still come from the record.
  const parsed = request.mutations.map(parseMutation);
  if (store.kind === 'postgres') {
    const answered = await pushContinuingCreates(store, user, request, parsed, clock.now().toISOString());
    if (answered) return answered;
  }
  return writeTransaction(store, async (tx) => {
    const now = clock.now().toISOString();
    let last = await lockClient(tx, store, request.clientId, user, now);
    const initialLast = last;
    let users: Promise<User[]> | undefined;
    let tenants: Promise<CrmInstance[]> | undefined;
    const context: MutationContext = { tx, kind: store.kind, user, now, locale, users: () => (users ??= listUsers(tx)), tenants: () => (tenants ??= listInstances(tx)) };
    const seen = request.mutations.filter((m) => m.mutationId <= last).map((m) => m.mutationId);
    const failedBefore = await previousFailures(tx, request.clientId, seen);

    const { results, changes, failures, settle, settleCreate } = settlement(request, user, now, locale);
    // A run of note.create (the bulk of an offline backlog) is written in one statement; it is flushed before any
    // other mutation runs, so each mutation still sees exactly what the ones before it wrote.
    const noteRun: { mutation: Mutation; args: MutationArgsOf<'note.create'> }[] = [];
    const flushNotes = async () => {
      if (noteRun.length === 0) return;
      const outcomes = await createNotes(context, noteRun.map((entry) => entry.args));
      noteRun.forEach(({ mutation }, index) => settleCreate(mutation, outcomes[index]!));
      noteRun.length = 0;
    };

    for (const [index, mutation] of request.mutations.entries()) {
      if (mutation.mutationId <= last) {
        const error = failedBefore.get(mutation.mutationId);
        results.push(error ? { mutationId: mutation.mutationId, ok: false, error } : { mutationId: mutation.mutationId, ok: true });
        continue;
      }
      if (mutation.mutationId !== last + 1) throw new MutationGap(last + 1, mutation.mutationId);
      last = mutation.mutationId;
      const entry = parsed[index]!;
      if (entry.ok && entry.name === 'note.create') {
        const args = entry.args as MutationArgsOf<'note.create'>;
        // A note about another tenant's record writes nothing, so the run it interrupts need not be flushed.
        const foreign = refusalOfForeignRecord(args.record, args.record ? await context.tenants() : []);
        if (foreign) settleCreate(mutation, foreign);
        else noteRun.push({ mutation, args });
        continue;
      }
      await flushNotes();
      settle(mutation, entry.ok ? await applyOne(context, entry.name, entry.args) : entry);
    }
    if (store.kind === 'postgres') {
      // The trailing run, the change log and the client's progress in one round trip (batch-tail.postgres.ts).
      const creates = noteRun.splice(0);
      const outcomes = await commitBatchTail(tx, { authorId: user.id, now, clientId: request.clientId, expectedLast: initialLast, lastMutationId: last, creates: creates.map((entry) => entry.args), changes });
      // The row is locked and was read above, so the tail's own check cannot fail here.
      if (!outcomes) throw new Error(`client ${request.clientId} changed under its own row lock`);
      announceOnCommit(tx, creates.length > 0 ? [...changes, notesBy(user)] : changes);
      creates.forEach(({ mutation }, index) => settleCreate(mutation, outcomes[index]!));
      await recordFailures(tx, failures);
    } else {
      await flushNotes();
      await recordFailures(tx, failures);
      await advanceClient(tx, store.kind, { clientId: request.clientId, last, now });
      await appendChanges(tx, changes, now, store.kind);
    }
    // Results are answered in mutation order, whatever order the run and the rest were settled in.
    results.sort((a, b) => a.mutationId - b.mutationId);
    return { lastMutationId: last, results };
  });
}

async function recordFailures(tx: Tx, failures: MutationFailuresTable[]): Promise<void> {
  for (let start = 0; start < failures.length; start += 100) await tx.insertInto('mutation_failures').values(failures.slice(start, start + 100)).execute();
}

// Failed args are kept for support, bounded so a hostile client cannot fill the disk through failures.
function safeJson(value: unknown): string {
  const text = JSON.stringify(value ?? null) ?? 'null';
  return text.length > 20_000 ? JSON.stringify({ truncated: text.slice(0, 20_000) }) : text;
}
