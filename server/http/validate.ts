import { validator } from 'hono/validator';
import type { z } from 'zod';
import { apiError } from './errors';

const jsonMediaType = /^application\/([\w.-]+\+)?json$/i;

/**
 * Parses the JSON body with a core schema. Malformed JSON and a missing JSON content type are 400s too,
 * so no handler ever sees an unvalidated body.
 */
export function jsonBody<S extends z.ZodType>(schema: S, options: { allowNul?: boolean } = {}) {
  return validator('json', (value, c) => {
    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim() ?? '';
    if (!jsonMediaType.test(mediaType)) {
      return apiError(c, 400, 'invalid_body', 'Send a JSON body with Content-Type: application/json.');
    }
    const result = schema.safeParse(value);
    if (!result.success) return apiError(c, 400, 'invalid_body', 'The request body is not valid.', { issues: result.error.issues });
    // PostgreSQL text cannot hold NUL; refusing it here keeps both stores answering alike (and never a 500).
    if (!options.allowNul && JSON.stringify(result.data)?.includes('\\u0000')) return apiError(c, 400, 'invalid_body', 'Text may not contain NUL characters.');
    return result.data as z.output<S>;
  });
}

function holdsNul(value: unknown): boolean {
  return JSON.stringify(value)?.includes('\\u0000') ?? false;
}

export function queryOf<S extends z.ZodType>(schema: S) {
  return validator('query', (value, c) => {
    const result = schema.safeParse(value);
    if (!result.success) return apiError(c, 400, 'invalid_query', 'The query string is not valid.', { issues: result.error.issues });
    // %00 decodes to NUL, which PostgreSQL refuses in text: a 400 here instead of a 500 from the query.
    if (holdsNul(result.data)) return apiError(c, 400, 'invalid_query', 'The query string may not contain NUL characters.');
    return result.data as z.output<S>;
  });
}

export function paramsOf<S extends z.ZodType>(schema: S) {
  return validator('param', (value, c) => {
    const result = schema.safeParse(value);
    if (!result.success) return apiError(c, 400, 'invalid_path', 'The address is not valid.', { issues: result.error.issues });
    if (holdsNul(result.data)) return apiError(c, 400, 'invalid_path', 'The address may not contain NUL characters.');
    return result.data as z.output<S>;
  });
}

/**
 * Like jsonBody, for routes whose body is optional (approve, dismiss): no body, or only whitespace, reads as `{}`
 * whatever the headers say; any other body must be JSON sent as JSON, under the same 400s as jsonBody.
 */
export function optionalJsonBody<S extends z.ZodType>(schema: S) {
  return validator('json', async (_value, c) => {
    const text = await c.req.text();
    let value: unknown = {};
    if (text.trim() !== '') {
      const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim() ?? '';
      if (!jsonMediaType.test(mediaType)) {
        return apiError(c, 400, 'invalid_body', 'Send no body, or a JSON body with Content-Type: application/json.');
      }
      try {
        value = JSON.parse(text);
      } catch {
        return apiError(c, 400, 'malformed_json', 'The body is not valid JSON.');
      }
    }
    const result = schema.safeParse(value);
    if (!result.success) return apiError(c, 400, 'invalid_body', 'The request body is not valid.', { issues: result.error.issues });
    if (holdsNul(result.data)) return apiError(c, 400, 'invalid_body', 'Text may not contain NUL characters.');
    return result.data as z.output<S>;
  });
}
