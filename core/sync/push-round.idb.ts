import { pathOf } from '../api/route';
import { routes } from '../api/routes';
import { PushResponse, type Mutation, type MutationResult } from '../schema/sync';
import { requestJson, type HttpOutcome } from './http';
import { loadClientId } from './meta.idb';
import type { Outbox } from './outbox.idb';
import { oversizedStandIn, takeBatch } from './push-batch';
import type { OutboxEntry } from './records';
import type { SyncSession } from './session';

export type PushLimits = {
  /** Mutations per push request. */
  batchSize: number;
  /** JSON bytes per push request, below the server's body limit. */
  maxBatchBytes: number;
};

/**
 * Push until the outbox is empty or an attempt fails. Returns whether it emptied the outbox.
 * `acknowledged` runs after each batch leaves the outbox, so the UI counts down while a long outbox drains.
 */
export async function pushAll(session: SyncSession, outbox: Outbox, limits: PushLimits, acknowledged: () => Promise<unknown>): Promise<boolean> {
  const { db, log } = session;
  const clientId = await loadClientId(db);
  const post = (mutations: Mutation[]): Promise<HttpOutcome> =>
    requestJson(session.fetch, `${session.baseUrl}${pathOf(routes.push)}`, {
      method: 'POST',
      token: session.token(),
      timeoutMs: session.timeoutMs,
      body: { clientId, mutations },
    });
  let byteBudget = limits.maxBatchBytes;
  for (;;) {
    const batch = takeBatch(await outbox.pending(limits.batchSize), byteBudget);
    const first = batch.entries[0];
    const last = batch.entries.at(-1);
    if (!first || !last) return true;
    let outcome = await post(batch.mutations);
    let oversized: MutationResult | null = null;
    if (outcome.kind === 'refused' && outcome.status === 413) {
      if (batch.entries.length > 1) {
        // The server's limit is lower than our budget: halve and try again at once.
        byteBudget = Math.max(1, Math.floor(batch.bytes / 2));
        continue;
      }
      log('a single mutation is larger than the server accepts; recording it as failed', { mutationId: first.mutationId, bytes: batch.bytes });
      oversized = {
        mutationId: first.mutationId,
        ok: false,
        error: { code: 'invalid', message: 'too large for the server to accept; shorten it and retry' },
      };
      outcome = await post([oversizedStandIn(first)]);
    }
    if (outcome.kind !== 'ok') {
      if (outcome.kind === 'offline' || outcome.kind === 'server-error') await recordAttempt(session, batch.entries, outcome.message);
      if (outcome.kind === 'refused' && outcome.status === 409) {
        // The server is missing mutations we no longer hold — a correct outbox never causes this
        // (ids only grow, entries leave only when acknowledged), so it points at a server restored
        // from a backup or a copied profile. Retrying cannot fix it; a human must look.
        log('push rejected with a mutation gap', { clientId, firstPending: first.mutationId, answer: outcome.body });
      }
      await session.fail(outcome, 'push');
      return false;
    }
    const response = PushResponse.safeParse(outcome.body);
    if (!response.success) {
      await session.fail({ kind: 'server-error', status: 200, message: 'malformed push response' }, 'push');
      return false;
    }
    const { lastMutationId, results } = response.data;
    if (lastMutationId < first.mutationId) {
      // Acknowledging nothing would loop forever; treat it as a server fault and back off.
      log('push acknowledged none of the batch', { sent: first.mutationId, lastMutationId });
      await session.fail({ kind: 'server-error', status: 200, message: 'server did not acknowledge the batch' }, 'push');
      return false;
    }
    const sentUpTo = oversized ? first.mutationId : last.mutationId;
    if (lastMutationId > sentUpTo) {
      // Entries we have not sent yet must not leave unseen; the next push will settle them.
      log('push acknowledged beyond what was sent', { sentUpTo, lastMutationId });
    }
    // The stand-in is refused whatever the answer says (even when a retry finds it already processed).
    await outbox.ack(Math.min(lastMutationId, sentUpTo), oversized ? [oversized] : results);
    await acknowledged();
  }
}

/** Counts a failed delivery on each entry of the batch, so the UI can say how often a note has been tried. */
async function recordAttempt(session: SyncSession, batch: readonly OutboxEntry[], message: string): Promise<void> {
  const tx = session.db.transaction('outbox', 'readwrite');
  await Promise.all(
    batch.map(async (entry) => {
      const current = await tx.store.get(entry.mutationId);
      if (current) await tx.store.put({ ...current, attempts: current.attempts + 1, lastError: message });
    }),
  );
  await tx.done;
}
