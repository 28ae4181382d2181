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

interface DocumentedOperation {
  summary?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required: boolean; schema: unknown }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, DocumentedOperation>>;
}

async function documentedOperations(): Promise<Map<string, DocumentedOperation>> {
  const response = await app.request('/api/openapi.json');
  expect(response.status).toBe(200);
  const document = (await response.json()) as OpenApiDocument;
  expect(document.openapi).toMatch(/^3\.1\./);
  const operations = new Map<string, DocumentedOperation>();
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
    const undocumented = routes.filter((route) => !documented.has(route.key) && !notApi.has(route.key));
    expect(undocumented.map((route) => `describe ${route.key} in core/api/routes.ts`)).toEqual([]);
    expect([...documented.keys()].filter((key) => !keys.has(key)).map((key) => `the description has ${key}, which no route answers`)).toEqual([]);
  });

  it('gives every operation a summary, its path parameters, a success answer and its bodies’ schemas', async () => {
    const documented = await documentedOperations();
    const problems = [...documented].flatMap(([key, operation]) => {
      const found: string[] = [];
      if (!operation.summary) found.push('no summary');
      const pathParams = [...key.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      if ([...pathParams].sort().join() !== [...declared].sort().join()) found.push(`path parameters ${declared.join() || 'none'}, the path has ${pathParams.join()}`);
      const successes = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
      if (successes.length === 0) found.push('no 2xx answer');
      for (const [status, answer] of Object.entries(operation.responses)) {
        for (const [media, content] of Object.entries(answer.content ?? {})) if (!content.schema) found.push(`${status} ${media} has no schema`);
        if (!status.startsWith('2') && !answer.content?.['application/json']) found.push(`${status} is not described as an ApiError`);
      }
      if (/^(POST|PUT) /.test(key) && !operation.requestBody) found.push('no request body');
      return found.map((problem) => `${key}: ${problem}`);
    });
    expect(problems).toEqual([]);
  });

  it('describes the plans import with its query flags, its CSV body and the refused-import ApiError', async () => {
    const operation = (await documentedOperations()).get('POST /api/plans/import')!;
    expect(operation.parameters?.map((p) => [p.name, p.required])).toEqual([['dryRun', false], ['replace', false]]);
    expect(Object.keys(operation.requestBody?.content ?? {})).toEqual(['text/csv']);
    expect(JSON.stringify(operation.responses['400']?.content?.['application/json']?.schema)).toContain('import_rejected');
    expect(JSON.stringify(operation.responses['200']?.content?.['application/json']?.schema)).toContain('replaced');
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
