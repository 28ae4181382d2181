import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { HeadwayApp } from '../../server/app';
import type { Clock } from '../../server/clock';
import { insertDeals } from '../../server/store/deals';
import type { Store } from '../../server/store/store';
import type { DealsTable } from '../../server/store/tables';
import { declareTenant, signedIn, testTenant } from './helpers';

/** Monday 16 March 2026, 09:00 UTC: the start of a business day in the default calendar. */
export const escalationClockStart = '2026-03-16T09:00:00.000Z';

export type Auth = Record<string, string>;

export function send(method: string, body: unknown, auth: Auth): RequestInit {
  return { method, headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export async function json<T = Record<string, unknown>>(response: Response, status: number): Promise<T> {
  const body = (await response.json()) as T;
  expect(response.status, JSON.stringify(body)).toBe(status);
  return body;
}

/** A refusal: the status, a reason in words, and its code. */
export async function refusal(response: Response, status: number): Promise<string> {
  const body = await json<{ error: string; message: string }>(response, status);
  expect(body.message.length).toBeGreaterThan(10);
  return body.error;
}

export function dealRow(ownerId: string | null, fields: Partial<DealsTable> = {}): DealsTable {
  const crmId = randomUUID();
  return {
    id: randomUUID(),
    crm: testTenant.crm,
    instance: testTenant.instance,
    crm_id: crmId,
    record_type: 'deal',
    title: `Deal ${crmId.slice(0, 8)}`,
    kind: 'sale',
    amount: 25_000,
    currency: 'EUR',
    stage: 'Negotiation',
    probability: 50,
    owner_id: ownerId,
    owner_label: null,
    segment: 'EMEA',
    expected_close: '2026-04-30',
    status: 'open',
    closed_at: null,
    source: 'import',
    url: `https://crm.example.test/deal/${crmId}`,
    account_crm_id: null,
    updated_at: escalationClockStart,
    version: 1,
    ...fields,
  };
}

export const recordOf = (deal: DealsTable) => ({ crm: deal.crm, instance: deal.instance, crmId: deal.crm_id, recordType: deal.record_type });

/** Head, exec, admin and three managers; a deal of Ana's, an unowned one, and one past its close date. */
export async function seedEscalationWorld(app: HeadwayApp, store: Store, clock: Clock) {
  await declareTenant(store, clock);
  const head = await signedIn(app, store, clock, { role: 'head', name: 'Hana Head' });
  const exec = await signedIn(app, store, clock, { role: 'exec', name: 'Erin Exec' });
  const admin = await signedIn(app, store, clock, { role: 'admin', name: 'Adam Admin' });
  const ana = await signedIn(app, store, clock, { role: 'manager', name: 'Ana Alves' });
  const ben = await signedIn(app, store, clock, { role: 'manager', name: 'Ben Brook' });
  const cleo = await signedIn(app, store, clock, { role: 'manager', name: 'Cleo Cruz' });
  const anaDeal = dealRow(ana.user.id, { title: 'Acme renewal' });
  const freeDeal = dealRow(null, { title: 'Unassigned lead' });
  const lateDeal = dealRow(ana.user.id, { title: 'Globex expansion', expected_close: '2026-03-01' });
  const discountDeal = dealRow(ana.user.id, { title: 'Initech pilot' });
  await insertDeals(store.db, [anaDeal, freeDeal, lateDeal, discountDeal]);
  return { head, exec, admin, ana, ben, cleo, anaDeal, freeDeal, lateDeal, discountDeal };
}

export type EscalationWorld = Awaited<ReturnType<typeof seedEscalationWorld>>;

export async function counts(store: Store) {
  const n = async (table: 'escalations' | 'escalation_audit' | 'change_log' | 'deliveries') =>
    Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { escalations: await n('escalations'), audit: await n('escalation_audit'), changes: await n('change_log'), deliveries: await n('deliveries') };
}

export function escalationBody(overrides: Record<string, unknown> = {}) {
  return { id: randomUUID(), category: 'approval', severity: 'normal', title: 'Approve 20 % discount', body: 'They ask for 20 %.', record: null, ...overrides };
}
