import { browser } from 'wxt/browser';
import type { z } from 'zod';
import { backgroundSilence } from '../../extension/background-answer/silence';
import { askBackground } from '../../extension/client';
import { answerSchema, pathOf, type RouteDescriptor } from '../../core/api/route';
import type { ReadAnswer, ReadQuery, ReadRoute, WriteBody, WriteRoute } from '../../extension/page-api';

/**
 * The dashboard's and popup's way to the server: through the background (which holds the token), with the answer
 * parsed again on arrival so a half-updated extension shows a message rather than wrong figures.
 */
export class ServerProblem extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    /** The server's ApiError issues: zod issues, or every bad row of a refused import. */
    readonly issues: unknown[] = [],
  ) {
    super(message);
    this.name = 'ServerProblem';
  }
}

/** A read (routes.progress, routes.load, …, as extension/page-api.ts allows) with its query. */
export async function readServer<R extends ReadRoute>(route: R, query: ReadQuery<R>): Promise<ReadAnswer<R>> {
  const answer = await askBackground(browser, { type: 'api-get', path: pathOf(route as RouteDescriptor as { path: '' }, {}, query) });
  if (!answer.ok) throw new ServerProblem(answer.message, answer.status);
  const parsed = (answerSchema(route) as z.ZodType).safeParse(answer.data);
  if (!parsed.success) throw new ServerProblem(backgroundSilence('unexpected').message, null);
  return parsed.data as ReadAnswer<R>;
}

/**
 * An action (approve a move, save, delete or import plans) at `path` (pathOf(route, …)); answers what the server
 * answered, parsed.
 */
export async function sendAction<R extends WriteRoute>(route: R, path: string, body: WriteBody<R>): Promise<ReadAnswer<R>> {
  const answer = await askBackground(browser, { type: 'api-post', method: route.method as 'POST' | 'PUT' | 'DELETE', path, body });
  if (!answer.ok) throw new ServerProblem(answer.message, answer.status, answer.issues);
  const parsed = (answerSchema(route) as z.ZodType).safeParse(answer.data);
  if (!parsed.success) throw new ServerProblem(backgroundSilence('unexpected').message, null);
  return parsed.data as ReadAnswer<R>;
}
