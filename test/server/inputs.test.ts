import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { ApiError, PushResponse, Settings } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { escalationBody } from './escalation-fixtures';
import { post, signedIn, TestClock, testApp } from './helpers';
import { fingerprinter, fingerprintDiff, type Fingerprint } from './security/fingerprint';
import { newClientId, noteCreate } from './sync-fixtures';
import { describeEachStore } from './stores';

type Auth = Record<string, string>;

const deep = (levels: number, inner = '0') => `${'{"a":'.repeat(levels)}${inner}${'}'.repeat(levels)}`;

/** Bytes that are not UTF-8 (0xFF never occurs in it) inside an otherwise fine JSON string. */
const notUtf8 = (before: string, after: string) => Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(after)]);

/** Issue 13 §5: bodies, dates and keys a client may send, refused with a 400 that changes nothing. */
describeEachStore('inputs', ({ store }) => {
  const clock = new TestClock();
  let app: HeadwayApp;
  let head: Auth;
  let manager: Auth;
  let fingerprint: () => Promise<Fingerprint>;
  beforeAll(async () => {
    app = testApp(store(), clock);
    head = (await signedIn(app, store(), clock, { role: 'head' })).auth;
    manager = (await signedIn(app, store(), clock, { role: 'manager' })).auth;
    fingerprint = await fingerprinter(store());
  });

  const raw = (method: string, path: string, auth: Auth, body: string | Buffer, type = 'application/json') =>
    app.request(path, { method, headers: { ...auth, 'Content-Type': type }, body: typeof body === 'string' ? body : new Uint8Array(body) });

  /** The answer is a 400 ApiError with this code, and no table changed. */
  async function refusedAlike(code: string, request: () => Response | Promise<Response>) {
    clock.advance(1000);
    const before = await fingerprint();
    const response = await request();
    const body = ApiError.parse(await response.json());
    expect(response.status, JSON.stringify(body)).toBe(400);
    expect(body.error, body.message).toBe(code);
    expect(fingerprintDiff(before, await fingerprint())).toEqual({});
    return body;
  }

  it('answers JSON nested 10,000 deep with a 400 on escalations, push and every other JSON body', async () => {
    const escalation = `{"id":"e1","category":"approval","severity":"normal","title":"t","record":null,"to":{"role":"head"},"context":${deep(10_000)}}`;
    await refusedAlike('too_deep', () => raw('POST', '/api/escalations', manager, escalation));
    const push = `{"clientId":"${newClientId()}","mutations":[{"mutationId":1,"name":"note.create","args":${deep(10_000)}}]}`;
    await refusedAlike('too_deep', () => raw('POST', '/api/sync/push', manager, push));
    await refusedAlike('too_deep', () => raw('PUT', '/api/settings', head, deep(10_000)));
    await refusedAlike('too_deep', () => raw('POST', '/api/moves/x/approve', head, `[${deep(40)}]`));
    // Brackets inside strings are text, not nesting.
    const text = await app.request('/api/escalations', post(escalationBody({ title: '{'.repeat(200), body: '['.repeat(5000) }), manager));
    expect(text.status).toBe(201);
  });

  it('refuses a body that is not UTF-8 instead of storing replacement characters', async () => {
    const before = Settings.parse(await (await app.request('/api/settings', { headers: head })).json());
    await refusedAlike('invalid_encoding', () => raw('PUT', '/api/settings', head, notUtf8('{"name":"Sales ', '"}')));
    await refusedAlike('invalid_encoding', () => raw('POST', '/api/escalations', manager, notUtf8(JSON.stringify(escalationBody()).slice(0, -1) + ',"body":"', '"}')));
    await refusedAlike('invalid_encoding', () => raw('POST', '/api/deals/import?crm=suitecrm&map=%7B%22crmId%22%3A%22Id%22%2C%22title%22%3A%22Name%22%7D', head, notUtf8('Id,Name\nx1,Caf', '\n'), 'text/csv'));
    expect(Settings.parse(await (await app.request('/api/settings', { headers: head })).json())).toEqual(before);
    // A byte-order mark and real multi-byte text are UTF-8 and welcome.
    const fine = await raw('PUT', '/api/settings', head, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"name":"Отдел продаж 🦄"}')]));
    expect(fine.status).toBe(200);
    expect(Settings.parse(await fine.json()).name).toBe('Отдел продаж 🦄');
  });

  it('keeps its answers for well-formed bodies (nothing above refuses the ordinary)', async () => {
    const ok = await app.request('/api/sync/push', post({ clientId: newClientId(), mutations: [noteCreate(1, { id: randomUUID() })] }, manager));
    expect(PushResponse.parse(await ok.json()).results).toEqual([{ mutationId: 1, ok: true }]);
  });
});
