import type { EscalationServer } from '../../../extension/escalation/server';

/** Doubles the escalation background's unit tests share; the storage is the extension's own in-memory area. */
export { memoryStorageArea as memoryStorage } from '../../../extension/session';

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
