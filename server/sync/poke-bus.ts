import { sql } from 'kysely';
import type pg from 'pg';
import type { Store } from '../store/store';
import { afterCommit, type Tx } from '../store/transaction';
import type { ChangeAudience } from './visibility';

/**
 * Who a committed change may concern (the change-log columns pull filters on), or everyone when a commit names too
 * many to list: a needless pull costs one small answer, a missed one leaves a client stale.
 */
export type PokeAudience = 'everyone' | readonly ChangeAudience[];

export interface PokeSubscription {
  /** Resolves once pokes committed from now on are sure to arrive (PostgreSQL: LISTEN has been answered). */
  ready: Promise<void>;
  stop(): void;
}

/** The change-log sequence numbers a commit took, first to last. */
export type SequenceRange = readonly [first: number, last: number];

/** Carries "this committed" from the writer to every process holding poke sockets. */
export interface PokeBus {
  /** `numbers`: the sequence numbers the commit took, when known (SQLite tells other processes' commits apart by them). */
  publish(audience: PokeAudience, numbers?: readonly SequenceRange[]): void;
  subscribe(listener: (audience: PokeAudience) => void): PokeSubscription;
}

const channel = 'headway_poke';
// Distinct audiences a poke lists before it says "everyone"; also keeps a NOTIFY payload far below its 8,000 bytes.
const namedAudienceLimit = 40;

type Held = Map<string, ChangeAudience> | 'everyone';

const keyOf = (change: ChangeAudience) =>
  [change.entity, change.ownerId, change.previousOwnerId ?? null, change.audienceRole ?? null, change.audienceUserId ?? null].join('\u0001');

function hold(held: Held | undefined, changes: readonly ChangeAudience[] | 'everyone'): Held {
  if (held === 'everyone' || changes === 'everyone') return 'everyone';
  const into = held ?? new Map<string, ChangeAudience>();
  for (const change of changes) {
    const { entity, ownerId, previousOwnerId = null, audienceRole = null, audienceUserId = null } = change;
    into.set(keyOf(change), { entity, ownerId, previousOwnerId, audienceRole, audienceUserId });
    if (into.size > namedAudienceLimit) return 'everyone';
  }
  return into;
}

const audienceOf = (held: Held): PokeAudience => (held === 'everyone' ? 'everyone' : [...held.values()]);

const pendingByTx = new WeakMap<Tx, { held: Held; numbers: SequenceRange[] }>();

/**
 * Announces changes written in `tx` to the poke channel once `tx` commits (nothing if it rolls back). The change
 * log calls it, so every writer of the log pokes without knowing the channel exists.
 */
export function announceOnCommit(tx: Tx, changes: readonly ChangeAudience[] | 'everyone', numbers?: SequenceRange): void {
  const pending = pendingByTx.get(tx);
  if (pending === undefined) {
    const registered = afterCommit(tx, (store) => {
      const final = pendingByTx.get(tx);
      pendingByTx.delete(tx);
      if (final !== undefined) pokeBusOf(store).publish(audienceOf(final.held), final.numbers);
    });
    // Outside a writeTransaction no commit can be observed; every writer of the change log uses one.
    if (!registered) return;
  }
  pendingByTx.set(tx, { held: hold(pending?.held, changes), numbers: [...(pending?.numbers ?? []), ...(numbers ? [numbers] : [])] });
}

const buses = new WeakMap<Store, PokeBus>();

/** The bus of a store: in this process for SQLite, through PostgreSQL's LISTEN/NOTIFY across processes. */
export function pokeBusOf(store: Store): PokeBus {
  let bus = buses.get(store);
  if (!bus) {
    bus = store.kind === 'postgres' && store.dedicatedClient ? postgresBus(store, store.dedicatedClient) : inProcessBus(store);
    buses.set(store, bus);
  }
  return bus;
}

/** How often a SQLite process looks at the change counter for commits made by other processes. */
export const sqliteWatchMs = 500;

/**
 * SQLite: commits of this process are announced as they happen. Another process on the same file (a CLI import, a
 * second server) cannot reach this one, so while anyone listens the change counter is read every `sqliteWatchMs`:
 * when it moved by more numbers than this process's own commits took, someone else wrote, and everyone is poked
 * (which changes they were is not known here; a needless pull costs little).
 */
