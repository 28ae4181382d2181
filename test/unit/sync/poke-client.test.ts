import { describe, expect, it } from 'vitest';
import { pokeCloseCodes } from '../../../core/schema';
import { createPokeClient, POKE_BACKOFF, pokeUrlOf, type PokeSocketEvents } from '../../../extension/background/sync/poke-client';

/** A hand-driven clock with timers, and sockets the test opens, answers and closes. */
function harness(options: { random?: () => number; token?: string | null } = {}) {
  let now = 1_000_000;
  const timers = new Map<number, { at: number; run: () => void }>();
  let nextTimer = 1;
  const sockets: { url: string; events: PokeSocketEvents; sent: unknown[]; closed: boolean }[] = [];
  const log: string[] = [];
  let token: string | null = options.token === undefined ? 'hw_token_of_anna_0123456789' : options.token;
  const client = createPokeClient({
    credentials: async () => (token ? { serverUrl: 'https://headway.example.test/', token } : null),
    open(url, events) {
      const socket = { url, events, sent: [] as unknown[], closed: false };
      sockets.push(socket);
      return {
        send: (data: string) => socket.sent.push(JSON.parse(data)),
        close: () => {
          socket.closed = true;
        },
      };
    },
    pull: () => log.push('pull'),
    channelChanged: (up) => log.push(up ? 'up' : 'down'),
    timers: {
      set(run, ms) {
        const id = nextTimer++;
        timers.set(id, { at: now + ms, run });
        return id;
      },
      clear: (id) => timers.delete(id as number),
    },
    now: () => now,
    random: options.random ?? (() => 0.5),
    keepaliveMs: 20_000,
  });
  const flush = () => new Promise((done) => setTimeout(done, 0));
  return {
    client,
    sockets,
    log,
    latest: () => sockets.at(-1)!,
    setToken: (value: string | null) => (token = value),
    /** Moves the clock on, running every timer that falls due, in order. */
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].run();
        await flush();
      }
      now = until;
    },
    /** Which timers wait, as delays from now. */
    pending: () => [...timers.values()].map((timer) => timer.at - now).sort((a, b) => a - b),
    flush,
  };
}

async function connected(h: ReturnType<typeof harness>) {
  h.client.start();
  await h.flush();
  const socket = h.latest();
  socket.events.open();
  socket.events.message(JSON.stringify({ type: 'ready' }));
  return socket;
}

