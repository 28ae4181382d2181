import { pathOf } from '../../../core/api/route';
import { routes } from '../../../core/api/routes';
import type { EscalationServer } from '../../../extension/background/escalation/server';

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
    call: (route: { method: string }, path: string, body?: unknown) => ask(route.method, path, body),
    act: (id: string, action: unknown) => ask('POST', pathOf(routes.actOnEscalation, { id }), action),
  } as unknown as EscalationServer;
  return { server, asked };
}
