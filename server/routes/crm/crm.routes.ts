import { Hono } from 'hono';
import { Bitrix24EventForm, CrmHookBody, CrmHookParams, type ConnectionsResponse } from '../../../core/schema';
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
 * `crm connect` printed, and Bitrix24's outbound event handlers, verified by the application token Bitrix24 chose.
 * The hook only asks for a sync; what is read comes from the CRM's API, never from the call.
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
  })
  .post('/api/crm/hook/:id/bitrix24', paramsOf(CrmHookParams), async (c) => {
    // A Bitrix24 outbound webhook (ONCRMDEALADD/UPDATE/DELETE) posts a form whose auth[application_token] is the token
    // Bitrix24 showed the admin, who gave it to `crm settings --event-token set`. The event names a deal; what is
    // read comes from the CRM's API (a deleted deal reads as gone and is removed), never from the call.
    const { store, clock } = c.var.deps;
    if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header('Content-Type') ?? '')) {
      return apiError(c, 400, 'invalid_body', 'Bitrix24 posts its events as application/x-www-form-urlencoded.');
    }
    const form = new URLSearchParams(await c.req.text());
    const token = form.get('auth[application_token]') ?? '';
    const row = await store.db.selectFrom('crm_connections').select(['id', 'crm', 'event_token_hash']).where('id', '=', c.req.valid('param').id).executeTakeFirst();
    // An unknown connection, one with no token set and a wrong token answer alike, so ids cannot be probed.
    if (!row || row.crm !== 'bitrix24' || row.event_token_hash === null || token === '' || !hookSecretMatches(token, row.event_token_hash)) {
      return apiError(c, 401, 'unauthorized', 'Unknown hook or wrong auth[application_token]; give Headway the outbound webhook\'s application token with crm settings --event-token set.');
    }
    const event = Bitrix24EventForm.safeParse({ event: form.get('event') ?? '', dealId: form.get('data[FIELDS][ID]') ?? '', token });
    if (!event.success) return apiError(c, 400, 'invalid_body', 'Headway takes the events ONCRMDEALADD, ONCRMDEALUPDATE and ONCRMDEALDELETE with data[FIELDS][ID].', { issues: event.error.issues });
    const now = clock.now().toISOString();
    await writeTransaction(store, async (tx) => {
      await requestRefresh(tx, row.id, event.data.dealId, now);
      await markDue(tx, row.id, now);
    });
    return c.json({ queued: true }, 202);
  });
