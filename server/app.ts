import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { Clock } from './clock';
import { AppConfig } from './config';
import { corsForExtension } from './http/cors';
import type { AppDeps, AppEnv } from './http/env';
import { answerRefusal, apiError, httpText, refuse } from './http/errors';
import { streamedImport } from './import/csv-body';
import { adapterHealthRoutes } from './routes/adapter-health/adapter-health.routes';
import { dealsRoutes } from './routes/deals/deals.routes';
import { demoRoutes } from './routes/demo/demo.routes';
import { escalationsRoutes } from './routes/escalations/escalations.routes';
import { calendarsRoutes } from './routes/calendars/calendars.routes';
import { configRoutes } from './routes/config/config.routes';
import { crmRoutes } from './routes/crm/crm.routes';
import { healthRoutes } from './routes/health/health.routes';
import { loadRoutes } from './routes/load/load.routes';
import { meRoutes } from './routes/me/me.routes';
import { movesRoutes } from './routes/moves/moves.routes';
import { openApiRoutes } from './routes/openapi/openapi.routes';
import { pairRoutes } from './routes/pair/pair.routes';
import { plansRoutes } from './routes/plans/plans.routes';
import { progressRoutes } from './routes/progress/progress.routes';
import { reportsRoutes } from './routes/reports/reports.routes';
import { sessionRoutes } from './routes/session/session.routes';
import { settingsRoutes } from './routes/settings/settings.routes';
import { syncRoutes } from './routes/sync/sync.routes';
import { rosterRoutes } from './routes/users/roster.routes';
import { usersRoutes } from './routes/users/users.routes';
import type { SecretBox } from './connectors/secret-box';
import type { Store } from './store/store';
import { Refused } from './refusal/refused';

export interface CreateAppOptions {
  store: Store;
  clock: Clock;
  config?: Partial<AppConfig>;
  box?: SecretBox;
}

/** The whole HTTP surface; no listening, no process state, so tests call `app.request()` on it directly. */
export function createApp({ store, clock, config, box }: CreateAppOptions) {
  const deps: AppDeps = { store, clock, config: AppConfig.parse(config ?? {}), box };
  const limitBody = bodyLimit({
    maxSize: deps.config.bodyLimitBytes,
    onError: (c) => refuse(c, 413, 'payload_too_large', 'tooLarge', { bytes: deps.config.bodyLimitBytes }),
  });
  return new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('deps', deps);
      await next();
    })
    .use('/api/*', corsForExtension)
    // A CSV import is read as a stream against its own limit (server/import/csv-body.ts); this one would buffer it.
    // A GET or HEAD carries no body any route reads, and asking (c.req.raw.body) makes @hono/node-server build a
    // whole Request per call: a tenth of a pull's CPU under load. Hence a plain check rather than except().
    .use((c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' || streamedImport(c) ? next() : limitBody(c, next)))
    .route('/', healthRoutes)
    .route('/', openApiRoutes)
    .route('/', pairRoutes)
    .route('/', meRoutes)
    .route('/', sessionRoutes)
    .route('/', configRoutes)
    .route('/', usersRoutes)
    .route('/', rosterRoutes)
    .route('/', settingsRoutes)
    .route('/', calendarsRoutes)
    .route('/', plansRoutes)
    .route('/', dealsRoutes)
    .route('/', progressRoutes)
    .route('/', loadRoutes)
    .route('/', movesRoutes)
    .route('/', syncRoutes)
    .route('/', adapterHealthRoutes)
    .route('/', escalationsRoutes)
    .route('/', reportsRoutes)
    .route('/', crmRoutes)
    .route('/', demoRoutes)
    .notFound((c) => refuse(c, 404, 'not_found', 'notFound', { method: c.req.method, path: c.req.path }))
    .onError((error, c) => {
      if (error instanceof HTTPException && error.status < 500) {
        // Hono raises these itself, e.g. for a body that is not JSON.
        const code = /json/i.test(error.message) ? 'malformed_json' : 'bad_request';
        return apiError(c, error.status as 400, code, error.message || httpText(c)('unreadable'));
      }
      if (error instanceof Refused) return answerRefusal(c, error);
      console.error(`Unhandled error on ${c.req.method} ${c.req.path}:`, error);
      return refuse(c, 500, 'internal', 'internal');
    });
}

export type HeadwayApp = ReturnType<typeof createApp>;
