import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import type { PairResponse } from '../../../core/schema';
import { redeemPairingCode } from '../../auth/pairing';
import { takeAttempt } from '../../auth/rate-limit';
import { clientIp } from '../../http/client-ip';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { refuse } from '../../http/errors';
import { jsonBody } from '../../http/validate';

/** A device trades a one-time pairing code for its own revocable token. */
export const pairRoutes = new Hono<AppEnv>().post(routes.pair.path, guard(routes.pair), jsonBody(routes.pair.body), async (c) => {
  const { store, clock, config } = c.var.deps;
  // Counted only once the body is a well-formed guess: a web page can send a text/plain POST without a CORS
  // preflight, and counting those would let any page a colleague opens lock the whole office out of pairing. A
  // JSON body needs the preflight, which only the extension passes.
  const attempt = await takeAttempt(store.db, `pair:${clientIp(c, config.trustProxy)}`, config.pairRateLimit, clock);
  if (!attempt.allowed) {
    c.header('Retry-After', String(attempt.retryAfterSeconds));
    return refuse(c, 429, 'rate_limited', 'rateLimited');
  }
  const { code, deviceName } = c.req.valid('json');
  const paired = await redeemPairingCode(store, code, deviceName, clock);
  if (!paired) {
    return refuse(c, 401, 'invalid_code', 'invalidCode');
  }
  return c.json({ token: paired.token, user: paired.user } satisfies PairResponse, 200);
});
