import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import type { AdapterHealthResponse } from '../../../core/schema';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { jsonBody, queryOf } from '../../http/validate';
import { listAdapterMisses, recordAdapterMiss, sinceDay } from '../../store/adapter-health';
import { writeTransaction } from '../../store/transaction';
import { readConfig } from '../../store/workspace';

/**
 * Adapter health: extensions report record pages an adapter recognised but could not read, so an admin learns that
 * a CRM changed its markup before the managers do, and can switch the adapter off (`adapter disable`) meanwhile.
 */
export const adapterHealthRoutes = new Hono<AppEnv>()
  .post(routes.reportMiss.path, guard(routes.reportMiss), jsonBody(routes.reportMiss.body), async (c) => {
    const { store, clock } = c.var.deps;
    const report = c.req.valid('json');
    await writeTransaction(store, (tx) => recordAdapterMiss(tx, report, c.var.user.id, clock.now()));
    return c.body(null, 204);
  })
  .get(routes.adapterHealth.path, guard(routes.adapterHealth), queryOf(routes.adapterHealth.query), async (c) => {
    const { store, clock } = c.var.deps;
    const since = sinceDay(clock.now(), c.req.valid('query').days);
    const [misses, config] = await Promise.all([listAdapterMisses(store.db, since), readConfig(store.db)]);
    return c.json({ since, misses, disabledAdapters: config.disabledAdapters } satisfies AdapterHealthResponse, 200);
  });
