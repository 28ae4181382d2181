import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { createConnection } from '../../../extension/background/connection';
import type { ConnectionSnapshot } from '../../../extension/messages';
import { SESSION_KEY } from '../../../extension/session';

const user = {
  id: 'u1',
  name: 'Dana Whitfield',
  email: 'dana@example.com',
  role: 'head',
  team: 'Sales',
  capacity: 40,
  segments: { region: [], product: [], tier: [] },
  absences: [],
  crmIdentities: [],
  createdAt: '2026-11-27T09:00:00.000Z',
};
const config = {
  instances: [{ instance: 'http://127.0.0.1:8787', crm: 'suitecrm' }],
  disabledAdapters: [],
  settings: { name: 'Northwind Trading', reportingCurrency: 'EUR', fiscalYearStartMonth: 1 },
};
const SERVER = 'http://127.0.0.1:8787';
const TOKEN = 'hw_secret-token';

/** A scripted Headway server behind a fetch function; `down` makes every call fail like a refused connection. */
function fakeServer() {
  const state = { down: false, tokenValid: true, calls: [] as string[], answerMeWith: null as null | (() => Promise<Response>) };
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    state.calls.push(`${method} ${url.pathname}`);
    if (state.down) throw new TypeError('fetch failed');
    const authorized = new Headers(init?.headers).get('authorization') === `Bearer ${TOKEN}` && state.tokenValid;
    if (url.pathname === '/api/pair') {
      const body = JSON.parse(String(init?.body)) as { code: string };
      if (body.code !== 'ABCD-2345') {
        return json(401, { error: 'invalid_code', message: 'This pairing code is wrong or has expired. Ask your admin for a new one.' });
      }
      return json(200, { token: TOKEN, user });
    }
    if (!authorized) return json(401, { error: 'unauthorized', message: 'Sign in again.' });
    if (url.pathname === '/api/me') return state.answerMeWith ? state.answerMeWith() : json(200, user);
    if (url.pathname === '/api/config') return json(200, config);
    if (url.pathname === '/api/session' && method === 'DELETE') return new Response(null, { status: 204 });
    if (url.pathname === '/api/me/locale' && method === 'PUT') {
      const { locale } = JSON.parse(String(init?.body)) as { locale: unknown };
      if (locale !== null && locale !== 'en' && locale !== 'ru') return json(400, { error: 'invalid_body', message: 'The request body is not valid.' });
      return json(200, { ...user, locale });
    }
    return json(404, { error: 'not_found', message: 'No such route.' });
  };
  return { state, fetch };
}

const stored = async () => (await fakeBrowser.storage.local.get(SESSION_KEY))[SESSION_KEY];

