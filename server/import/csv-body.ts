import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http/env';
import { bodyText } from '../http/body';
import { apiError } from '../http/errors';

const csvMediaType = /^(text\/csv|text\/plain|application\/csv)$/i;

/** Reads a text/csv body into c.var.csv; any other content type is a 400 that says what to send. */
export const csvBody = createMiddleware<AppEnv & { Variables: { csv: string } }>(async (c, next) => {
  const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim() ?? '';
  if (!csvMediaType.test(mediaType)) {
    return apiError(c, 400, 'invalid_body', 'Send the CSV file itself as the body, with Content-Type: text/csv.');
  }
  const csv = await bodyText(c);
  if (typeof csv !== 'string') return csv;
  // PostgreSQL text cannot hold NUL; refusing it here keeps both stores answering alike (and never a 500).
  if (csv.includes('\u0000')) return apiError(c, 400, 'invalid_body', 'The CSV contains a NUL character; save it again as plain UTF-8 text.');
  c.set('csv', csv);
  await next();
});
