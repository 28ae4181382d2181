// The server process is killed with SIGKILL while clients are in the middle of pushing batches, then started again on
// the same database; the clients retry as the outbox does (resend from the first unacknowledged mutation). Nothing
// may be lost and nothing applied twice. SIGKILL, unlike SIGTERM, lets no request finish and closes nothing: a
// transaction may be cut anywhere, including between its statements or during COMMIT.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, expect, it } from 'vitest';
import { PushResponse } from '../../core/schema';
import { describeEachStore } from './stores';
import { addUser, declareTenant, post, rowCount, TestClock } from './helpers';
import { newClientId, noteCreate } from './sync-fixtures';

const root = resolve(import.meta.dirname, '../..');

const clients = 3;
const batchesPerClient = 12;
const createsPerBatch = 80;
/** Acknowledged batches (over all clients) after which the server is killed; each kill restarts it. */
const killAfter = [5, 17];

/**
 * `node --import tsx server/cli.ts serve`: the pid is the server itself. (Through the tsx binary a SIGKILL would
 * hit only tsx's wrapper and leave the real server running.)
 */
function startServer(databaseUrl: string, children: ChildProcess[]): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'serve', '--json'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const url = new Promise<string>((resolveUrl, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolveUrl((JSON.parse(line) as { listening: string }).listening));
    child.once('exit', (code, signal) => reject(new Error(`serve exited with ${code ?? signal} before listening`)));
  });
  return { child, url };
}

/** One client's batches: note.create runs, each batch ending with an edit of its first note (baseVersion 1). */
function batchesOf(): { mutationId: number; name: string; args: Record<string, unknown> }[][] {
  let next = 1;
  return Array.from({ length: batchesPerClient }, () => {
    const creates = Array.from({ length: createsPerBatch }, () => noteCreate(next++));
    const first = creates[0]!.args;
    // Applied twice, this edit would meet version 2 and be refused as a conflict: a recorded failure shows it.
    const edit = { mutationId: next++, name: 'note.update', args: { id: first.id, baseVersion: 1, content: { side: 'seller', text: `edited ${first.id}` } } };
    return [...creates, edit];
  });
}

describeEachStore('server killed with SIGKILL mid-push', ({ freshStore }) => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    await Promise.all(children.map((child) => new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done(null);
      child.once('exit', done);
      child.kill('SIGKILL');
    })));
  });

  it('loses nothing and applies nothing twice when clients retry after a restart', { timeout: 180_000 }, async () => {
    const { store, databaseUrl } = await freshStore();
    const clock = new TestClock(new Date().toISOString());
    await declareTenant(store, clock);
    const { user, code } = await addUser(store, clock, { role: 'manager' });
    let server = startServer(databaseUrl, children);
    let base = server.url;
    const paired = await fetch(`${await base}/api/pair`, post({ code, deviceName: 'sigkill' }));
    expect(paired.status).toBe(200);
    const auth = { Authorization: `Bearer ${((await paired.json()) as { token: string }).token}` };

    const queues = Array.from({ length: clients }, () => ({ clientId: newClientId(), batches: batchesOf() }));
    let acknowledged = 0;
    let cutOff = 0;
    const kills: Promise<void>[] = [];
    // A kill waits for the next push to be sent and strikes before it can be answered, so at least that push is cut
    // for certain; the other clients' pushes are cut wherever they are (parsing, mid-transaction, committing).
    let onSent: (() => void) | null = null;
    const nextPushSent = () => new Promise<void>((sent) => (onSent = sent));

    /**
     * SIGKILL the running server as soon as the next push is sent to it, then start a new one on the same database.
     * Until then every client, the one that triggered this included, keeps pushing to the old server, so a push to
     * cut always comes.
     */
    function killAndRestart(): void {
      kills.push(nextPushSent().then(() => {
        const victim = server.child;
        let restarted!: () => void;
        base = new Promise<string>((resolveUrl, reject) => {
          restarted = () => {
            server = startServer(databaseUrl, children);
            server.url.then(resolveUrl, reject);
          };
        });
        return new Promise<void>((done) => {
          victim.once('exit', (_code, signal) => {
            expect(signal).toBe('SIGKILL');
            restarted();
            done();
          });
          victim.kill('SIGKILL');
        });
      }));
    }

    async function pushUntilAcknowledged(clientId: string, mutations: unknown[]): Promise<PushResponse> {
      for (;;) {
        const url = await base;
        let response: Response;
        let body: unknown;
        const sending = fetch(`${url}/api/sync/push`, post({ clientId, mutations }, auth));
        onSent?.();
        onSent = null;
        try {
          response = await sending;
          body = await response.json();
        } catch {
          // The server died under this request: whether it committed or not, the same batch is sent again.
          cutOff += 1;
          continue;
        }
        expect(response.status, JSON.stringify(body)).toBe(200);
        return PushResponse.parse(body);
      }
    }

    await Promise.all(queues.map(async ({ clientId, batches }) => {
      for (const batch of batches) {
        const answer = await pushUntilAcknowledged(clientId, batch);
        expect(answer.lastMutationId).toBe(batch.at(-1)!.mutationId);
        expect(answer.results.filter((result) => !result.ok)).toEqual([]);
        acknowledged += 1;
        if (killAfter.includes(acknowledged)) killAndRestart();
      }
    }));
    await Promise.all(kills);
    // Each kill cut at least one push short (the other clients were pushing), so the retry path really ran.
    expect(cutOff).toBeGreaterThanOrEqual(killAfter.length);

    // Every batch once more, as a client that lost every answer would: all acknowledged, nothing applied again.
    const before = { notes: await rowCount(store, 'notes'), changes: await rowCount(store, 'change_log') };
    for (const { clientId, batches } of queues) {
      for (const batch of batches) {
        const answer = await pushUntilAcknowledged(clientId, batch);
        expect(answer.lastMutationId).toBe(batchesPerClient * (createsPerBatch + 1));
        expect(answer.results.every((result) => result.ok)).toBe(true);
      }
    }
    expect({ notes: await rowCount(store, 'notes'), changes: await rowCount(store, 'change_log') }).toEqual(before);

    const total = clients * batchesPerClient;
    const notes = await store.db.selectFrom('notes').select(['id', 'version']).where('author_id', '=', user.id).execute();
    const expectedIds = queues.flatMap(({ batches }) => batches.flatMap((batch) => batch.filter((m) => m.name === 'note.create').map((m) => m.args.id)));
    expect(new Set(notes.map((note) => note.id))).toEqual(new Set(expectedIds));
    expect(notes).toHaveLength(total * createsPerBatch);
    // Exactly the edited notes are at version 2: an edit applied twice would have failed with a conflict instead.
    expect(notes.filter((note) => note.version === 2)).toHaveLength(total);
    expect(notes.filter((note) => note.version !== 1 && note.version !== 2)).toEqual([]);
    expect(await rowCount(store, 'mutation_failures')).toBe(0);
    // One change per create and per edit, numbered without holes or repeats despite the cut transactions.
    const log = await store.db.selectFrom('change_log').select(['seq', 'entity_id', 'version']).orderBy('seq').execute();
    expect(log.map((row) => Number(row.seq))).toEqual(Array.from({ length: total * (createsPerBatch + 1) }, (_, i) => i + 1));
    expect(new Set(log.map((row) => `${row.entity_id}@${row.version}`)).size).toBe(log.length);
    const progress = await store.db.selectFrom('client_mutations').select(['client_id', 'last_mutation_id']).execute();
    expect(progress.map((row) => Number(row.last_mutation_id))).toEqual(Array(clients).fill(batchesPerClient * (createsPerBatch + 1)));
  });
});
