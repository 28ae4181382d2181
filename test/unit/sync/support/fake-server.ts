import type { Change } from '../../../../core/schema/change';
import { MutationArgs, MutationName, PushRequest, type Mutation, type MutationResult } from '../../../../core/schema/sync';

/**
 * An in-memory Headway server that follows the sync contract exactly, exposed as a `fetch`:
 * per-client lastMutationId, duplicates skipped, gaps answered 409, a refused mutation recorded as
 * processed with ok:false (and reported again when a retry resends it), 401 for unknown tokens, a change log for pull. Faults are switchable.
 */
export type Fault =
  | 'none'
  /** fetch rejects before the server sees the request. */
  | 'down'
  /** 503 without touching state. */
  | 'error500'
  /** The server applies the push, then the response is lost (fetch rejects). */
  | 'lose-response';

export type AppliedMutation = { clientId: string; mutationId: number; name: string; args: unknown };

export function createFakeServer(
  options: { tokens?: string[]; refuse?: (mutation: Mutation) => MutationResult['error']; bodyLimitBytes?: number } = {},
) {
  const tokens = new Set(options.tokens ?? ['token-1']);
  const lastMutationIds = new Map<string, number>();
  const applied: AppliedMutation[] = [];
  const refused: AppliedMutation[] = [];
  const failures = new Map<string, NonNullable<MutationResult['error']>>();
  const changes: Change[] = [];
  const requests: { method: string; path: string; mutationIds?: number[] }[] = [];
  let fault: Fault = 'none';

  function json(status: number, body: unknown): Response {
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }

  function appendChange(entity: Change['entity'], entityId: string, version: number, data: unknown): void {
    changes.push({ seq: changes.length + 1, entity, entityId, version, data });
  }

  function latest(entity: Change['entity'], entityId: string): Change | undefined {
    return changes.findLast((change) => change.entity === entity && change.entityId === entityId);
  }

  /** What the real server does on success, enough for pull tests: notes enter the change log. */
  function apply(mutation: AppliedMutation, at: string): MutationResult['error'] {
    const name = MutationName.safeParse(mutation.name);
    if (!name.success) return { code: 'unknown-mutation', message: mutation.name };
    const args = MutationArgs[name.data].safeParse(mutation.args);
    if (!args.success) return { code: 'invalid', message: args.error.message };
    if (name.data === 'note.create') {
      const note = MutationArgs['note.create'].parse(mutation.args);
      appendChange('note', note.id, 1, { ...note, authorId: 'user-1', updatedAt: at, version: 1, deletedAt: null });
    } else if (name.data === 'note.update' || name.data === 'note.delete') {
      const { id, baseVersion } = args.data as { id: string; baseVersion: number };
      const current = latest('note', id);
      if (!current || current.data === null) return { code: 'not-found', message: id };
      if (current.version !== baseVersion) return { code: 'conflict', message: `note ${id} is at version ${current.version}` };
      const next =
        name.data === 'note.update'
          ? { ...(current.data as object), ...MutationArgs['note.update'].parse(mutation.args).content }
          : { ...(current.data as object), deletedAt: at };
      appendChange('note', id, baseVersion + 1, { ...next, version: baseVersion + 1, updatedAt: at });
    }
    return undefined;
  }

  function push(body: unknown): Response {
    const parsed = PushRequest.safeParse(body);
    if (!parsed.success) return json(400, { error: 'invalid', message: parsed.error.message });
    const { clientId, mutations } = parsed.data;
    let last = lastMutationIds.get(clientId) ?? 0;
    // The whole batch is one transaction: check for a gap before applying anything.
    let expected = last + 1;
    for (const mutation of mutations) {
      if (mutation.mutationId < expected) continue;
      if (mutation.mutationId !== expected) {
        return json(409, { error: 'mutation_gap', message: `expected mutation ${expected}`, expected });
      }
      expected += 1;
    }
    const results: MutationResult[] = [];
    const at = new Date(Date.UTC(2026, 10, 27, 9, 0, 0)).toISOString();
    for (const mutation of mutations) {
      if (mutation.mutationId <= last) {
        // Already processed: answered again from the record, so a retried batch reads the same.
        const earlier = failures.get(`${clientId}#${mutation.mutationId}`);
        results.push(earlier ? { mutationId: mutation.mutationId, ok: false, error: earlier } : { mutationId: mutation.mutationId, ok: true });
        continue;
      }
      const record = { clientId, mutationId: mutation.mutationId, name: mutation.name, args: mutation.args };
      const error = options.refuse?.(mutation) ?? apply(record, at);
      if (error) {
        failures.set(`${clientId}#${mutation.mutationId}`, error);
        refused.push(record);
        results.push({ mutationId: mutation.mutationId, ok: false, error });
      } else {
        applied.push(record);
        results.push({ mutationId: mutation.mutationId, ok: true });
      }
      last = mutation.mutationId;
    }
    lastMutationIds.set(clientId, last);
    return json(200, { lastMutationId: last, results });
  }

  function pull(url: URL): Response {
    const cursor = Number(url.searchParams.get('cursor') ?? '0');
    const limit = Number(url.searchParams.get('limit') ?? '1000');
    const after = changes.filter((change) => change.seq > cursor);
    const page = after.slice(0, limit);
    return json(200, { changes: page, cursor: page.at(-1)?.seq ?? cursor, more: after.length > limit });
  }

  const fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    if (typeof init.body === 'string' && new TextEncoder().encode(init.body).length > (options.bodyLimitBytes ?? 1024 * 1024)) {
      requests.push({ method: init.method ?? 'GET', path: url.pathname });
      return json(413, { error: 'payload_too_large', message: 'Request bodies are limited' });
    }
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as { mutations?: Mutation[] }) : undefined;
    requests.push({ method: init.method ?? 'GET', path: url.pathname, mutationIds: body?.mutations?.map((m) => m.mutationId) });
    if (fault === 'down') throw new TypeError('Failed to fetch');
    if (fault === 'error500') return json(503, { error: 'unavailable', message: 'database restarting' });
    const auth = new Headers(init.headers).get('authorization') ?? '';
    if (!tokens.has(auth.replace(/^Bearer /, ''))) return json(401, { error: 'unauthorized', message: 'token revoked' });
    if (url.pathname === '/api/sync/push' && init.method === 'POST') {
      const response = push(body);
      if (fault === 'lose-response') throw new TypeError('network connection was lost');
      return response;
    }
    if (url.pathname === '/api/sync/pull' && (init.method ?? 'GET') === 'GET') return pull(url);
    return json(404, { error: 'not_found', message: url.pathname });
  };

  return {
    fetch,
    applied,
    refused,
    changes,
    requests,
    appendChange,
    lastMutationId: (clientId: string) => lastMutationIds.get(clientId) ?? 0,
    setFault(next: Fault) {
      fault = next;
    },
    revoke(token: string) {
      tokens.delete(token);
    },
    /** Simulate a server restored from an old backup: it forgets mutations it had processed. */
    forgetClient(clientId: string, lastMutationId: number) {
      lastMutationIds.set(clientId, lastMutationId);
    },
  };
}

export type FakeServer = ReturnType<typeof createFakeServer>;
