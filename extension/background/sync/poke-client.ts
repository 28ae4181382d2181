import { PokeServerMessage, pokeCloseCodes, pokeKeepaliveMs, pokePath, type PokeClientMessage } from '../../../core/schema';
import { backoffDelay, type BackoffPolicy } from '../../../core/sync/backoff';

/** What the client needs of a WebSocket; the background passes the browser's, tests a fake. */
export interface PokeSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface PokeSocketEvents {
  open(): void;
  message(data: unknown): void;
  close(code: number): void;
}

export interface PokeTimers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface PokeClientDeps {
  /** The paired server and device token, or null when there is nothing to listen for. */
  credentials(): Promise<{ serverUrl: string; token: string } | null>;
  open(url: string, events: PokeSocketEvents): PokeSocket;
  /** "Pull now": runs the one sync runner (push then pull from its cursor). */
  pull(): void;
  /** The channel came up (stop polling) or went down (poll until it is back). */
  channelChanged(up: boolean): void;
  timers: PokeTimers;
  now(): number;
  random(): number;
  keepaliveMs?: number;
  backoff?: BackoffPolicy;
}

/** Reconnects spread over a growing window; past a minute the fallback poll (once a minute) is the floor anyway. */
export const POKE_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };
const MIN_RECONNECT_MS = 250;

/** The poke socket of a server (ws:// for http://, wss:// for https://); null for any other scheme. */
export function pokeUrlOf(serverUrl: string): string | null {
  const match = /^http(s?):\/\/(.+?)\/*$/i.exec(serverUrl);
  return match ? `ws${match[1]!.toLowerCase()}://${match[2]}${pokePath}` : null;
}

/**
 * The background's side of the poke channel: one socket, authenticated by its first message; every "pull" runs the
 * normal sync. It pings every `keepaliveMs` (20 s), which also keeps an MV3 service worker alive (Chrome 116+), and a
 * socket silent since the previous ping, or not ready by the next tick, is taken for dead. Down, it reconnects with
 * exponential backoff and full jitter and tells the background to poll meanwhile. A token the server refused is not
 * tried again until the session changes (`restart`).
 */
export function createPokeClient(deps: PokeClientDeps) {
  const keepaliveMs = deps.keepaliveMs ?? pokeKeepaliveMs;
  const policy = deps.backoff ?? POKE_BACKOFF;
  let generation = 0;
  let running = false;
  let socket: PokeSocket | null = null;
  let failures = 0;
  let reported: boolean | null = null;
  let refusedToken: string | null = null;
  let tick: unknown = null;
  let retry: unknown = null;
  /** Whose credentials the channel was last opened with, so a session saved again unchanged keeps the socket. */
  let openedWith: string | null = null;
  const keyOf = (credentials: { serverUrl: string; token: string } | null) => (credentials ? `${credentials.serverUrl}\n${credentials.token}` : '');

  const report = (up: boolean) => {
    if (reported === up) return;
    reported = up;
    deps.channelChanged(up);
  };
  const clearTimers = () => {
    if (tick !== null) deps.timers.clear(tick);
    if (retry !== null) deps.timers.clear(retry);
    tick = retry = null;
  };

  function reconnectLater(): void {
    failures += 1;
    const wait = Math.max(MIN_RECONNECT_MS, backoffDelay(failures, deps.random, policy));
    retry = deps.timers.set(() => {
      retry = null;
      void connect();
    }, wait);
  }

  async function connect(): Promise<void> {
    const mine = ++generation;
    const credentials = await deps.credentials().catch(() => null);
    if (mine !== generation || !running) return;
    openedWith = keyOf(credentials);
    const url = credentials ? pokeUrlOf(credentials.serverUrl) : null;
    if (!credentials || !url || credentials.token === refusedToken) {
      // Nothing to listen for (not paired, or the token was refused): the sync runner says what the user must do.
      report(false);
      return;
    }
    let ready = false;
    let lastHeard = deps.now();
    let pingedAt = 0;
    const current = () => mine === generation && running;
    const send = (message: PokeClientMessage) => socket?.send(JSON.stringify(message));
    const gone = (code: number) => {
      if (!current()) return;
      socket = null;
      clearTimers();
      report(false);
      if (code === pokeCloseCodes.unauthorized) refusedToken = credentials.token;
      else reconnectLater();
    };
    const keepalive = () => {
      tick = deps.timers.set(() => {
        if (!current()) return;
        if (!ready || lastHeard < pingedAt) {
          // Not ready in a whole tick, or no answer to the last ping: drop it and start over.
          const dead = socket;
          socket = null;
          dead?.close(1000, 'unresponsive');
          gone(1006);
          return;
        }
        pingedAt = deps.now();
        send({ type: 'ping' });
        keepalive();
      }, keepaliveMs);
    };
    try {
      socket = deps.open(url, {
        open: () => current() && send({ type: 'hello', token: credentials.token }),
        message: (data) => {
          if (!current()) return;
          lastHeard = deps.now();
          let parsed: PokeServerMessage | null = null;
          try {
            const result = PokeServerMessage.safeParse(typeof data === 'string' ? JSON.parse(data) : null);
            parsed = result.success ? result.data : null;
          } catch {
            parsed = null;
          }
          if (parsed?.type === 'ready') {
            ready = true;
            failures = 0;
            report(true);
            // Whatever committed while the channel was down is pulled now.
            deps.pull();
          } else if (parsed?.type === 'pull') {
            deps.pull();
          }
        },
        close: gone,
      });
    } catch {
      gone(1006);
      return;
    }
    keepalive();
  }

  return {
    /** Opens the channel (a worker start); does nothing if it is already open. */
    start(): void {
      if (running) return;
      running = true;
      void connect();
    },
    /** The session changed (paired again, another server, disconnected): a fresh socket with fresh credentials. */
    restart(): void {
      refusedToken = null;
      failures = 0;
      this.stop();
      this.start();
    },
    /** The server was seen again: a reconnect waiting out its backoff goes now. */
    retryNow(): void {
      if (retry === null || !running) return;
      deps.timers.clear(retry);
      retry = null;
      void connect();
    },
    /** The stored session was written: only another server, token or pairing state opens a new socket. */
    async sessionChanged(): Promise<void> {
      const credentials = await deps.credentials().catch(() => null);
      if (keyOf(credentials) !== openedWith) this.restart();
    },
    stop(): void {
      running = false;
      generation += 1;
      clearTimers();
      const closing = socket;
      socket = null;
      closing?.close(1000, 'stopped');
    },
    /** For the popup and tests: whether pokes are arriving now. */
    isUp: () => reported === true,
  };
}

/** The browser's WebSocket behind PokeSocket (a service worker's, or Firefox's background page's). */
export function openBrowserSocket(url: string, events: PokeSocketEvents): PokeSocket {
  const socket = new WebSocket(url);
  socket.onopen = () => events.open();
  socket.onmessage = (event) => events.message(event.data);
  // An error is always followed by close, which is where reconnecting starts.
  socket.onclose = (event) => events.close(event.code);
  return socket;
}
