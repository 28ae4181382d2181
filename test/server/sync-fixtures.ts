import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { expect } from 'vitest';
import { PullResponse, PushResponse } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { post, testTenant } from './helpers';

export interface PushAnswer {
  status: number;
  body: unknown;
}

export async function push(app: HeadwayApp, auth: Record<string, string>, clientId: string, mutations: unknown[]): Promise<PushAnswer> {
  const response = await app.request('/api/sync/push', post({ clientId, mutations }, auth));
  return { status: response.status, body: await response.json() };
}

export async function pushOk(app: HeadwayApp, auth: Record<string, string>, clientId: string, mutations: unknown[]): Promise<PushResponse> {
  const answer = await push(app, auth, clientId, mutations);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return PushResponse.parse(answer.body);
}

export async function pullAll(app: HeadwayApp, auth: Record<string, string>, cursor = 0, limit = 1000): Promise<PullResponse> {
  const response = await app.request(`/api/sync/pull?cursor=${cursor}&limit=${limit}`, { headers: auth });
  expect(response.status).toBe(200);
  return PullResponse.parse(await response.json());
}

export function newClientId(): string {
  return `client_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

export function noteCreate(mutationId: number, overrides: Record<string, unknown> = {}) {
  return {
    mutationId,
    name: 'note.create',
    args: {
      id: randomUUID(),
      record: { ...testTenant, crmId: 'deal-1', recordType: 'deal' },
      recordTitle: 'Harbour Foods – coffee supply',
      side: 'buyer',
      text: `Buyer asked for 5 % off (note ${mutationId})`,
      asked: '5 % discount',
      offered: '3 % for a two-year term',
      discountPct: 3,
      nextStep: 'Send revised quote',
      nextStepDate: '2026-03-20',
      createdAt: '2026-03-16T08:59:00.000Z',
      ...overrides,
    },
  };
}

/** The SuiteCRM detail page of a deal on the test tenant: a link a capture may store. */
export function tenantDealUrl(crmId: string): string {
  return `${testTenant.instance}/index.php?module=Opportunities&action=DetailView&record=${crmId}`;
}

export function dealCapture(mutationId: number, crmId: string, fields: Record<string, unknown>, url: string | null = null) {
  return { mutationId, name: 'deal.capture', args: { record: { ...testTenant, crmId, recordType: 'deal' }, fields, url } };
}

/**
 * A push that meets another author's note committed while it waits (PostgreSQL): the rival's insert stays
 * uncommitted until the push is blocked on its row, then commits, and the push's answer is returned.
 */
export async function pushAgainstRivalNote(databaseUrl: string, rival: { noteId: string; authorId: string; at: string }, pushing: () => Promise<PushAnswer>): Promise<PushAnswer> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(
      `insert into notes (id, author_id, crm, crm_id, record_type, record_title, content, created_at, updated_at, version, deleted_at)
       values ($1, $2, null, null, null, null, '{"side":"buyer","text":"theirs"}', $3, $3, 1, null)`,
      [rival.noteId, rival.authorId, rival.at],
    );
    const answer = pushing();
    await expect
      .poll(async () => (await client.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)).rows[0].n, { timeout: 10_000, interval: 20 })
      .toBe(1);
    await client.query('commit');
    return await answer;
  } finally {
    await client.query('rollback').catch(() => undefined);
    await client.end();
  }
}
