import { z } from 'zod';
import { ConfigResponse, User } from '../core/schema';
import { ConnectionState, type ConnectionSnapshot } from './messages';

/**
 * What the background keeps in browser.storage.local. MV3 may stop the worker at any moment, so nothing
 * about the connection lives only in memory. The token stays here and is never sent to pages or sidebars.
 */
export const SESSION_KEY = 'headway.session';

export const Session = z.object({
  serverUrl: z.string(),
  token: z.string().min(1),
  user: User,
  config: ConfigResponse.nullable(),
  state: ConnectionState,
  lastContactAt: z.string().nullable(),
  problem: z.string().nullable(),
});
export type Session = z.infer<typeof Session>;

/** The slice of browser.storage.local used here; fakeBrowser's storage satisfies it in tests. */
export interface StorageAreaLike {
  get(keys: string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

/**
 * A storage area held in memory, for a background without the browser's (Firefox MV2 before storage.session) and
 * for tests. Values are copied in and out, as the browser's are, so no caller can change what another read.
 */
export function memoryStorageArea(): StorageAreaLike & { items: Map<string, unknown> } {
  const items = new Map<string, unknown>();
  return {
    items,
    async get(keys) {
      return Object.fromEntries((Array.isArray(keys) ? keys : [keys]).filter((key) => items.has(key)).map((key) => [key, structuredClone(items.get(key))]));
    },
    async set(values) {
      for (const [key, value] of Object.entries(values)) items.set(key, structuredClone(value));
    },
    async remove(keys) {
      for (const key of Array.isArray(keys) ? keys : [keys]) items.delete(key);
    },
  };
}

export async function loadSession(storage: StorageAreaLike): Promise<Session | null> {
  const stored = (await storage.get(SESSION_KEY))[SESSION_KEY];
  if (stored === undefined) return null;
  const parsed = Session.safeParse(stored);
  // A corrupt or outdated record is as good as none: the user pairs again rather than running half-configured.
  return parsed.success ? parsed.data : null;
}

export async function saveSession(storage: StorageAreaLike, session: Session): Promise<void> {
  await storage.set({ [SESSION_KEY]: Session.parse(session) });
}

export async function clearSession(storage: StorageAreaLike): Promise<void> {
  await storage.remove(SESSION_KEY);
}

export function snapshotOf(session: Session | null): ConnectionSnapshot {
  if (!session) {
    return { state: 'unpaired', serverUrl: null, user: null, instances: [], disabledAdapters: [], workspaceName: null, lastContactAt: null, problem: null };
  }
  return {
    state: session.state,
    serverUrl: session.serverUrl,
    user: session.user,
    instances: session.config?.instances ?? [],
    disabledAdapters: session.config?.disabledAdapters ?? [],
    workspaceName: session.config?.settings.name ?? null,
    lastContactAt: session.lastContactAt,
    problem: session.problem,
  };
}
