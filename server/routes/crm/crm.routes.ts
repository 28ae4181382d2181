import { Hono } from 'hono';
import { CrmHookBody, CrmHookParams, type ConnectionsResponse } from '../../../core/schema';
import { hookSecretMatches } from '../../connectors/connect';
import { markDue } from '../../connectors/connections';
import { allConnectionStatuses } from '../../connectors/status';
import { requestRefresh } from '../../connectors/sync/refresh';
import { requireDevice, requireRole } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { apiError } from '../../http/errors';
import { optionalJsonBody, paramsOf } from '../../http/validate';
import { writeTransaction } from '../../store/transaction';

/**
 * The CRM connectors seen from HTTP: their status for the dashboard (head and admin, the same as `crm status`), and
 * the hook a CRM calls to be synced sooner (a SuiteCRM after_save logic hook, a workflow), verified by the secret
 * `crm connect` printed. The hook only asks for a sync; what is read comes from the CRM's API, never from the call.
 */
export const crmRoutes = new Hono<AppEnv>()
  .get('/api/crm/connections', requireDevice, requireRole('head', 'admin'), async (c) => {
    const { store, clock } = c.var.deps;
    return c.json({ connections: await allConnectionStatuses(store.db, clock.now()) } satisfies ConnectionsResponse, 200);
  })
  .post('/api/crm/hook/:id', paramsOf(CrmHookParams), optionalJsonBody(CrmHookBody), async (c) => {
    const { store, clock } = c.var.deps;
    const secret = c.req.header('X-Headway-Hook-Secret') ?? '';
    const row = await store.db.selectFrom('crm_connections').select(['id', 'hook_secret_hash']).where('id', '=', c.req.valid('param').id).executeTakeFirst();
    // An unknown connection and a wrong secret answer alike, so ids cannot be probed.
    if (!row || secret === '' || !hookSecretMatches(secret, row.hook_secret_hash)) return apiError(c, 401, 'unauthorized', 'Unknown hook or wrong X-Headway-Hook-Secret.');
    const body = c.req.valid('json');
    const now = clock.now().toISOString();
    await writeTransaction(store, async (tx) => {
      if (body.id && (body.module === undefined || body.module === 'Opportunities')) await requestRefresh(tx, row.id, body.id, now);
      await markDue(tx, row.id, now);
    });
    return c.json({ queued: true }, 202);
  });
