import { describe, expect, it } from 'vitest';
import { requestJson } from '../../../core/sync/http';
import { backoffCeiling, backoffDelay } from '../../../core/sync/backoff';

const answer = (status: number, body: string) => async () => new Response(body, { status });
const get = (fetchFn: Parameters<typeof requestJson>[0]) => requestJson(fetchFn, 'https://h.test/api/sync/pull', { method: 'GET', token: 't', timeoutMs: 1_000 });

describe('requestJson', () => {
  it('classifies answers by what the caller must do next', async () => {
    expect(await get(answer(200, '{"a":1}'))).toEqual({ kind: 'ok', body: { a: 1 } });
    expect(await get(answer(401, '{}'))).toEqual({ kind: 'unauthorized' });
    expect(await get(answer(503, '{"message":"restarting"}'))).toEqual({ kind: 'server-error', status: 503, message: 'HTTP 503: restarting' });
    expect(await get(answer(429, '{"message":"slow down"}'))).toMatchObject({ kind: 'server-error', status: 429 });
    expect(await get(answer(502, '<html>bad gateway</html>'))).toMatchObject({ kind: 'server-error', status: 502 });
    expect(await get(answer(200, 'not json'))).toMatchObject({ kind: 'server-error', status: 200 });
    expect(await get(answer(400, '{"error":"invalid","message":"bad cursor"}'))).toEqual({
      kind: 'refused',
      status: 400,
      body: { error: 'invalid', message: 'bad cursor' },
      message: 'HTTP 400: bad cursor',
    });
    expect(await get(answer(413, ''))).toMatchObject({ kind: 'refused', status: 413 });
    expect(
      await get(async () => {
        throw new TypeError('Failed to fetch');
      }),
    ).toEqual({ kind: 'offline', message: 'Failed to fetch' });
  });

  it('gives up on a server that never answers', async () => {
    const hanging = (_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const outcome = await requestJson(hanging, 'https://h.test/x', { method: 'GET', token: 't', timeoutMs: 20 });
    expect(outcome.kind).toBe('offline');
  });
});

describe('backoff', () => {
  it('doubles from one second up to the five-minute cap', () => {
    expect([1, 2, 3, 4, 9, 10, 50, 5_000].map((failures) => backoffCeiling(failures))).toEqual([
      1_000, 2_000, 4_000, 8_000, 256_000, 300_000, 300_000, 300_000,
    ]);
  });

  it('spreads the wait over the whole window (full jitter)', () => {
    expect(backoffDelay(4, () => 0)).toBe(0);
    expect(backoffDelay(4, () => 0.5)).toBe(4_000);
    expect(backoffDelay(4, () => 0.999_999)).toBe(7_999);
  });
});
