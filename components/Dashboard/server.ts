import { browser } from 'wxt/browser';
import type { z } from 'zod';
import { askBackground } from '../../extension/client';
import { READ_ROUTES, WRITE_ROUTES, readPath, type ReadAnswer, type ReadPath, type ReadQuery } from '../../extension/page-api';

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

export async function readServer<P extends ReadPath>(path: P, query: ReadQuery<P>): Promise<ReadAnswer<P>> {
  const answer = await askBackground(browser, { type: 'api-get', path: readPath(path, query) });
  if (!answer.ok) throw new ServerProblem(answer.message, answer.status);
  const parsed = (READ_ROUTES[path].response as z.ZodType).safeParse(answer.data);
  if (!parsed.success) throw new ServerProblem('Headway’s background answered something unexpected. Reload the extension.', null);
  return parsed.data as ReadAnswer<P>;
}

type WriteRoute = (typeof WRITE_ROUTES)[number];

/** An action (approve a move, save, delete or import plans); answers what the server answered, parsed. */
export async function sendAction<R extends WriteRoute>(route: R, path: string, body: z.input<R['body']>): Promise<z.infer<R['response']>> {
  const answer = await askBackground(browser, { type: 'api-post', method: route.method, path, body });
  if (!answer.ok) throw new ServerProblem(answer.message, answer.status, answer.issues);
  const parsed = (route.response as z.ZodType).safeParse(answer.data);
  if (!parsed.success) throw new ServerProblem('Headway’s background answered something unexpected. Reload the extension.', null);
  return parsed.data as z.infer<R['response']>;
}

export const routes = {
  proposeMove: WRITE_ROUTES[0],
  approveMove: WRITE_ROUTES[1],
  dismissMove: WRITE_ROUTES[2],
  createPlan: WRITE_ROUTES[3],
  updatePlan: WRITE_ROUTES[4],
  deletePlan: WRITE_ROUTES[5],
  importPlans: WRITE_ROUTES[6],
  approveMoves: WRITE_ROUTES[7],
  importDeals: WRITE_ROUTES[8],
} as const;
