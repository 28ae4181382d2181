import type { Context, Next } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import { jsonText } from './body';
import { refuse } from './errors';
import { strictSchema } from './strict-schema';

const jsonMediaType = /^application\/([\w.-]+\+)?json$/i;

function mediaTypeOf(c: Context): string {
  return (c.req.header('Content-Type') ?? '').split(';')[0]?.trim() ?? '';
}

function holdsNul(value: unknown): boolean {
  return JSON.stringify(value)?.includes('\\u0000') ?? false;
}

/** A body checked with the strict form of a core schema: the value, or the 400 that says what is wrong. */
function parsedBody<S extends z.ZodType>(c: Context, schema: S, value: unknown, allowNul: boolean): z.output<S> | Response {
  const result = strictSchema(schema).safeParse(value);
  if (!result.success) return refuse(c, 400, 'invalid_body', 'invalidBody', {}, { issues: result.error.issues });
  // PostgreSQL text cannot hold NUL; refusing it here keeps both stores answering alike (and never a 500).
  if (!allowNul && holdsNul(result.data)) return refuse(c, 400, 'invalid_body', 'bodyNul');
  return result.data as z.output<S>;
}

/**
 * Parses the JSON body with a core schema, strictly (unknown keys are refused). A missing JSON content type, bytes
 * that are not UTF-8, nesting beyond reason and malformed JSON are 400s too, so no handler sees an unchecked body.
 */
export function jsonBody<S extends z.ZodType>(schema: S, options: { allowNul?: boolean } = {}) {
  const validate = validator('json', (value, c) => parsedBody(c, schema, value, options.allowNul === true));
  const read = async (c: Context, next: Next) => {
    if (!jsonMediaType.test(mediaTypeOf(c))) return refuse(c, 400, 'invalid_body', 'sendJson');
    const text = await jsonText(c);
    if (typeof text !== 'string') return text;
    // Hono's validator parses the text cached by jsonText (a syntax error becomes malformed_json in app.ts).
    return validate(c, next);
  };
  return read as unknown as typeof validate;
}

export function queryOf<S extends z.ZodType>(schema: S) {
  return validator('query', (value, c) => {
    const result = schema.safeParse(value);
    if (!result.success) return refuse(c, 400, 'invalid_query', 'invalidQuery', {}, { issues: result.error.issues });
    // %00 decodes to NUL, which PostgreSQL refuses in text: a 400 here instead of a 500 from the query.
    if (holdsNul(result.data)) return refuse(c, 400, 'invalid_query', 'queryNul');
    return result.data as z.output<S>;
  });
}

export function paramsOf<S extends z.ZodType>(schema: S) {
  return validator('param', (value, c) => {
    const result = schema.safeParse(value);
    if (!result.success) return refuse(c, 400, 'invalid_path', 'invalidPath', {}, { issues: result.error.issues });
    if (holdsNul(result.data)) return refuse(c, 400, 'invalid_path', 'pathNul');
    return result.data as z.output<S>;
  });
}

/**
 * Like jsonBody, for routes whose body is optional (approve, dismiss): no body, or only whitespace, reads as `{}`
 * whatever the headers say; any other body must be JSON sent as JSON, under the same 400s as jsonBody.
 */
export function optionalJsonBody<S extends z.ZodType>(schema: S) {
  return validator('json', async (_value, c) => {
    const text = await jsonText(c);
    if (typeof text !== 'string') return text;
    let value: unknown = {};
    if (text.trim() !== '') {
      if (!jsonMediaType.test(mediaTypeOf(c))) {
        return refuse(c, 400, 'invalid_body', 'sendNoBodyOrJson');
      }
      try {
        value = JSON.parse(text);
      } catch {
        return refuse(c, 400, 'malformed_json', 'malformedJson');
      }
    }
    return parsedBody(c, schema, value, false);
  });
}
