import type { Server } from 'node:http';
import { createNodeWebSocket } from '@hono/node-ws';
import { Hono } from 'hono';
import type { WebSocket } from 'ws';
import { PokeClientMessage, pokeCloseCodes, pokePath, pokeHelloTimeoutMs, type PokeServerMessage, type User } from '../../core/schema';
import { authenticateToken } from '../auth/device-tokens';
import type { Clock } from '../clock';
import { versionLeaseMs } from '../store/data-version';
import type { Store } from '../store/store';
import { pokeBusOf, type PokeAudience } from './poke-bus';
import { changeReaches } from './visibility';

export interface PokeChannelOptions {
  store: Store;
  clock: Clock;
  /** At most one poke per person this often: a burst of commits becomes one pull. */
  coalesceMs?: number;
  /** Protocol pings this often; a socket that did not answer the previous one is dropped. */
  heartbeatMs?: number;
  helloTimeoutMs?: number;
}

/** The poke channel of one process: its sockets, grouped by person, told to pull when a commit concerns them. */
export interface PokeChannel {
  /** Takes the WebSocket upgrades of `pokePath` on a Node server (any other upgrade is refused). */
  attach(server: Server): void;
  /** Sockets open now, and how many of them have authenticated. */
  count(): { open: number; authenticated: number };
  close(): Promise<void>;
}

interface Socket {
  raw: WebSocket;
  alive: boolean;
  state: 'greeting' | 'checking' | 'ready';
  helloTimer: NodeJS.Timeout;
  person?: Person;
}

/** A person's sockets (several browsers) share one pace, since every commit concerns them all alike. */
interface Person {
  user: User;
  sockets: Set<Socket>;
  lastPokeAt: number;
  /** When the latest commit concerning them was heard of. */
  heardAt: number;
  timer: NodeJS.Timeout | null;
}

const send = (socket: Socket, message: PokeServerMessage) => socket.raw.send(JSON.stringify(message));
const pullNow = JSON.stringify({ type: 'pull' } satisfies PokeServerMessage);

