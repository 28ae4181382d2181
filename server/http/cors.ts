import { createMiddleware } from 'hono/factory';
import { isInstanceOrigin } from '../store/workspace';
import type { AppEnv } from './env';

const extensionOrigin = /^(chrome|moz)-extension:\/\/[a-z0-9-]+$/i;

/**
 * CORS for the extension's own pages and for configured CRM instances (where the content script runs).
 * Instances are read from the database, so a `crm add` on one process is honoured by all of them.
 */
export const corsForExtension = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('Origin');
  const allowed = origin !== undefined && (extensionOrigin.test(origin) || (await isInstanceOrigin(c.var.deps.store.db, origin)));
  if (c.req.method === 'OPTIONS' && origin !== undefined && c.req.header('Access-Control-Request-Method')) {
    if (!allowed) return c.body(null, 403);
    return c.body(null, 204, {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    });
  }
  await next();
  if (allowed) {
    c.res.headers.set('Access-Control-Allow-Origin', origin);
    // The options page shows how long to wait after too many pairing attempts.
    c.res.headers.set('Access-Control-Expose-Headers', 'Retry-After');
    c.res.headers.append('Vary', 'Origin');
  }
});
