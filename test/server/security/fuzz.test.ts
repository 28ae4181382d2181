import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../core/schema';
import { createApp, type HeadwayApp } from '../../../server/app';
import { accessPolicy } from '../../../server/http/access-policy';
import type { Store } from '../../../server/store/store';
import { describeEachStore } from '../stores';
import { TestClock, testApp } from '../helpers';
import { fingerprintDiff, fingerprinter, type Fingerprint } from './fingerprint';
import { brokenVariantOf, contentTypes, csvVariantOf, hostileText, hostileValue, notJson } from './hostile';
import { appRoutes, fillPath, paramNames, type AppRoute } from './routes';
import { samples, type RouteSample, type SampleRequest } from './samples';
import { isJson, sampleBody, send, type RawRequest } from './send';
import { seedWorld, type World } from './world';

// Rerun a failure with HEADWAY_FUZZ_SEED=<the seed fast-check printed>.
const seed = Number(process.env.HEADWAY_FUZZ_SEED ?? 20_261_127);
const bodyLimitBytes = 64 * 1024;
const routes = appRoutes(createApp({ store: {} as Store, clock: new TestClock() }));
const hasBody = (route: AppRoute) => route.method !== 'GET' && route.method !== 'HEAD';

const unhandled: unknown[] = [];
const recordUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', recordUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', recordUnhandled);
});

interface FuzzCase {
  caller: 'head' | 'anonymous';
  params: Record<string, string>;
  encodeParams: boolean;
  query: [string, string][];
  body: RawRequest['body'];
  contentType: string | null;
}

function caseArbitrary(route: AppRoute, template: SampleRequest): fc.Arbitrary<FuzzCase> {
  const params = fc.record(
    Object.fromEntries(
      paramNames(route.path).map((name) => [name, fc.oneof({ weight: 1, arbitrary: fc.constant(template.params?.[name] ?? 'x') }, { weight: 2, arbitrary: hostileText })]),
    ),
  ) as fc.Arbitrary<Record<string, string>>;
  const validQuery = Object.entries(template.query ?? {});
  const queryKeys = [...validQuery.map(([key]) => key), 'cursor', 'limit', 'days', 'id', 'module', 'action', 'record', '__proto__', 'constructor'];
  const query = fc
    .tuple(
      fc.oneof(fc.constant(validQuery), fc.constant([] as [string, string][]), fc.tuple(...(validQuery.length ? validQuery : [['x', 'y']]).map(([key]) => fc.tuple(fc.constant(key), hostileText)))),
      fc.array(fc.tuple(fc.oneof(fc.constantFrom(...queryKeys), hostileText), hostileText), { maxLength: 3 }),
    )
    .map(([base, extra]) => [...base, ...extra] as [string, string][]);
  // A form is a document like a CSV: varied as text, under its own Content-Type or another.
  const csv = template.csv ?? template.form;
  const body: fc.Arbitrary<RawRequest['body']> = !hasBody(route)
    ? fc.constant(undefined)
    : csv !== undefined
      ? fc.oneof(
          { weight: 6, arbitrary: csvVariantOf(csv).map((raw) => ({ raw })) },
          { weight: 1, arbitrary: fc.constant({ raw: csv }) },
          { weight: 1, arbitrary: notJson.map((raw) => ({ raw })) },
          { weight: 1, arbitrary: hostileValue.map((json) => ({ json })) },
        )
      : fc.oneof(
          { weight: 5, arbitrary: brokenVariantOf(template.body ?? {}).map((json) => ({ json })) },
          { weight: 2, arbitrary: fc.jsonValue().map((json) => ({ json })) },
          { weight: 2, arbitrary: hostileValue.map((json) => ({ json })) },
          { weight: 1, arbitrary: notJson.map((raw) => ({ raw })) },
          { weight: 1, arbitrary: fc.constant(template.body === undefined ? undefined : { json: template.body }) },
        );
  const contentType = template.form !== undefined
    ? fc.oneof({ weight: 6, arbitrary: fc.constant('application/x-www-form-urlencoded') }, { weight: 1, arbitrary: contentTypes })
    : csv !== undefined
    ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom('text/csv', 'text/plain', 'application/csv', 'text/csv; charset=utf-8') }, { weight: 1, arbitrary: contentTypes })
    : contentTypes;
  return fc.record({
    caller: fc.constantFrom('head', 'head', 'head', 'anonymous'),
    params,
    encodeParams: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    query,
    body,
    contentType,
  });
}

/** Describes a case in a failure message without megabytes of nesting. */
function brief(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text.length > 600 ? `${text.slice(0, 600)}… (${text.length} chars)` : text;
  } catch (error) {
    return `(unprintable: ${String(error)})`;
  }
}

