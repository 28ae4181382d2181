import type { Mutation } from '../schema/sync';
import type { OutboxEntry } from './records';

/**
 * Cutting the outbox into push requests. Besides the 200-mutation cap, a batch must fit the
 * server's body limit (1 MiB by default) — 200 long notes would not — so entries are taken while
 * their JSON stays within a byte budget, and the budget shrinks when the server still says 413.
 */
export const DEFAULT_MAX_BATCH_BYTES = 512 * 1024;

const encoder = new TextEncoder();

export type PushBatch = { entries: OutboxEntry[]; mutations: Mutation[]; bytes: number };

export function toMutation({ mutationId, name, args }: OutboxEntry): Mutation {
  return { mutationId, name, args };
}

/** The longest prefix of `pending` within `maxBytes` of JSON — never empty, so one huge entry still goes. */
export function takeBatch(pending: readonly OutboxEntry[], maxBytes: number): PushBatch {
  const batch: PushBatch = { entries: [], mutations: [], bytes: 0 };
  for (const entry of pending) {
    const mutation = toMutation(entry);
    const size = encoder.encode(JSON.stringify(mutation)).length + 1;
    if (batch.entries.length > 0 && batch.bytes + size > maxBytes) break;
    batch.entries.push(entry);
    batch.mutations.push(mutation);
    batch.bytes += size;
  }
  return batch;
}

/**
 * Stand-in for a single mutation the server refuses to even receive (413). Ids must reach the
 * server without gaps, so the id cannot simply be skipped; sent with `args: null` it fails the
 * server's validation and is recorded as processed-with-error, which lets the queue move on while
 * the full mutation stays in the local `failed` list for the user to shorten and retry.
 */
export function oversizedStandIn(entry: OutboxEntry): Mutation {
  return { mutationId: entry.mutationId, name: entry.name, args: null };
}
