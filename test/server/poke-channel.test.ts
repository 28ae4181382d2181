import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { pokeCloseCodes, pokePath } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import type { Clock } from '../../server/clock';
import { openMigratedStore, type Store } from '../../server/store/store';
import { writeTransaction } from '../../server/store/transaction';
import { appendChanges } from '../../server/sync/change-log';
import { createPokeChannel, type PokeChannel, type PokeChannelOptions } from '../../server/sync/poke-channel';
import { describeEachStore } from './stores';
import { TestClock, declareTenant, signedIn, testApp } from './helpers';
import { newClientId, noteCreate, pushOk } from './sync-fixtures';

/** An app served on loopback with its poke channel, as `serve` runs it. */
async function servedWithPokes(store: Store, clock: Clock, options: Partial<PokeChannelOptions> = {}) {
  const app = testApp(store, clock);
  const channel = createPokeChannel({ store, clock, ...options });
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started as Server));
  });
  channel.attach(server);
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${pokePath}`;
  return {
    app,
    channel,
    url,
    async close() {
      await channel.close();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

/** A poke socket as a test sees it: every message it got, and how it closed. */
function openSocket(url: string) {
  const socket = new WebSocket(url);
  const messages: string[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    messages.push((JSON.parse(String(data)) as { type: string }).type);
    for (const wake of waiters) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    messages,
    closed,
    opened,
    send: (message: unknown) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    /** Resolves once `count` messages of `type` arrived; fails after `ms`. */
    until(type: string, count = 1, ms = 3000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (messages.filter((m) => m === type).length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} "${type}", got ${JSON.stringify(messages)}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    pulls: () => messages.filter((m) => m === 'pull').length,
  };
}

async function readySocket(url: string, token: string) {
  const client = openSocket(url);
  await client.opened;
  client.send({ type: 'hello', token });
  await client.until('ready');
  return client;
}

const settle = (ms = 400) => new Promise((done) => setTimeout(done, ms));

describeEachStore('poke channel', ({ kind, store, databaseUrl }) => {
  const clock = new TestClock();
  let served: Awaited<ReturnType<typeof servedWithPokes>>;
  let app: HeadwayApp;
  type Person = Awaited<ReturnType<typeof signedIn>>;
  let head: Person, anna: Person, ben: Person;
  const sockets: ReturnType<typeof openSocket>[] = [];
  const ready = async (person: Person) => {
    const client = await readySocket(served.url, person.token);
    sockets.push(client);
    return client;
  };

  beforeAll(async () => {
    served = await servedWithPokes(store(), clock, { coalesceMs: 150 });
    app = served.app;
    await declareTenant(store(), clock);
    head = await signedIn(app, store(), clock, { role: 'head' });
    anna = await signedIn(app, store(), clock, { role: 'manager' });
    ben = await signedIn(app, store(), clock, { role: 'manager' });
  });
  afterAll(async () => {
    for (const client of sockets) client.socket.terminate();
    await served.close();
  });

  it('pokes the sockets of those who may see a committed change, and no one else', async () => {
    const [annaSocket, benSocket, headSocket] = [await ready(anna), await ready(ben), await ready(head)];
    expect(served.channel.count().authenticated).toBeGreaterThanOrEqual(3);
    await pushOk(app, anna.auth, newClientId(), [noteCreate(1)]);
    await Promise.all([annaSocket.until('pull'), headSocket.until('pull')]);
    await settle();
    // Anna's note is hers and the head's to see; Ben's pull would bring nothing, so he is not woken.
    expect(benSocket.pulls()).toBe(0);
    expect(annaSocket.pulls()).toBe(1);
  });

  it('pokes the head when a manager escalates to them', async () => {
    const headSocket = await ready(head);
    const benSocket = await ready(ben);
    await pushOk(app, anna.auth, newClientId(), [
      { mutationId: 1, name: 'escalation.create', args: { id: randomUUID(), category: 'approval', severity: 'normal', title: 'Discount 18 %', record: null, to: { role: 'head' } } },
    ]);
    await headSocket.until('pull');
    await settle();
    expect(benSocket.pulls()).toBe(0);
  });

  it('says nothing about a change that was rolled back', async () => {
    const headSocket = await ready(head);
    await expect(
      writeTransaction(store(), async (tx) => {
        await appendChanges(tx, [{ entity: 'config', entityId: 'workspace', version: 1, ownerId: null }], clock.now().toISOString());
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await settle();
    expect(headSocket.pulls()).toBe(0);
    // The same change committed does poke: the silence above was the rollback's.
    await writeTransaction(store(), (tx) => appendChanges(tx, [{ entity: 'config', entityId: 'workspace', version: 1, ownerId: null }], clock.now().toISOString()));
    await headSocket.until('pull');
  });

  it('coalesces a burst of commits into few pokes', async () => {
    const annaSocket = await ready(anna);
    const clientId = newClientId();
    for (let id = 1; id <= 8; id++) await pushOk(app, anna.auth, clientId, [noteCreate(id)]);
    await annaSocket.until('pull');
    await settle();
    expect(annaSocket.pulls()).toBeGreaterThanOrEqual(1);
    expect(annaSocket.pulls()).toBeLessThan(8);
  });

  it('answers pings once authenticated', async () => {
    const annaSocket = await ready(anna);
    annaSocket.send({ type: 'ping' });
    await annaSocket.until('pong');
  });

  it('closes a socket with a bad or missing credential, and it hears nothing', async () => {
    const cases: { first: unknown; code: number }[] = [
      { first: { type: 'hello', token: `hw_${'A'.repeat(43)}` }, code: pokeCloseCodes.unauthorized },
      { first: { type: 'ping' }, code: pokeCloseCodes.badMessage },
      { first: 'not json', code: pokeCloseCodes.badMessage },
      { first: { type: 'hello' }, code: pokeCloseCodes.badMessage },
    ];
    // A revoked token is refused like an unknown one.
    const revoked = await signedIn(app, store(), clock, { role: 'head' });
    expect((await app.request('/api/session', { method: 'DELETE', headers: revoked.auth })).status).toBe(204);
    cases.push({ first: { type: 'hello', token: revoked.token }, code: pokeCloseCodes.unauthorized });
    for (const { first, code } of cases) {
      const client = openSocket(served.url);
      await client.opened;
      client.send(first);
      const closed = await client.closed;
      expect(closed.code, JSON.stringify(first)).toBe(code);
      expect(closed.reason.length).toBeGreaterThan(0);
      expect(client.messages).toEqual([]);
    }
  });

  it('closes a socket that never says hello', async () => {
    const quick = await servedWithPokes(store(), clock, { helloTimeoutMs: 100 });
    try {
      const client = openSocket(quick.url);
      await client.opened;
      expect((await client.closed).code).toBe(pokeCloseCodes.helloTimeout);
    } finally {
      await quick.close();
    }
  });

  it('answers a plain GET of the path as the API does, without upgrading', async () => {
    const response = await app.request(pokePath);
    expect(response.status).toBe(404);
  });

  it('pokes for a change another process committed to the same database (SQLite: by watching the change counter)', async () => {
    const headSocket = await ready(head);
    const benSocket = await ready(ben);
    // A second store on the same database stands for another process, e.g. a CLI import; it holds no sockets.
    const other = await openMigratedStore(databaseUrl());
    try {
      await writeTransaction(other, (tx) => appendChanges(tx, [{ entity: 'plan', entityId: randomUUID(), version: 1, ownerId: anna.user.id }], clock.now().toISOString()));
      await headSocket.until('pull', 1, 3000);
      if (kind === 'postgres') {
        // NOTIFY carries who the change concerns: Ben's plan it is not.
        await settle();
        expect(benSocket.pulls()).toBe(0);
      }
    } finally {
      await other.close();
    }
  });

  if (kind === 'postgres') {
    it('pokes a socket held by another server process (LISTEN/NOTIFY)', async () => {
      // A second store on the same database stands for another process: its own pool, its own LISTEN connection.
      const other = await openMigratedStore(databaseUrl());
      const elsewhere = await servedWithPokes(other, clock);
      try {
        const headSocket = await readySocket(elsewhere.url, head.token);
        sockets.push(headSocket);
        const benSocket = await readySocket(elsewhere.url, ben.token);
        sockets.push(benSocket);
        // Through app A: the fast one-statement push path and the transactional one (an escalation) both poke.
        await pushOk(app, anna.auth, newClientId(), [noteCreate(1)]);
        await headSocket.until('pull', 1);
        await settle(200);
        await pushOk(app, anna.auth, newClientId(), [
          { mutationId: 1, name: 'escalation.create', args: { id: randomUUID(), category: 'approval', severity: 'normal', title: 'Across processes', record: null, to: { role: 'head' } } },
        ]);
        await headSocket.until('pull', 2);
        await settle();
        expect(benSocket.pulls()).toBe(0);
      } finally {
        await elsewhere.close();
        await other.close();
      }
    });
  }
});