describeEachStore('fuzz', ({ kind, store }) => {
  const runs = Number(process.env.HEADWAY_FUZZ_RUNS ?? (kind === 'sqlite' ? 1000 : 100));
  const clock = new TestClock();
  let app: HeadwayApp;
  let world: World;
  let fingerprint: () => Promise<Fingerprint>;
  let headToken: string;
  beforeAll(async () => {
    app = testApp(store(), clock, { bodyLimitBytes });
    world = await seedWorld(store(), app, clock);
    fingerprint = await fingerprinter(store());
    headToken = await world.tokenFor('head');
  });

  async function templateOf(route: AppRoute, sample: RouteSample | undefined): Promise<SampleRequest> {
    if (!sample) return { params: Object.fromEntries(paramNames(route.path).map((name) => [name, 'x'])) };
    return sample.request(world, 'head');
  }

  for (const route of routes) {
    const sample = samples[route.key];
    it(`${route.key}: ${runs} hostile requests get a 4xx or a schema-valid 2xx, and a 4xx changes nothing`, async () => {
      const template = await templateOf(route, sample);
      let baseline = await fingerprint();
      const statuses = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(caseArbitrary(route, template), async (fuzz) => {
          clock.advance(1000);
          let path: string;
          try {
            path = fillPath(route.path, fuzz.params, fuzz.encodeParams);
            new URL(`http://headway.test${path}`);
          } catch {
            return; // not a URL any client could send
          }
          const response = await send(app, route.method, {
            path,
            query: fuzz.query,
            token: fuzz.caller === 'head' ? headToken : null,
            body: fuzz.body,
            contentType: fuzz.contentType,
          });
          const text = await response.text();
          const status = response.status;
          const tally = `${fuzz.caller} ${status}`;
          statuses.set(tally, (statuses.get(tally) ?? 0) + 1);
          const said = `${route.method} ${path} as ${fuzz.caller} -> ${status} ${text.slice(0, 300)}`;
          expect(status >= 500, `5xx: ${said}`).toBe(false);
          expect(status >= 200 && (status < 300 || status >= 400 || sample?.html === true), `not a 2xx or 4xx: ${said}`).toBe(true);
          if (!sample?.html && !(sample?.documentAnswer && status < 300) && text !== '') expect(isJson(response), `not JSON (${response.headers.get('Content-Type')}): ${said}`).toBe(true);
          expect(({} as Record<string, unknown>).polluted, 'Object.prototype was polluted').toBeUndefined();
          const after = await fingerprint();
          if (status >= 400) {
            if (!sample?.html && !sample?.deviations?.errorBody) expect(ApiError.safeParse(JSON.parse(text)).success, `not an ApiError: ${said}`).toBe(true);
            expect(fingerprintDiff(baseline, after), `refused, but the database changed: ${said}`).toEqual({});
            return;
          }
          if (status < 300 && sample?.response && text !== '' && isJson(response)) {
            const parsed = sample.response.safeParse(JSON.parse(text));
            expect(parsed.success, `2xx outside the route's schema: ${said} ${parsed.error?.message.slice(0, 300) ?? ''}`).toBe(true);
          }
          // An accepted write may have changed anything, the caller's own token included (DELETE /api/session).
          if (hasBody(route)) headToken = await world.tokenFor('head');
          baseline = await fingerprint();
        }),
        {
          numRuns: runs,
          seed,
          verbose: 1,
          reporter: (details) => {
            if (details.failed) {
              const counterexample = details.counterexample ? brief(details.counterexample[0]) : '(none)';
              throw new Error(
                `${route.key} failed with seed ${details.seed} (rerun: HEADWAY_FUZZ_SEED=${details.seed}), path ${details.counterexamplePath}\n` +
                  `case: ${counterexample}\n${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
              );
            }
          },
        },
      );
      // The head's token must have held through the run, or the cases only ever met the 401 door.
      const headPastTheDoor = [...statuses].filter(([tally]) => tally.startsWith('head ') && tally !== 'head 401').reduce((sum, [, n]) => sum + n, 0);
      expect(headPastTheDoor, JSON.stringify(Object.fromEntries(statuses))).toBeGreaterThan(0);
    }, 300_000);
  }

  describe('bodies that cannot be read', () => {
    for (const route of routes.filter(hasBody)) {
      const sample = samples[route.key];
      const token = () => (sample && route.key !== 'POST /api/pair' ? headToken : null);

      it(`${route.key}: a body over the limit is 413 and changes nothing`, async () => {
        const template = await templateOf(route, sample);
        const path = fillPath(route.path, template.params);
        const before = await fingerprint();
        const big = { raw: JSON.stringify({ padding: 'x'.repeat(bodyLimitBytes) }) };
        const declared = await send(app, route.method, { path, token: token(), body: big, headers: { 'Content-Length': String(big.raw.length) } });
        const streamed = await send(app, route.method, { path, token: token(), body: big });
        for (const response of [declared, streamed]) {
          expect(response.status).toBe(413);
          expect(ApiError.parse(await response.json()).error).toBe('payload_too_large');
        }
        expect(fingerprintDiff(before, await fingerprint())).toEqual({});
      });

      if (sample) {
        it(`${route.key}: malformed JSON is 400, a body under the wrong Content-Type a 4xx; a route that reads no body ignores it`, async () => {
          const request = await templateOf(route, sample);
          const path = fillPath(route.path, request.params);
          const reads = request.csv !== undefined ? 'csv' : request.form !== undefined ? 'form' : request.body !== undefined ? 'json' : 'nothing';
          // A caller the route lets in, so the body is what is judged: the head, or the admin where only the admin may.
          const door = (accessPolicy as Record<string, { roles: readonly string[] }>)[route.key]?.roles ?? [];
          const caller = door.length > 0 && !door.includes('head') && token() !== null ? await world.tokenFor('admin') : null;
          const before = await fingerprint();
          const answers: { what: string; expected: 400 | '4xx' | 'not 5xx'; response: Response }[] = [];
          const ask = async (what: string, expected: 400 | '4xx' | 'not 5xx', body: RawRequest['body'], contentType?: string | null) => {
            answers.push({ what, expected, response: await send(app, route.method, { path, query: request.query, token: caller ?? token(), body, contentType }) });
            if (reads === 'nothing') headToken = await world.tokenFor('head');
          };
          if (reads === 'json') {
            for (const raw of ['{', '{"a":', "{'a':1}", '[1,2', '{"a":1,}']) await ask(`malformed ${raw}`, 400, { raw });
            if (!sample.deviations?.contentType) {
              for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', null]) {
                await ask(`JSON sent as ${contentType}`, '4xx', { json: request.body }, contentType);
              }
            }
          } else if (reads === 'csv') {
            for (const contentType of ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', null]) {
              await ask(`CSV sent as ${contentType}`, '4xx', { raw: request.csv ?? '' }, contentType);
            }
          } else if (reads === 'form') {
            for (const contentType of ['application/json', 'text/plain', 'multipart/form-data; boundary=x', null]) {
              await ask(`form sent as ${contentType}`, '4xx', { raw: request.form ?? '' }, contentType);
            }
          } else {
            for (const raw of ['{', '[1,2', 'x'.repeat(1000)]) await ask(`malformed ${raw}`, 'not 5xx', { raw });
          }
          for (const { what, expected, response } of answers) {
            const text = await response.text();
            const said = `${what}: ${response.status} ${text.slice(0, 300)}`;
            if (expected === 'not 5xx') {
              expect(response.status < 500, said).toBe(true);
              if (text !== '') expect(isJson(response), said).toBe(true);
              continue;
            }
            if (expected === 400) expect(response.status, said).toBe(400);
            expect(response.status >= 400 && response.status < 500, said).toBe(true);
            expect(ApiError.safeParse(JSON.parse(text)).success, said).toBe(true);
          }
          if (reads !== 'nothing') expect(fingerprintDiff(before, await fingerprint())).toEqual({});
        });
      }
    }
  });

  describe('NUL characters (PostgreSQL text cannot hold them)', () => {
    for (const route of routes) {
      const sample = samples[route.key];
      if (kind === 'postgres' && sample?.deviations?.nulOnPostgres) continue; // a known bug, listed in samples.ts
      it(`${route.key}: a NUL in any path parameter, query value or CSV cell is never a 5xx, and a refusal changes nothing`, async () => {
        const template = await templateOf(route, sample);
        const variants: RawRequest[] = [];
        const base = { params: template.params ?? {}, query: template.query ?? {} };
        const { body, contentType } = sampleBody(template);
        for (const name of paramNames(route.path)) {
          variants.push({ path: fillPath(route.path, { ...base.params, [name]: `a\u0000b` }), query: base.query, body, contentType });
        }
        for (const name of Object.keys(base.query)) {
          variants.push({ path: fillPath(route.path, base.params), query: { ...base.query, [name]: `${base.query[name]}\u0000` }, body, contentType });
        }
        if (template.csv !== undefined) variants.push({ path: fillPath(route.path, base.params), query: base.query, body: { raw: template.csv.replace(/\n(?=.)/, '\n\u0000') }, contentType });
        if (variants.length === 0) variants.push({ path: fillPath(route.path, base.params), query: { q: '\u0000' }, body, contentType });
        for (const variant of variants) {
          clock.advance(1000);
          const before = await fingerprint();
          const response = await send(app, route.method, { ...variant, token: route.key === 'POST /api/pair' ? null : headToken });
          const said = `${route.method} ${variant.path}?${new URLSearchParams(variant.query as Record<string, string>)} -> ${response.status} ${(await response.text()).slice(0, 200)}`;
          expect(response.status < 500, said).toBe(true);
          if (response.status >= 400) expect(fingerprintDiff(before, await fingerprint()), said).toEqual({});
          else if (hasBody(route)) headToken = await world.tokenFor('head');
        }
      });
    }
  });

  it('left no unhandled rejection behind', () => {
    expect(unhandled).toEqual([]);
  });
});