describe('poke client', () => {
  it('says hello with the token in the first message, never in the URL, and pulls on ready and on every poke', async () => {
    const h = harness();
    const socket = await connected(h);
    expect(socket.url).toBe('wss://headway.example.test/api/sync/poke');
    expect(socket.sent[0]).toEqual({ type: 'hello', token: 'hw_token_of_anna_0123456789' });
    expect(h.log).toEqual(['up', 'pull']);
    socket.events.message(JSON.stringify({ type: 'pull' }));
    socket.events.message('garbage');
    expect(h.log).toEqual(['up', 'pull', 'pull']);
  });

  it('pings every 20 s while up, and takes a socket that stopped answering for dead', async () => {
    const h = harness();
    const socket = await connected(h);
    await h.advance(20_000);
    expect(socket.sent.at(-1)).toEqual({ type: 'ping' });
    socket.events.message(JSON.stringify({ type: 'pong' }));
    await h.advance(20_000);
    expect(socket.sent.filter((m) => (m as { type: string }).type === 'ping')).toHaveLength(2);
    // No pong to the second ping: at the next tick it is closed and the channel is down.
    await h.advance(20_000);
    expect(socket.closed).toBe(true);
    expect(h.log.at(-1)).toBe('down');
  });

  it('reconnects with growing, jittered waits, polls only while down, and resets after it is back', async () => {
    const h = harness({ random: () => 0.5 });
    const first = await connected(h);
    first.events.close(1006);
    expect(h.log).toEqual(['up', 'pull', 'down']);
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const [wait] = h.pending();
      waits.push(wait!);
      await h.advance(wait!);
      h.latest().events.close(1006); // the server is still away
    }
    // Half of 1 s, 2 s, 4 s, 8 s: random() = 0.5 of each doubling ceiling.
    expect(waits).toEqual([500, 1000, 2000, 4000]);
    // Down stays reported once; no "up" came in between, so polling was never switched off.
    expect(h.log.filter((entry) => entry === 'down')).toHaveLength(1);
    await h.advance(h.pending()[0]!);
    h.latest().events.open();
    h.latest().events.message(JSON.stringify({ type: 'ready' }));
    expect(h.log.slice(-2)).toEqual(['up', 'pull']);
    h.latest().events.close(1001);
    expect(h.pending()[0]).toBe(500); // back to the first step
  });

  it('never waits longer than the cap, nor less than a quarter second', async () => {
    const low = harness({ random: () => 0 });
    (await connected(low)).events.close(1006);
    expect(low.pending()[0]).toBe(250);
    const high = harness({ random: () => 0.999999 });
    (await connected(high)).events.close(1006);
    for (let attempt = 0; attempt < 12; attempt++) {
      await high.advance(high.pending()[0]!);
      high.latest().events.close(1006);
    }
    expect(high.pending()[0]).toBeLessThanOrEqual(POKE_BACKOFF.capMs);
    expect(high.pending()[0]).toBeGreaterThan(POKE_BACKOFF.capMs * 0.99);
  });

  it('gives up on a refused token until the session changes', async () => {
    const h = harness();
    h.client.start();
    await h.flush();
    h.latest().events.open();
    h.latest().events.close(pokeCloseCodes.unauthorized);
    expect(h.log).toEqual(['down']);
    expect(h.pending()).toEqual([]);
    h.setToken('hw_token_after_pairing_again_42');
    h.client.restart();
    await h.flush();
    expect(h.sockets).toHaveLength(2);
    h.latest().events.open();
    expect(h.latest().sent[0]).toEqual({ type: 'hello', token: 'hw_token_after_pairing_again_42' });
  });

  it('treats a socket that is not ready within a tick as dead', async () => {
    const h = harness();
    h.client.start();
    await h.flush();
    h.latest().events.open();
    await h.advance(20_000);
    expect(h.latest().closed).toBe(true);
    expect(h.log).toEqual(['down']);
    expect(h.pending()).toHaveLength(1);
  });

  it('opens nothing while not paired, and reports the channel down so the background polls', async () => {
    const h = harness({ token: null });
    h.client.start();
    await h.flush();
    expect(h.sockets).toEqual([]);
    expect(h.log).toEqual(['down']);
  });

  it('ignores a socket that closes after it was replaced', async () => {
    const h = harness();
    const old = await connected(h);
    h.client.restart();
    await h.flush();
    old.events.close(1006);
    old.events.message(JSON.stringify({ type: 'pull' }));
    expect(h.log).toEqual(['up', 'pull']);
    expect(h.pending()).toHaveLength(1); // only the new socket's keepalive tick
  });

  it('derives the socket URL from the server URL', () => {
    expect(pokeUrlOf('http://127.0.0.1:8787')).toBe('ws://127.0.0.1:8787/api/sync/poke');
    expect(pokeUrlOf('HTTPS://headway.example.test//')).toBe('wss://headway.example.test/api/sync/poke');
    expect(pokeUrlOf('ftp://x')).toBeNull();
  });
});

describe('poke client, told the server is back', () => {
  it('reconnects at once instead of waiting out its backoff, and leaves a socket that is connecting alone', async () => {
    const h = harness({ random: () => 0.99 });
    h.client.start();
    await h.flush();
    h.client.retryNow(); // connecting: nothing to hurry
    await h.flush();
    expect(h.sockets).toHaveLength(1);
    h.latest().events.close(1006);
    expect(h.pending()).toEqual([990]);
    h.client.retryNow();
    await h.flush();
    expect(h.sockets).toHaveLength(2);
  });

  it('keeps its socket when the session is saved again with the same server and token', async () => {
    const h = harness();
    await connected(h);
    await h.client.sessionChanged();
    await h.flush();
    expect(h.sockets).toHaveLength(1);
    h.setToken('hw_token_after_pairing_again_42');
    await h.client.sessionChanged();
    await h.flush();
    expect(h.sockets).toHaveLength(2);
    expect(h.sockets[0]!.closed).toBe(true);
  });
});
