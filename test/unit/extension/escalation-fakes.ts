import type { EscalationServer } from '../../../extension/escalation/server';
import type { StorageAreaLike } from '../../../extension/session';

/**
 * Doubles the escalation background's unit tests share. The storage copies values in and out, as the browser's
 * does, so a test cannot pass by mutating what it read.
 */
export function memoryStorage(): StorageAreaLike & { items: Map<string, unknown> } {
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

/** A server that records what was asked and answers from `answer` (which may throw an ApiFailure); api.test.ts covers HTTP. */
export function fakeServer(answer: (method: string, path: string, body: unknown) => unknown) {
  const asked: { method: string; path: string; body: unknown }[] = [];
  const ask = async (method: string, path: string, body: unknown) => {
    asked.push({ method, path, body });
    return answer(method, path, body);
  };
  const server = {
    call: (method: string, path: string, _schema: unknown, body?: unknown) => ask(method, path, body),
    act: (id: string, action: unknown) => ask('POST', `/api/escalations/${id}/actions`, action),
  } as unknown as EscalationServer;
  return { server, asked };
}
