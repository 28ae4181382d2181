import { describe, expect, it } from 'vitest';
import { ApiFailure, createServerApi, normalizeServerUrl } from '../../../extension/api';

describe('normalizeServerUrl', () => {
  it.each([
    ['https://headway.example.com/', 'https://headway.example.com'],
    ['  headway.example.com  ', 'https://headway.example.com'],
    ['127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['localhost:3000/', 'http://localhost:3000'],
    ['https://intranet.example.com/headway/?x=1#top', 'https://intranet.example.com/headway'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeServerUrl(input)).toEqual({ ok: true, url: expected });
  });

  it.each(['', '   ', 'ftp://files.example.com', 'https://user:pw@headway.example.com', 'http://exa mple.com'])('refuses %j with a sentence', (input) => {
    const result = normalizeServerUrl(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message.length).toBeGreaterThan(20);
  });
});

describe('createServerApi', () => {
  it('turns a hung server into an "unreachable" failure after the timeout', async () => {
    const hang: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const api = createServerApi({ baseUrl: 'http://127.0.0.1:1', fetch: hang, timeoutMs: 20 });
    await expect(api.healthz()).rejects.toMatchObject({ kind: 'unreachable' });
  });

  it('refuses an answer that does not fit the schema', async () => {
    const api = createServerApi({ baseUrl: 'http://127.0.0.1:1', token: 't', fetch: async () => new Response(JSON.stringify({ name: 'x' })) });
    const failure = await api.me().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect((failure as ApiFailure).kind).toBe('bad-response');
  });

  it('keeps the server’s error code and message', async () => {
    const api = createServerApi({
      baseUrl: 'http://127.0.0.1:1',
      fetch: async () => new Response(JSON.stringify({ error: 'rate_limited', message: 'Too many attempts. Wait a minute.' }), { status: 429 }),
    });
    await expect(api.pair({ code: 'ABCD-2345', deviceName: 'x' })).rejects.toMatchObject({
      kind: 'rejected',
      status: 429,
      code: 'rate_limited',
      message: 'Too many attempts. Wait a minute.',
    });
  });
});
