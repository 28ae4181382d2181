import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientFor, freshIndexedDB, manualClock, noteArgs, seededRandom } from './support/fixtures';
import { createFakeServer, type Fault } from './support/fake-server';
import { openSyncDb, type SyncDb } from '../../../core/sync/db.idb';

/**
 * Whatever happens between saving notes and the server — flushes racing each other, the network
 * dropping, answers lost after the server applied a batch, 5xx, the worker being killed and the
 * database reopened — every note reaches the server exactly once, in the order it was saved.
 */
const Step = fc.oneof(
  fc.record({ kind: fc.constant('enqueue' as const), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('flush' as const), force: fc.boolean() }),
  fc.record({ kind: fc.constant('racing-flushes' as const) }),
  fc.record({ kind: fc.constant('enqueue-during-flush' as const) }),
  fc.record({ kind: fc.constant('network' as const), fault: fc.constantFrom<Fault>('none', 'down', 'error500', 'lose-response') }),
  fc.record({ kind: fc.constant('reopen' as const) }),
  fc.record({ kind: fc.constant('wait-for-retry' as const) }),
);

describe('outbox + sync client, any interleaving', () => {
  it('ends with the server holding each mutation exactly once, in order, refusals kept locally', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(Step, { maxLength: 30 }), fc.integer({ min: 1, max: 3 }), async (steps, batchSize) => {
        const indexedDB = freshIndexedDB();
        // Every fifth note is refused (say, a conflict): it must end in `failed`, never lost or applied.
        const refusedNote = (id: string) => Number(id.slice('note-'.length)) % 5 === 0;
        const server = createFakeServer({
          refuse: (mutation) => (refusedNote((mutation.args as { id: string }).id) ? { code: 'conflict', message: 'stale' } : undefined),
        });
        const clock = manualClock();
        let db: SyncDb = await openSyncDb({ indexedDB });
        // Small batches so that a few notes already span several pushes.
        const newClient = () => clientFor(db, server, { clock: clock.now, random: seededRandom(1), batchSize });
        let client = newClient();
        let saved = 0;
        const save = () => client.outbox.enqueue('note.create', noteArgs(++saved));

        for (const step of steps) {
          switch (step.kind) {
            case 'enqueue':
              for (let i = 0; i < step.count; i++) await save();
              break;
            case 'flush':
              await client.flush({ force: step.force });
              break;
            case 'racing-flushes':
              await Promise.all([client.flush({ force: true }), client.sync({ force: true }), client.flush()]);
              break;
            case 'enqueue-during-flush':
              await Promise.all([client.flush({ force: true }), save()]);
              break;
            case 'network':
              server.setFault(step.fault);
              break;
            case 'reopen':
              // The MV3 worker is killed: nothing in memory survives, only IndexedDB.
              db.close();
              db = await openSyncDb({ indexedDB });
              client = newClient();
              break;
            case 'wait-for-retry': {
              const { nextRetryAt } = await client.state();
              if (nextRetryAt !== null) clock.set(Math.max(clock.now(), nextRetryAt));
              break;
            }
          }
        }

        server.setFault('none');
        for (let round = 0; round < 1_000 && (await client.outbox.count()) > 0; round++) {
          const { nextRetryAt } = await client.state();
          if (nextRetryAt !== null) clock.set(Math.max(clock.now(), nextRetryAt));
          await client.flush();
        }
        const all = Array.from({ length: saved }, (_, i) => `note-${i + 1}`);
        const idOf = (mutation: { args: unknown }) => (mutation.args as { id: string }).id;
        expect(await client.outbox.count()).toBe(0);
        // Ids 1..saved in order, each exactly once: applied ones, then refused ones kept locally.
        expect(server.applied.map(idOf)).toEqual(all.filter((id) => !refusedNote(id)));
        expect(server.refused.map(idOf)).toEqual(all.filter(refusedNote));
        expect((await client.outbox.failed()).map(idOf)).toEqual(all.filter(refusedNote));
        expect([...server.applied, ...server.refused].map((m) => m.mutationId).sort((a, b) => a - b)).toEqual(
          Array.from({ length: saved }, (_, i) => i + 1),
        );
        db.close();
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
