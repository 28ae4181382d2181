import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Role, User } from '../../../core/schema';
import type { HeadwayApp } from '../../../server/app';
import { seedMarkerKey } from '../../../server/demo/seed';
import { issuePairingCode, redeemPairingCode } from '../../../server/auth/pairing';
import { createServiceToken } from '../../../server/import/service-tokens';
import type { Store } from '../../../server/store/store';
import type { DealsTable } from '../../../server/store/tables';
import { insertDeals } from '../../../server/store/deals';
import { writeTransaction } from '../../../server/store/transaction';
import { upsertInstance } from '../../../server/store/workspace';
import { TestClock, addUser, post, testTenant } from '../helpers';

/** The callers every route is tried with. */
export const callers = ['anonymous', 'head', 'manager', 'exec', 'admin', 'service'] as const;
export type Caller = (typeof callers)[number];

/**
 * A small department with one of everything, so sample requests can name ids that exist: two managers (the caller
 * `manager` and a colleague), deals of each, a note and escalations, a registered CRM instance.
 */
export interface World {
  store: Store;
  clock: TestClock;
  app: HeadwayApp;
  users: Record<Role, User> & { otherManager: User };
  deals: { ofManager: DealsTable; ofOtherManager: DealsTable; unowned: DealsTable };
  noteOfManager: string;
  escalationToHead: string;
  escalationToExec: string;
  /** A fresh device token for one user of `role` (each call pairs a new device, so revoking one hurts no other call). */
  tokenFor(role: Role): Promise<string>;
  /** A CRM workflow's service token: it opens the deal ingest routes and nothing else. */
  serviceToken: string;
  /** A fresh, unused pairing code for a user of `role`. */
  pairingCodeFor(role: Role): Promise<string>;
}

function dealRow(user: User | null, crmId: string, clock: TestClock, overrides: Partial<DealsTable> = {}): DealsTable {
  return {
    id: randomUUID(),
    crm: testTenant.crm,
    instance: testTenant.instance,
    crm_id: crmId,
    record_type: 'deal',
    title: `Deal ${crmId}`,
    kind: 'sale',
    amount: 12_000,
    currency: 'EUR',
    stage: 'Negotiation',
    probability: 60,
    owner_id: user?.id ?? null,
    owner_label: user?.name ?? null,
    segment: 'north',
    expected_close: '2026-04-30',
    status: 'open',
    closed_at: null,
    source: 'import',
    url: null,
    account_crm_id: null,
    updated_at: clock.now().toISOString(),
    version: 1,
    ...overrides,
  };
}

export async function seedWorld(store: Store, app: HeadwayApp, clock: TestClock): Promise<World> {
  const created = {} as Record<Role, User> & { otherManager: User };
  for (const role of ['head', 'manager', 'exec', 'admin'] as const) {
    created[role] = (await addUser(store, clock, { role, team: role === 'manager' ? 'Sales' : null, segments: { region: ['north'], product: [], tier: [] } })).user;
  }
  created.otherManager = (await addUser(store, clock, { role: 'manager', team: 'Sales', segments: { region: ['north'], product: [], tier: [] } })).user;

  const deals = {
    ofManager: dealRow(created.manager, `m1-${randomUUID().slice(0, 8)}`, clock),
    ofOtherManager: dealRow(created.otherManager, `m2-${randomUUID().slice(0, 8)}`, clock),
    unowned: dealRow(null, `u-${randomUUID().slice(0, 8)}`, clock, { status: 'won', closed_at: clock.now().toISOString() }),
  };
  await writeTransaction(store, async (tx) => {
    await insertDeals(tx, Object.values(deals));
    await upsertInstance(tx, testTenant, clock.now().toISOString());
    // A demo workspace, so the demo CRM pages are served and fuzzed like every other route.
    await tx.insertInto('settings').values({ key: seedMarkerKey, value: JSON.stringify(clock.now().toISOString()) }).execute();
  });

  const tokenFor = async (role: Role) => {
    const { code } = await issuePairingCode(store.db, created[role].id, clock);
    const paired = await redeemPairingCode(store, code, `matrix ${role}`, clock);
    if (!paired) throw new Error(`could not pair a device for ${role}`);
    return paired.token;
  };
  const pairingCodeFor = async (role: Role) => (await issuePairingCode(store.db, created[role].id, clock)).code;

  // Notes and escalations arrive the way clients send them: through the outbox push.
  const noteOfManager = randomUUID();
  const escalationToHead = randomUUID();
  const escalationToExec = randomUUID();
  const record = { ...testTenant, crmId: deals.ofManager.crm_id, recordType: 'deal' } as const;
  const push = async (role: Role, mutations: { name: string; args: unknown }[]) => {
    const token = await tokenFor(role);
    const response = await app.request(
      '/api/sync/push',
      post({ clientId: `seed-${role}-${randomUUID().slice(0, 8)}`, mutations: mutations.map((m, i) => ({ mutationId: i + 1, ...m })) }, { Authorization: `Bearer ${token}` }),
    );
    expect(response.status, await response.clone().text()).toBe(200);
    const body = (await response.json()) as { results: { ok: boolean; error?: unknown }[] };
    expect(body.results.filter((r) => !r.ok)).toEqual([]);
  };
  await push('manager', [
    { name: 'note.create', args: { id: noteOfManager, side: 'buyer', text: 'Wants 5 % off', record, recordTitle: 'Deal', createdAt: clock.now().toISOString() } },
    { name: 'escalation.create', args: { id: escalationToHead, category: 'approval', severity: 'normal', title: 'Discount 5 %', body: '', record, context: {}, to: { role: 'head' } } },
  ]);
  await push('head', [
    { name: 'escalation.create', args: { id: escalationToExec, category: 'decision', severity: 'high', title: 'Price floor', body: '', record: null, context: {}, to: { role: 'exec' } } },
  ]);

  const { token: serviceToken } = await createServiceToken(store.db, 'Matrix CRM workflow', clock.now().toISOString());
  return { store, clock, app, users: created, deals, noteOfManager, escalationToHead, escalationToExec, tokenFor, pairingCodeFor, serviceToken };
}
