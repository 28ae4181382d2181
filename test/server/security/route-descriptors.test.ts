import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routeKey } from '../../../core/api/route';
import { routeList, routes } from '../../../core/api/routes';
import { createApp } from '../../../server/app';
import { accessPolicy } from '../../../server/http/access-policy';
import { openApiDocument, openApiPath } from '../../../server/openapi/document';
import type { Store } from '../../../server/store/store';
import { TestClock } from '../helpers';
import { appRoutes } from './routes';

// Each route is declared once, in core/api/routes.ts; the server's guards, its access policy, the OpenAPI
// description and the clients' paths are read from there. These tests fail when that stops being true.

const registered = appRoutes(createApp({ store: {} as Store, clock: new TestClock() }));
const root = join(import.meta.dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('route descriptors', () => {
  it('describe every route the server registers', () => {
    const described = new Set(routeList.map(routeKey));
    expect(registered.filter((route) => !described.has(route.key)).map((route) => `describe ${route.key} in core/api/routes.ts`)).toEqual([]);
  });

  it('have a registered route each', () => {
    const keys = new Set(registered.map((route) => route.key));
    expect(routeList.filter((route) => !keys.has(routeKey(route))).map((route) => `core/api/routes.ts has ${routeKey(route)}, which no route answers`)).toEqual([]);
  });

  it('name each route once', () => {
    const keys = routeList.map(routeKey);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
  });

  it('are where the access policy comes from: the same rule objects, one per descriptor, nothing else', () => {
    expect(Object.keys(accessPolicy).sort()).toEqual(routeList.map(routeKey).sort());
    for (const route of routeList) expect(accessPolicy[routeKey(route)], routeKey(route)).toBe(route.access);
  });

  it('are where the OpenAPI document comes from: every API descriptor’s summary and rule, nothing else', () => {
    const document = openApiDocument();
    const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    const api = routeList.filter((route) => !route.page);
    expect(documented.sort()).toEqual(api.map((route) => `${route.method} ${openApiPath(route.path)}`).sort());
    for (const route of api) {
      const operation = document.paths[openApiPath(route.path)]?.[route.method.toLowerCase()] as { summary: string; description: string };
      expect([operation.summary, operation.description], routeKey(route)).toEqual([route.summary, route.access.note]);
    }
  });

  it('follow a change to a descriptor into the document and the policy (neither is a list of its own)', () => {
    const route = routes.plans as { summary: string; access: { note: string } };
    const [summary, note] = [route.summary, route.access.note];
    try {
      route.summary = 'Changed summary';
      route.access.note = 'Changed note';
      const operation = openApiDocument().paths['/api/plans']?.get as { summary: string; description: string };
      expect([operation.summary, operation.description]).toEqual(['Changed summary', 'Changed note']);
      expect(accessPolicy['GET /api/plans']?.note).toBe('Changed note');
    } finally {
      route.summary = summary;
      route.access.note = note;
    }
  });

  it('hold the only paths of the API: no route path is written as a string anywhere else', () => {
    // The demo CRM's pages link to each other in their HTML; those are pages, not API calls.
    const paths = routeList.filter((route) => !route.page).map((route) => route.path.replace(/\/:.*$/, ''));
    const literal = new RegExp(`['"\`}](${paths.map((path) => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(['"\`/?$]|$)`);
    const offenders = ['core', 'server', 'extension', 'components', 'entrypoints']
      .flatMap(sourceFiles)
      .filter((file) => !file.startsWith(join('core', 'api')))
      .flatMap((file) =>
        readFileSync(join(root, file), 'utf8')
          .split('\n')
          .flatMap((line, index) => (literal.test(line) && !/^\s*(\/\/|\*|\/\*)/.test(line) ? [`${relative('.', file)}:${index + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });
});