describe('connection', () => {
  let server: ReturnType<typeof fakeServer>;
  let published: ConnectionSnapshot[];
  let connection: ReturnType<typeof createConnection>;

  beforeEach(() => {
    fakeBrowser.reset();
    server = fakeServer();
    published = [];
    connection = createConnection({
      storage: fakeBrowser.storage.local,
      fetch: server.fetch,
      deviceName: 'Headway on Chrome',
      now: () => new Date('2026-11-27T10:00:00.000Z'),
      onChange: (snapshot) => published.push(snapshot),
    });
  });

  it('stores the language the user picks on the server and publishes the user with it; a refusal changes nothing', async () => {
    await connection.connect(SERVER, 'ABCD-2345');
    const chosen = await connection.setLocale('ru');
    expect(chosen).toMatchObject({ ok: true, snapshot: { user: { locale: 'ru' } } });
    expect(server.state.calls).toContain('PUT /api/me/locale');
    expect(published.at(-1)?.user?.locale).toBe('ru');
    expect((await connection.snapshot()).user?.locale).toBe('ru');
    const refused = await connection.setLocale('de' as 'ru');
    expect(refused).toMatchObject({ ok: false, message: 'The request body is not valid.', snapshot: { user: { locale: 'ru' } } });
    expect((await connection.setLocale(null)).snapshot.user?.locale).toBeNull();
  });

  it('starts unpaired', async () => {
    expect((await connection.snapshot()).state).toBe('unpaired');
  });

  it('shows the server’s message for a wrong code and stores nothing', async () => {
    const result = await connection.connect(SERVER, 'ZZZZ-9999');
    expect(result).toMatchObject({ ok: false, message: 'This pairing code is wrong or has expired. Ask your admin for a new one.' });
    expect(await stored()).toBeUndefined();
  });

  it('explains an unreachable server and stores nothing', async () => {
    server.state.down = true;
    const result = await connection.connect(SERVER, 'ABCD-2345');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(`Can’t reach the Headway server at ${SERVER}`);
    expect(await stored()).toBeUndefined();
  });

  it('refuses a malformed code or address without calling the server', async () => {
    expect((await connection.connect(SERVER, 'hello')).ok).toBe(false);
    expect((await connection.connect('ftp://files.example', 'ABCD-2345')).ok).toBe(false);
    expect(server.state.calls).toEqual([]);
    expect(await stored()).toBeUndefined();
  });

  it('pairs, stores the token, loads the config, and never puts the token in a snapshot', async () => {
    const result = await connection.connect(`${SERVER}/`, 'abcd-2345');
    expect(result.ok).toBe(true);
    expect(result.snapshot).toMatchObject({ state: 'online', serverUrl: SERVER, workspaceName: 'Northwind Trading', instances: config.instances });
    expect(result.snapshot.user?.name).toBe('Dana Whitfield');
    expect(await stored()).toMatchObject({ token: TOKEN, serverUrl: SERVER });
    for (const snapshot of [result.snapshot, ...published]) expect(JSON.stringify(snapshot)).not.toContain(TOKEN);
  });

  it('goes offline when the server stops answering and online again when it is back', async () => {
    await connection.connect(SERVER, 'ABCD-2345');
    server.state.down = true;
    const offline = await connection.check();
    expect(offline.state).toBe('offline');
    expect(offline.problem).toContain('Can’t reach');
    server.state.down = false;
    expect((await connection.check()).state).toBe('online');
    expect(published.map((snapshot) => snapshot.state)).toContain('offline');
    expect(published.at(-1)?.state).toBe('online');
  });

  it('marks a revoked token unauthorized', async () => {
    await connection.connect(SERVER, 'ABCD-2345');
    server.state.tokenValid = false;
    expect((await connection.refresh()).state).toBe('unauthorized');
  });

  it('disconnect revokes the token on the server and forgets it, even when the server is down', async () => {
    await connection.connect(SERVER, 'ABCD-2345');
    expect((await connection.disconnect()).state).toBe('unpaired');
    expect(server.state.calls).toContain('DELETE /api/session');
    expect(await stored()).toBeUndefined();

    await connection.connect(SERVER, 'ABCD-2345');
    server.state.down = true;
    expect((await connection.disconnect()).state).toBe('unpaired');
    expect(await stored()).toBeUndefined();
  });

  it('a heartbeat that answers after Disconnect does not bring the session back', async () => {
    await connection.connect(SERVER, 'ABCD-2345');
    let release!: () => void;
    server.state.answerMeWith = () =>
      new Promise((resolve) => (release = () => resolve(new Response(JSON.stringify(user), { status: 200 }))));
    const heartbeat = connection.check();
    await new Promise((resolve) => setTimeout(resolve, 0));
    server.state.answerMeWith = null;
    await connection.disconnect();
    release();
    expect((await heartbeat).state).toBe('unpaired');
    expect(await stored()).toBeUndefined();
  });

  it('treats a corrupt stored session as unpaired', async () => {
    await fakeBrowser.storage.local.set({ [SESSION_KEY]: { token: 42 } });
    expect((await connection.snapshot()).state).toBe('unpaired');
  });
});