export function createPokeChannel({ store, clock, coalesceMs = 150, heartbeatMs = 30_000, helloTimeoutMs = pokeHelloTimeoutMs }: PokeChannelOptions): PokeChannel {
  const sockets = new Set<Socket>();
  const people = new Map<string, Person>();

  // Another process may answer a pull from a data version up to this old (store/data-version.ts): a poke waits as
  // long after the commit is heard of, so the pull it asks for sees that commit whichever process answers it.
  const settleMs = versionLeaseMs(store);
  const schedule = (person: Person) => {
    // Already due to be poked: that pull will carry this commit too (or poke() schedules again for it).
    if (person.timer) return;
    const wait = Math.max(person.lastPokeAt + coalesceMs, person.heardAt + settleMs) - Date.now();
    if (wait <= 0) poke(person);
    else person.timer = setTimeout(() => poke(person), wait);
  };
  const poke = (person: Person) => {
    person.timer = null;
    person.lastPokeAt = Date.now();
    for (const socket of person.sockets) socket.raw.send(pullNow);
    // A commit heard of since this poke was planned is not yet sure to be seen by that pull: poke again for it.
    if (person.heardAt + settleMs > person.lastPokeAt) schedule(person);
  };
  const subscription = pokeBusOf(store).subscribe((audience: PokeAudience) => {
    const heardAt = Date.now();
    for (const person of people.values()) {
      if (audience !== 'everyone' && !audience.some((change) => changeReaches(person.user, change))) continue;
      person.heardAt = heardAt;
      schedule(person);
    }
  });
  subscription.ready.catch((error: Error) => console.error('Poke channel: cannot listen for changes:', error.message));

  const heartbeat = setInterval(() => {
    for (const socket of sockets) {
      if (!socket.alive) {
        socket.raw.terminate();
        continue;
      }
      socket.alive = false;
      socket.raw.ping();
    }
  }, heartbeatMs);
  heartbeat.unref();

  const refuse = (socket: Socket, code: number, reason: string) => socket.raw.close(code, reason);

  const join = (socket: Socket, user: User) => {
    let person = people.get(user.id);
    if (!person) {
      person = { user, sockets: new Set(), lastPokeAt: 0, heardAt: 0, timer: null };
      people.set(user.id, person);
    }
    person.sockets.add(socket);
    socket.person = person;
  };

  const leave = (socket: Socket) => {
    clearTimeout(socket.helloTimer);
    sockets.delete(socket);
    const person = socket.person;
    if (!person || !person.sockets.delete(socket) || person.sockets.size > 0) return;
    if (person.timer) clearTimeout(person.timer);
    people.delete(person.user.id);
  };

  const greet = async (socket: Socket, token: string) => {
    socket.state = 'checking';
    const device = await authenticateToken(store, token, clock);
    if (socket.raw.readyState !== socket.raw.OPEN) return;
    if (!device) {
      refuse(socket, pokeCloseCodes.unauthorized, 'This device is not connected to Headway. Pair it again.');
      return;
    }
    clearTimeout(socket.helloTimer);
    // Only once LISTEN is answered is a commit from now on sure to poke this socket.
    await subscription.ready;
    if (socket.raw.readyState !== socket.raw.OPEN) return;
    join(socket, device.user);
    socket.state = 'ready';
    send(socket, { type: 'ready' });
  };

  const receive = (socket: Socket, data: unknown) => {
    socket.alive = true;
    let message: PokeClientMessage | null = null;
    try {
      const parsed = PokeClientMessage.safeParse(typeof data === 'string' ? JSON.parse(data) : null);
      if (parsed.success) message = parsed.data;
    } catch {
      // Not JSON: refused below like any other unreadable message.
    }
    if (!message) {
      refuse(socket, pokeCloseCodes.badMessage, 'Unreadable message: send {"type":"hello","token":…} first, then {"type":"ping"}.');
      return;
    }
    if (message.type === 'ping') {
      if (socket.state === 'greeting') refuse(socket, pokeCloseCodes.badMessage, 'Say hello with the device token first.');
      else send(socket, { type: 'pong' });
      return;
    }
    if (socket.state !== 'greeting') {
      refuse(socket, pokeCloseCodes.badMessage, 'Hello was already said on this socket.');
      return;
    }
    greet(socket, message.token).catch((error: Error) => {
      console.error('Poke channel: could not check a device token:', error.message);
      refuse(socket, 1011, 'The server could not check the token; try again later.');
    });
  };

  // The socket's own small app: the upgrade is all it answers, so the HTTP API (its access policy, its OpenAPI
  // description) is not involved; a plain GET of the path gets the API's 404.
  const upgrades = new Hono();
  const nodeWs = createNodeWebSocket({ app: upgrades });
  // A client sends a token and pings; nothing bigger.
  (nodeWs.wss.options as { maxPayload: number }).maxPayload = 4096;
  upgrades.get(
    pokePath,
    nodeWs.upgradeWebSocket(() => {
      let socket: Socket | null = null;
      return {
        onOpen(_event, ws) {
          const raw = ws.raw as WebSocket;
          const opened: Socket = {
            raw,
            alive: true,
            state: 'greeting',
            helloTimer: setTimeout(() => refuse(opened, pokeCloseCodes.helloTimeout, 'No hello with a device token in time.'), helloTimeoutMs),
          };
          socket = opened;
          sockets.add(opened);
          raw.on('pong', () => {
            opened.alive = true;
          });
        },
        onMessage(event) {
          if (socket) receive(socket, event.data);
        },
        onClose() {
          if (socket) leave(socket);
        },
      };
    }),
  );

  return {
    attach(server) {
      nodeWs.injectWebSocket(server);
    },
    count() {
      let authenticated = 0;
      for (const person of people.values()) authenticated += person.sockets.size;
      return { open: sockets.size, authenticated };
    },
    async close() {
      clearInterval(heartbeat);
      subscription.stop();
      for (const socket of sockets) refuse(socket, pokeCloseCodes.goingAway, 'The server is shutting down.');
      for (const person of people.values()) if (person.timer) clearTimeout(person.timer);
      people.clear();
    },
  };
}