function inProcessBus(store: Store): PokeBus {
  const listeners = new Set<(audience: PokeAudience) => void>();
  const dispatch = (audience: PokeAudience) => {
    for (const listener of listeners) listener(audience);
  };
  let own: SequenceRange[] = [];
  let seen: number | null = null;
  let watch: NodeJS.Timeout | null = null;
  const readCounter = async () => Number((await store.db.selectFrom('change_counter').select('seq').where('id', '=', 1).executeTakeFirst())?.seq ?? 0);
  const look = async () => {
    const counter = await readCounter();
    if (seen === null || counter <= seen) {
      seen = Math.max(seen ?? counter, counter);
      return;
    }
    const from = seen;
    let ownCount = 0;
    for (const [first, last] of own) ownCount += Math.max(0, Math.min(last, counter) - Math.max(first, from + 1) + 1);
    own = own.filter(([, last]) => last > counter);
    seen = counter;
    if (counter - from > ownCount) dispatch('everyone');
  };
  let ready: Promise<void> = Promise.resolve();
  return {
    publish(audience, numbers = []) {
      if (watch) own.push(...numbers);
      dispatch(audience);
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!watch) {
        seen = null;
        own = [];
        ready = look().catch(() => undefined);
        watch = setInterval(() => void look().catch(() => undefined), sqliteWatchMs);
        watch.unref();
      }
      return {
        ready,
        stop() {
          if (!listeners.delete(listener) || listeners.size > 0 || !watch) return;
          clearInterval(watch);
          watch = null;
        },
      };
    },
  };
}

const encode = (audience: PokeAudience) =>
  JSON.stringify(audience === 'everyone' ? 'everyone' : audience.map((a) => [a.entity, a.ownerId, a.previousOwnerId, a.audienceRole, a.audienceUserId]));

function decode(payload: string | undefined): PokeAudience {
  try {
    const parsed: unknown = JSON.parse(payload ?? '');
    if (!Array.isArray(parsed)) return 'everyone';
    return parsed.map(([entity, ownerId, previousOwnerId, audienceRole, audienceUserId]) => ({ entity, ownerId, previousOwnerId, audienceRole, audienceUserId }));
  } catch {
    return 'everyone';
  }
}

const relistenAfterMs = 1000;

/**
 * NOTIFY is sent after the commit, at most one in flight per process: commits arriving meanwhile are merged into
 * the next one, so a burst of pushes costs a handful of NOTIFYs rather than one each. Every process (this one too)
 * hears it on one LISTEN connection of its own, kept while anyone subscribes and re-opened if it drops (then
 * everyone is poked, since notifications may have been missed meanwhile).
 */
function postgresBus(store: Store, dedicatedClient: () => pg.Client): PokeBus {
  const listeners = new Set<(audience: PokeAudience) => void>();
  const dispatch = (audience: PokeAudience) => {
    for (const listener of listeners) listener(audience);
  };
  let queued: Held | undefined;
  let sending: Promise<void> | null = null;
  const send = async () => {
    while (queued !== undefined) {
      const payload = encode(audienceOf(queued));
      queued = undefined;
      try {
        await sql`select pg_notify(${channel}, ${payload})`.execute(store.db);
      } catch (error) {
        console.error('Poke channel: NOTIFY failed:', (error as Error).message);
      }
    }
  };
  const kick = (): void => {
    sending ??= send().finally(() => {
      sending = null;
      // Published after the loop's last look but before this: it goes now.
      if (queued !== undefined) kick();
    });
  };
  // A CLI command closes its store right after its last commit: the NOTIFY still waiting must go out first.
  const closeStore = store.close.bind(store);
  store.close = async () => {
    await sending;
    await closeStore();
  };

  let client: pg.Client | null = null;
  let listening: Promise<void> | null = null;
  const listen = (): Promise<void> => {
    const current = dedicatedClient();
    client = current;
    const lost = () => {
      if (client !== current) return;
      client = null;
      listening = null;
      setTimeout(() => {
        if (listeners.size === 0 || listening) return;
        listening = listen().then(() => dispatch('everyone'), () => undefined);
      }, relistenAfterMs).unref();
    };
    current.on('notification', (message) => {
      if (message.channel === channel) dispatch(decode(message.payload));
    });
    current.on('error', (error) => {
      console.error('Poke channel: LISTEN connection lost:', error.message);
      lost();
    });
    current.on('end', lost);
    return current.connect().then(() => current.query(`listen ${channel}`)).then(
      () => undefined,
      (error: Error) => {
        lost();
        throw error;
      },
    );
  };

  return {
    publish(audience) {
      queued = hold(queued, audience === 'everyone' ? 'everyone' : audience);
      kick();
    },
    subscribe(listener) {
      listeners.add(listener);
      listening ??= listen();
      const ready = listening;
      return {
        ready,
        stop() {
          if (!listeners.delete(listener) || listeners.size > 0) return;
          const ending = client;
          client = null;
          listening = null;
          void ending?.end().catch(() => undefined);
        },
      };
    },
  };
}
