import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import { Bitrix24EventForm, HubSpotEvents, PipedriveEvent, type ConnectionsResponse } from '../../../core/schema';
import { hookSecretMatches } from '../../connectors/connect';
import { markDue } from '../../connectors/connections';
import { candidateUris, verifyHubSpotDelivery } from '../../connectors/hubspot/webhook';
import { basicCredentials } from '../../connectors/pipedrive/webhook';
import { allConnectionStatuses } from '../../connectors/status';
import { requestRefresh } from '../../connectors/sync/refresh';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { apiError } from '../../http/errors';
import { optionalJsonBody, paramsOf } from '../../http/validate';
import { writeTransaction } from '../../store/transaction';

/**
 * The CRM connectors seen from HTTP: their status for the dashboard (head and admin, the same as `crm status`), and
 * the hook a CRM calls to be synced sooner (a SuiteCRM after_save logic hook, a workflow), verified by the secret
 * `crm connect` printed, and the CRMs' own event deliveries: Bitrix24's outbound event handlers (the application
 * token Bitrix24 chose), HubSpot's webhooks (signed with the private app's client secret) and Pipedrive's (the Basic
 * credentials the admin set on the webhook). The hook only asks for a sync; what is read comes from the CRM's API,
 * never from the call.
 */

/**
 * A CRM's JSON event body, or the 400 for one that cannot be an event at all (checked before the caller is: whether
 * it is the CRM's is the credential's to say, and a malformed body is refused alike from anyone).
 */
function eventJson(contentType: string | undefined, text: string, crm: string): { json: unknown } | { problem: string; error: 'invalid_body' | 'malformed_json' } {
  if (!/^application\/json\b/i.test(contentType ?? '')) return { error: 'invalid_body', problem: `${crm} posts its events as application/json.` };
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    return { error: 'malformed_json', problem: `${crm} posts its events as JSON.` };
  }
}

/** Queues a re-read of each named deal and a sync, in one transaction. */
async function queueDeals(store: AppEnv['Variables']['deps']['store'], connectionId: string, dealIds: readonly string[], now: string): Promise<void> {
  await writeTransaction(store, async (tx) => {
    for (const dealId of new Set(dealIds)) await requestRefresh(tx, connectionId, dealId, now);
    await markDue(tx, connectionId, now);
  });
}
export const crmRoutes = new Hono<AppEnv>()
  .get(routes.crmConnections.path, guard(routes.crmConnections), async (c) => {
    const { store, clock } = c.var.deps;
    return c.json({ connections: await allConnectionStatuses(store.db, clock.now()) } satisfies ConnectionsResponse, 200);
  })
  .post(routes.crmHook.path, guard(routes.crmHook), paramsOf(routes.crmHook.params), optionalJsonBody(routes.crmHook.body), async (c) => {
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
  .post(routes.bitrix24Hook.path, guard(routes.bitrix24Hook), paramsOf(routes.bitrix24Hook.params), async (c) => {
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
    await queueDeals(store, row.id, [event.data.dealId], clock.now().toISOString());
    return c.json({ queued: true }, 202);
  })
  .post(routes.hubSpotHook.path, guard(routes.hubSpotHook), paramsOf(routes.hubSpotHook.params), async (c) => {
    // A HubSpot webhook delivery (the private app's deal subscriptions), signed with its client secret, which the
    // admin gave `crm settings --event-token set`; it is kept sealed, so verifying needs this server's key.
    const { store, clock, box } = c.var.deps;
    const body = await c.req.text();
    const read = eventJson(c.req.header('Content-Type'), body, 'HubSpot');
    if ('problem' in read) return apiError(c, 400, read.error, read.problem);
    const row = await store.db.selectFrom('crm_connections').select(['id', 'crm', 'event_secret_sealed']).where('id', '=', c.req.valid('param').id).executeTakeFirst();
    const refused = () => apiError(c, 401, 'unauthorized', 'Unknown hook or a wrong X-HubSpot-Signature-v3; give Headway the private app\'s client secret with crm settings --event-token set.');
    // An unknown connection, one with no secret set and a wrong signature answer alike, so ids cannot be probed.
    if (!row || row.crm !== 'hubspot' || row.event_secret_sealed === null || !box) return refused();
    const delivery = {
      method: c.req.method,
      uris: candidateUris(c.req.url, c.req.header('X-Forwarded-Proto'), c.req.header('X-Forwarded-Host')),
      body,
      timestamp: c.req.header('X-HubSpot-Request-Timestamp') ?? '',
      signature: c.req.header('X-HubSpot-Signature-v3') ?? '',
    };
    const verdict = verifyHubSpotDelivery(delivery, box.open(row.event_secret_sealed), clock.now().getTime());
    if (verdict === 'stale') return apiError(c, 401, 'unauthorized', 'X-HubSpot-Request-Timestamp is missing or more than 5 minutes from now; HubSpot deliveries are taken only fresh.');
    if (verdict === 'bad') return refused();
    const events = HubSpotEvents.safeParse(read.json);
    if (!events.success) return apiError(c, 400, 'invalid_body', 'HubSpot posts a JSON array of events, each with subscriptionType and objectId.', { issues: events.error.issues });
    const deals = events.data.filter((event) => event.subscriptionType.startsWith('deal.')).map((event) => event.objectId);
    if (deals.length === 0) return apiError(c, 400, 'invalid_body', 'Headway takes deal events (deal.creation, deal.propertyChange, deal.deletion…); subscribe the private app to deals only.');
    await queueDeals(store, row.id, deals, clock.now().toISOString());
    return c.json({ queued: true }, 202);
  })
  .post(routes.pipedriveHook.path, guard(routes.pipedriveHook), paramsOf(routes.pipedriveHook.params), async (c) => {
    // A Pipedrive webhook (event object "deal"), carrying the HTTP Basic credentials the admin set on it and gave
    // `crm settings --event-token set` as user:password; only their hash is kept.
    const { store, clock } = c.var.deps;
    const read = eventJson(c.req.header('Content-Type'), await c.req.text(), 'Pipedrive');
    if ('problem' in read) return apiError(c, 400, read.error, read.problem);
    const credentials = basicCredentials(c.req.header('Authorization'));
    const row = await store.db.selectFrom('crm_connections').select(['id', 'crm', 'event_token_hash']).where('id', '=', c.req.valid('param').id).executeTakeFirst();
    if (!row || row.crm !== 'pipedrive' || row.event_token_hash === null || credentials === null || !hookSecretMatches(credentials, row.event_token_hash)) {
      return apiError(c, 401, 'unauthorized', 'Unknown hook or wrong HTTP Basic credentials; give Headway the webhook\'s user:password with crm settings --event-token set.');
    }
    const event = PipedriveEvent.safeParse(read.json);
    if (!event.success) return apiError(c, 400, 'invalid_body', 'Headway takes Pipedrive deal events: {meta: {entity: "deal", entity_id}} (webhooks v2) or {meta: {object: "deal", id}} (v1).', { issues: event.error.issues });
    await queueDeals(store, row.id, [event.data.dealId], clock.now().toISOString());
    return c.json({ queued: true }, 202);
  });
