import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { PullResponse, PushResponse } from '../../core/schema';
import type { HeadwayApp } from '../../server/app';
import { post } from './helpers';

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
      record: { crm: 'suitecrm', crmId: 'deal-1', recordType: 'deal' },
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

export function dealCapture(mutationId: number, crmId: string, fields: Record<string, unknown>, url: string | null = null) {
  return { mutationId, name: 'deal.capture', args: { record: { crm: 'suitecrm', crmId, recordType: 'deal' }, fields, url } };
}
