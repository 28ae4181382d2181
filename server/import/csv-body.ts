import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { routes } from '../../core/api/routes';
import type { AppEnv } from '../http/env';
import { bodyText } from '../http/body';
import { answerRefusal, apiError } from '../http/errors';
import { csvNul, tooBig } from './csv-text';

const csvMediaType = /^(text\/csv|text\/plain|application\/csv)$/i;

export function sendsCsv(c: Context): boolean {
  return csvMediaType.test((c.req.header('Content-Type') ?? '').split(';')[0]?.trim() ?? '');
}

/** A CSV sent to the deals import: read as a stream (csvBodyPieces), so the global, buffering body limit skips it. */
export const streamedImport = (c: Context): boolean => c.req.method === routes.importDeals.method && c.req.path === routes.importDeals.path && sendsCsv(c);

const wrongType = (c: Context) => apiError(c, 400, 'invalid_body', 'Send the CSV file itself as the body, with Content-Type: text/csv.');

/** Reads a text/csv body into c.var.csv; any other content type is a 400 that says what to send. */
export const csvBody = createMiddleware<AppEnv & { Variables: { csv: string } }>(async (c, next) => {
  if (!sendsCsv(c)) return wrongType(c);
  const csv = await bodyText(c);
  if (typeof csv !== 'string') return csv;
  // PostgreSQL text cannot hold NUL; refusing it here keeps both stores answering alike (and never a 500).
  if (csv.includes('\u0000')) return answerRefusal(c, csvNul());
  c.set('csv', csv);
  await next();
});

/**
 * The route's guard before a streamed import: the content type, and a declared length over the limit. The global
 * body limit does not apply to the stream (see streamedImport); csvTextPieces counts its bytes against this one.
 */
export function csvStreamProblem(c: Context, limitBytes: number): Response | null {
  if (Number(c.req.header('Content-Length') ?? 0) > limitBytes) return answerRefusal(c, tooBig(limitBytes));
  return sendsCsv(c) ? null : wrongType(c);
}
