import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AdapterHealthResponse, ConfigResponse, PairResponse, PullResponse, PushResponse, User } from '../../../core/schema';
import type { Caller, World } from './world';

/** One plausible, schema-valid request; params fill the route's `:names`. */
export interface SampleRequest {
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** Sent as JSON; present exactly when the route reads a JSON body. */
  body?: unknown;
}

export interface RouteSample {
  /** Built per call, so that ids can be fresh (a second create must not collide with the first). */
  request(world: World, caller: Caller): SampleRequest | Promise<SampleRequest>;
  /** What a 2xx answer must look like (JSON routes). Omit for answers without a body (204). */
  response?: z.ZodType;
  /** The route answers HTML pages and redirects, not JSON (the demo CRM). */
  html?: true;
}

const pushOneNote = (caller: Caller) => ({
  body: {
    clientId: `matrix-${caller}-${randomUUID().slice(0, 8)}`,
    mutations: [
      {
        mutationId: 1,
        name: 'note.create',
        args: { id: randomUUID(), side: 'seller', text: 'Matrix note', record: null, recordTitle: null, createdAt: '2026-03-16T09:00:00.000Z' },
      },
    ],
  },
});

/**
 * A sample request per route of server/http/access-policy.ts: adding a route means adding its policy line and
 * one entry here. Keys are `METHOD /path/:param` as Hono registers the route.
 */
export const samples: Record<string, RouteSample> = {
  'GET /healthz': { request: () => ({}), response: z.object({ ok: z.literal(true) }) },
  'POST /api/pair': {
    // An anonymous device is the normal caller; a device that already has a token may pair another one too.
    request: async (world, caller) => ({ body: { code: await world.pairingCodeFor(caller === 'anonymous' ? 'manager' : caller), deviceName: 'Matrix laptop' } }),
    response: PairResponse,
  },
  'GET /api/me': { request: () => ({}), response: User },
  'DELETE /api/session': { request: () => ({}) },
  'GET /api/config': { request: () => ({}), response: ConfigResponse },
  'GET /api/users': { request: () => ({}), response: z.object({ users: z.array(User) }) },
  'POST /api/sync/push': { request: (_world, caller) => pushOneNote(caller), response: PushResponse },
  'GET /api/sync/pull': { request: () => ({ query: { cursor: '0', limit: '100' } }), response: PullResponse },
  'POST /api/adapter-health/misses': { request: () => ({ body: { crm: 'suitecrm', origin: 'https://crm.example.test', recordType: 'deal' } }) },
  'GET /api/adapter-health': { request: () => ({ query: { days: '7' } }), response: AdapterHealthResponse },
  'GET /demo': { request: () => ({}), html: true },
  'GET /demo/': { request: () => ({}), html: true },
  'GET /demo/index.php': {
    request: (world) => ({ query: { module: 'Opportunities', action: 'DetailView', record: world.deals.ofManager.crm_id } }),
    html: true,
  },
};
