import { describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { accessPolicy, type AccessRule } from '../../../server/http/access-policy';
import type { Store } from '../../../server/store/store';
import { TestClock } from '../helpers';
import { appRoutes } from './routes';

// Neither /api/openapi.json nor route listing touches the store.
const app = createApp({ store: {} as Store, clock: new TestClock() });
const routes = appRoutes(app);
const policy = accessPolicy as Record<string, AccessRule>;

/** Pages for the browser, not API: the demo CRM. */
const notApi = new Set(['GET /demo', 'GET /demo/', 'GET /demo/index.php']);

/**
 * Routes server/openapi/document.ts does not describe yet. The test fails when a route is missing that is not listed
 * here, and when a listed route has been documented meanwhile (then delete its line): the list can only shrink.
 */
const notYetDocumented = new Set([
  'DELETE /api/plans/:id', 'GET /api/adapter-health', 'GET /api/escalation-settings', 'GET /api/escalations', 'GET /api/escalations/:id',
  'GET /api/escalations/audit.csv', 'GET /api/escalations/preset', 'GET /api/load', 'GET /api/load/deal/:crm/:recordType/:crmId',
  'GET /api/load/settings', 'GET /api/moves', 'GET /api/plans', 'GET /api/progress', 'GET /api/progress/deals', 'GET /api/settings',
  'POST /api/adapter-health/misses', 'POST /api/deals/import', 'POST /api/escalations', 'POST /api/escalations/:id/actions', 'POST /api/moves',
  'POST /api/moves/:id/approve', 'POST /api/moves/:id/dismiss', 'POST /api/plans', 'POST /api/plans/import', 'PUT /api/deals/:crm/:crmId',
  'PUT /api/escalation-settings', 'PUT /api/load/settings', 'PUT /api/plans/:id', 'PUT /api/settings', 'PUT /api/users/:id',
  'GET /api/openapi.json', 'GET /api/reports', 'GET /api/reports/:id', 'GET /api/reports/weekly', 'POST /api/reports/weekly',
]);

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[] }>>;
}

async function documentedOperations(): Promise<Map<string, { security?: unknown[] }>> {
  const response = await app.request('/api/openapi.json');
  expect(response.status).toBe(200);
  const document = (await response.json()) as OpenApiDocument;
  expect(document.openapi).toMatch(/^3\.1\./);
  const operations = new Map<string, { security?: unknown[] }>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      operations.set(`${method.toUpperCase()} ${path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1')}`, operation);
    }
  }
  return operations;
}

describe('OpenAPI description', () => {
  it('describes every API route of the app, and only those', async () => {
    const documented = await documentedOperations();
    const keys = new Set(routes.map((route) => route.key));
    const undocumented = routes.filter((route) => !documented.has(route.key) && !notApi.has(route.key) && !notYetDocumented.has(route.key));
    expect(undocumented.map((route) => `describe ${route.key} in server/openapi/document.ts`)).toEqual([]);
    expect([...notYetDocumented].filter((key) => documented.has(key)).map((key) => `${key} is documented now: delete it from notYetDocumented`)).toEqual([]);
    expect([...notYetDocumented].filter((key) => !keys.has(key)).map((key) => `${key} is no route any more: delete it from notYetDocumented`)).toEqual([]);
    expect([...documented.keys()].filter((key) => !keys.has(key)).map((key) => `the description has ${key}, which no route answers`)).toEqual([]);
  });

  it('asks for a token exactly where the access policy does', async () => {
    const documented = await documentedOperations();
    const wrong = [...documented].flatMap(([key, operation]) => {
      const rule = policy[key];
      if (!rule) return [];
      const asksForToken = (operation.security?.length ?? 0) > 0;
      return asksForToken === !rule.anonymous ? [] : [`${key}: the policy says ${rule.anonymous ? 'anonymous' : 'a token'}, the description ${asksForToken ? 'a token' : 'none'}`];
    });
    expect(wrong).toEqual([]);
  });
});
