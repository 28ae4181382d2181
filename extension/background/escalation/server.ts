import type { z } from 'zod';
import { answerSchema, pathOf, type AnswerSchema, type RouteDescriptor } from '../../../core/api/route';
import { routes } from '../../../core/api/routes';
import type { EscalationActionRequest } from '../../../core/schema';
import { ApiFailure, createServerApi } from '../../api';
import { clientSays } from '../../reader-language';
import type { ApiResult } from '../../page-api';
import type { Session } from '../../session';

/**
 * The escalation work's way to the Headway server, with this browser's device token. Every part (sending, undo,
 * the inbox look, reports) asks through here, so a missing connection and a refusal read the same everywhere.
 */

export function escalationServer(session: () => Promise<Session | null>) {
  /** `route` at `path` (pathOf(route, …)); the answer is parsed with the route's own schema. */
  async function call<R extends RouteDescriptor>(route: R, path: string, body?: unknown, timeoutMs = 15_000): Promise<z.infer<AnswerSchema<R>>> {
    const current = await session();
    if (!current) throw new ApiFailure('unreachable', clientSays('notConnected'));
    const api = createServerApi({ baseUrl: current.serverUrl, token: current.token, timeoutMs });
    return api.request(route.method, path, answerSchema(route) as z.ZodType<z.infer<AnswerSchema<R>>>, body);
  }
  return {
    call,
    /** One answer to an escalation (withdraw, edit, resolve, …); the server checks who may and against which version. */
    act: (id: string, action: EscalationActionRequest) => call(routes.actOnEscalation, pathOf(routes.actOnEscalation, { id }), action),
  };
}
export type EscalationServer = ReturnType<typeof escalationServer>;

/** For the pages: a refusal or an unreachable server becomes an answer they show; anything else stays a bug. */
export async function asResult<T>(work: Promise<T>): Promise<ApiResult> {
  try {
    return { ok: true, data: await work };
  } catch (error) {
    if (error instanceof ApiFailure) return { ok: false, message: error.message, status: error.status ?? null };
    throw error;
  }
}
