import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiError } from '../../core/schema';

/** Every error answer has the ApiError shape; nothing else (no stack, no SQL) ever leaves the server. */
export function apiError(c: Context, status: ContentfulStatusCode, error: string, message: string, extra: Partial<ApiError> & Record<string, unknown> = {}) {
  return c.json({ error, message, ...extra } satisfies ApiError, status);
}
