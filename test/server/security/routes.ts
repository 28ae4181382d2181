import type { HeadwayApp } from '../../../server/app';

export interface AppRoute {
  method: string;
  path: string;
  /** `METHOD /path/:param`, the key of server/http/access-policy.ts and of ./samples.ts. */
  key: string;
}

/** Every route the app answers, read from Hono itself (middleware registered with `use` shows up as ALL). */
export function appRoutes(app: HeadwayApp): AppRoute[] {
  const seen = new Map<string, AppRoute>();
  for (const { method, path } of app.routes) {
    if (method === 'ALL') continue;
    const key = `${method} ${path}`;
    if (!seen.has(key)) seen.set(key, { method, path, key });
  }
  return [...seen.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** `/api/things/:id` with `{ id: 'x y' }` -> `/api/things/x%20y`. */
export function fillPath(path: string, params: Record<string, string> = {}, encode = true): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, (_all, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${path}`);
    return encode ? encodeURIComponent(value) : value;
  });
}

export function paramNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1] as string);
}
