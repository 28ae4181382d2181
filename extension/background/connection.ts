import { PairRequest, type UserLocale } from '../../core/schema';
import { ApiFailure, createServerApi, normalizeServerUrl } from '../api';
import { clientSays } from '../reader-language';
import type { ConnectResult, ConnectionSnapshot } from '../messages';
import { clearSession, loadSession, saveSession, snapshotOf, type Session, type StorageAreaLike } from '../session';

export interface ConnectionDeps {
  storage: StorageAreaLike;
  fetch?: typeof fetch;
  now?: () => Date;
  /** Shown to the admin in the server's list of paired devices. */
  deviceName: string;
  timeoutMs?: number;
  /** Called after every stored change, with what pages may see. */
  onChange?: (snapshot: ConnectionSnapshot) => void;
}

export type Connection = ReturnType<typeof createConnection>;

/**
 * The connection to the Headway server: pairing, the signed-in user, the workspace config and the
 * online/offline/unauthorized state. Used only by the background worker, which makes every server call.
 */
export function createConnection(deps: ConnectionDeps) {
  const now = deps.now ?? (() => new Date());
  // Writes are serialised so a heartbeat that finishes late cannot resurrect a session Disconnect just removed.
  let queue: Promise<unknown> = Promise.resolve();
  function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  const api = (session: Pick<Session, 'serverUrl' | 'token'>) =>
    createServerApi({ baseUrl: session.serverUrl, token: session.token, fetch: deps.fetch, timeoutMs: deps.timeoutMs });

  async function publish(session: Session | null): Promise<ConnectionSnapshot> {
    const snapshot = snapshotOf(session);
    deps.onChange?.(snapshot);
    return snapshot;
  }

  /** Applies `change` to the stored session, but only if it still belongs to the token the call was made with. */
  function applyIfCurrent(token: string, change: (session: Session) => Session): Promise<ConnectionSnapshot> {
    return exclusive(async () => {
      const latest = await loadSession(deps.storage);
      if (!latest || latest.token !== token) return snapshotOf(latest);
      const next = change(latest);
      const changed = JSON.stringify(next) !== JSON.stringify(latest);
      if (changed) await saveSession(deps.storage, next);
      return changed ? publish(next) : snapshotOf(next);
    });
  }

  function failureState(session: Session, failure: unknown): Session {
    if (failure instanceof ApiFailure && failure.kind === 'unauthorized') {
      return { ...session, state: 'unauthorized', problem: clientSays('deviceRevoked') };
    }
    const message = failure instanceof ApiFailure ? failure.message : clientSays('serverTrouble');
    return { ...session, state: 'offline', problem: message };
  }

  const reached = (session: Session): Session => ({ ...session, state: 'online', problem: null, lastContactAt: now().toISOString() });

  return {
    async snapshot(): Promise<ConnectionSnapshot> {
      return snapshotOf(await loadSession(deps.storage));
    },

    async session(): Promise<Session | null> {
      return loadSession(deps.storage);
    },

    /** Pairs with a server. Stores the session only when the server accepted the code. */
    async connect(serverUrlInput: string, codeInput: string): Promise<ConnectResult> {
      const fail = async (message: string): Promise<ConnectResult> => ({ ok: false, message, snapshot: snapshotOf(await loadSession(deps.storage)) });
      const server = normalizeServerUrl(serverUrlInput);
      if (!server.ok) return fail(server.message);
      const request = PairRequest.safeParse({ code: codeInput, deviceName: deps.deviceName });
      if (!request.success) return fail(clientSays('pairingCodeShape'));
      let paired;
      try {
        paired = await createServerApi({ baseUrl: server.url, fetch: deps.fetch, timeoutMs: deps.timeoutMs }).pair({
          ...request.data,
          code: request.data.code.toUpperCase(),
        });
      } catch (failure) {
        return fail(failure instanceof ApiFailure ? failure.message : clientSays('pairingFailed'));
      }
      const session: Session = {
        serverUrl: server.url,
        token: paired.token,
        user: paired.user,
        config: null,
        state: 'online',
        lastContactAt: now().toISOString(),
        problem: null,
      };
      await exclusive(() => saveSession(deps.storage, session));
      await publish(session);
      return { ok: true, snapshot: await this.refresh() };
    },

    /** Revokes the token on the server when it can, and forgets it here in any case. */
    async disconnect(): Promise<ConnectionSnapshot> {
      const session = await loadSession(deps.storage);
      if (session) {
        // Best effort: an unreachable server must not keep the user from signing this device out.
        await api(session).revokeSession().catch(() => undefined);
      }
      await exclusive(() => clearSession(deps.storage));
      return publish(null);
    },

    /** Re-reads who we are and the workspace config (on connect, start-up, alarm and when asked). */
    async refresh(): Promise<ConnectionSnapshot> {
      const session = await loadSession(deps.storage);
      if (!session) return publish(null);
      try {
        const client = api(session);
        const [user, config] = await Promise.all([client.me(), client.config()]);
        return applyIfCurrent(session.token, (latest) => reached({ ...latest, user, config }));
      } catch (failure) {
        return applyIfCurrent(session.token, (latest) => failureState(latest, failure));
      }
    },

    /**
     * The signed-in user's own language, stored on the server (so every device of theirs and the server's e-mails
     * follow it); the session takes the user the server answers, and every page re-renders in it.
     */
    async setLocale(locale: UserLocale | null): Promise<ConnectResult> {
      const session = await loadSession(deps.storage);
      if (!session) return { ok: false, message: clientSays('notConnected'), snapshot: snapshotOf(null) };
      try {
        const user = await api(session).setLocale(locale);
        return { ok: true, snapshot: await applyIfCurrent(session.token, (latest) => reached({ ...latest, user })) };
      } catch (failure) {
        const message = failure instanceof ApiFailure ? failure.message : clientSays('serverTrouble');
        return { ok: false, message, snapshot: snapshotOf(await loadSession(deps.storage)) };
      }
    },

    /** Cheap liveness check used while sidebars are open: one authenticated GET. */
    async check(): Promise<ConnectionSnapshot> {
      const session = await loadSession(deps.storage);
      if (!session) return snapshotOf(null);
      try {
        const user = await api(session).me();
        const wasOnline = session.state === 'online';
        const snapshot = await applyIfCurrent(session.token, (latest) => reached({ ...latest, user }));
        // Back from offline: the config may have changed meanwhile.
        return wasOnline ? snapshot : this.refresh();
      } catch (failure) {
        return applyIfCurrent(session.token, (latest) => failureState(latest, failure));
      }
    },
  };
}
