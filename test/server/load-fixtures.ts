import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { HeadwayApp } from '../../server/app';
import type { Clock } from '../../server/clock';
import { insertDeals } from '../../server/store/deals';
import type { Store } from '../../server/store/store';
import type { DealsTable } from '../../server/store/tables';
import { declareTenant, signedIn, testTenant } from './helpers';

/** A Wednesday inside Cleo's absence (Monday 15 to Friday 19 June 2026). */
export const today = '2026-06-17';
export const clockStart = `${today}T10:00:00.000Z`;

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
    amount: 10_000,
    currency: 'EUR',
    stage: 'Prospecting',
    probability: 10,
    owner_id: ownerId,
    owner_label: null,
    segment: 'EMEA',
    expected_close: '2026-07-30',
    status: 'open',
    closed_at: null,
    source: 'import',
    url: `https://crm.example.test/deal/${crmId}`,
    account_crm_id: null,
    updated_at: clockStart,
    version: 1,
    ...fields,
  };
}

/**
 * A small department whose right answer is known by hand (default weights: Prospecting 3, Negotiation 1.5,
 * Closing 1; target 85 %):
 *  - Ana (West, EMEA, capacity 10): five Prospecting deals = 15 → 150 %, over;
 *  - Ben (West, EMEA, 10): one Negotiation deal = 1.5 → 15 %, under; room for two of Ana's deals (to 7.5);
 *  - Cleo (East, EMEA + APAC, 10): absent this week, two APAC Closing deals due this week, which need cover;
 *  - Dev (East, APAC, 10): nothing yet; the only present manager serving APAC, so he covers Cleo.
 */
export async function seedDepartment(app: HeadwayApp, store: Store, clock: Clock) {
  const segments = (...region: string[]) => ({ region, product: [], tier: [] });
  await declareTenant(store, clock);
  const head = await signedIn(app, store, clock, { role: 'head', name: 'Hana Head' });
  const admin = await signedIn(app, store, clock, { role: 'admin', name: 'Adam Admin' });
  const exec = await signedIn(app, store, clock, { role: 'exec', name: 'Erin Exec' });
  const ana = await signedIn(app, store, clock, { role: 'manager', name: 'Ana Alves', team: 'West', capacity: 10, segments: segments('EMEA') });
  const ben = await signedIn(app, store, clock, { role: 'manager', name: 'Ben Brook', team: 'West', capacity: 10, segments: segments('EMEA') });
  const cleo = await signedIn(app, store, clock, {
    role: 'manager', name: 'Cleo Cruz', team: 'East', capacity: 10, segments: segments('EMEA', 'APAC'),
    absences: [{ from: '2026-06-15', to: '2026-06-19' }],
  });
  const dev = await signedIn(app, store, clock, { role: 'manager', name: 'Dev Desai', team: 'East', capacity: 10, segments: segments('APAC') });
  const anaDeals = Array.from({ length: 5 }, () => dealRow(ana.user.id));
  const benDeal = dealRow(ben.user.id, { stage: 'Negotiation' });
  const cleoDeals = [
    dealRow(cleo.user.id, { stage: 'Closing', segment: 'APAC', expected_close: '2026-06-18' }),
    dealRow(cleo.user.id, { stage: 'Closing', segment: 'APAC', expected_close: '2026-06-19' }),
  ];
  const wonDeal = dealRow(ana.user.id, { status: 'won', closed_at: '2026-06-01T10:00:00.000Z', stage: 'Closed Won' });
  await insertDeals(store.db, [...anaDeals, benDeal, ...cleoDeals, wonDeal]);
  return { head, admin, exec, ana, ben, cleo, dev, anaDeals, benDeal, cleoDeals, wonDeal };
}

export async function getJson<T = any>(app: HeadwayApp, path: string, auth: Record<string, string>, status = 200): Promise<T> {
  const response = await app.request(path, { headers: auth });
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(status);
  return body as T;
}

export function send(method: 'POST' | 'PUT', body: unknown, auth: Record<string, string>): RequestInit {
  return { method, headers: { 'Content-Type': 'application/json', ...auth }, body: JSON.stringify(body) };
}
