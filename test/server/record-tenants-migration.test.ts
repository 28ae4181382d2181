import { randomUUID } from 'node:crypto';
import { Migrator, type Kysely } from 'kysely';
import { expect, it, vi } from 'vitest';
import { codeMigrations } from '../../server/store/migrations';
import type { Store } from '../../server/store/store';
import { listUnassigned } from '../../server/store/tenants';
import { TestClock } from './helpers';
import { describeEachStore } from './stores';

// Migration 008 moves records kept before tenants to the new key: a CRM with one tenant gets it, a deal whose link
// shows one of several tenants gets that one, and everything else is kept without a tenant and listed, never dropped.
describeEachStore('migration 008: records get their CRM tenant', ({ unmigratedStore }) => {
  const clock = new TestClock('2026-03-16T09:00:00.000Z');
  const now = clock.now().toISOString();

  async function migrateTo(store: Store, name: string): Promise<void> {
    const { error } = await new Migrator({ db: store.db, provider: codeMigrations }).migrateTo(name);
    if (error) throw error instanceof Error ? error : new Error(String(error));
  }

  /** A deals row as migration 007 left the table (no instance column yet). */
  const oldDeal = (crm: string, crmId: string, url: string | null = null) => ({
    id: randomUUID(), crm, crm_id: crmId, record_type: 'deal', title: `${crm} ${crmId}`, kind: 'sale', amount: 100, currency: 'EUR',
    stage: null, probability: null, owner_id: null, owner_label: null, segment: null, expected_close: null, status: 'open',
    closed_at: null, source: 'page', url, account_crm_id: null, updated_at: now, version: 1,
  });

  it('fills the tenant where it is certain, keeps and lists the rest, and keeps every row and reference', async () => {
    const store = await unmigratedStore();
    await migrateTo(store, '007_escalation_answerers');
    const deals = {
      suite: oldDeal('suitecrm', 'S-1'),
      sfLinked: oldDeal('salesforce', '006A', 'https://acme.lightning.force.com/lightning/r/Opportunity/006A/view'),
      sfBare: oldDeal('salesforce', '006B'),
      hubspot: oldDeal('hubspot', '77'),
    };
    // The tables as 007 left them, which the current types no longer describe.
    const db = store.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const author = { id: randomUUID() };
    await db.insertInto('users').values({
      id: author.id, name: 'Maya Chen', email: 'maya@example.test', role: 'manager', team: null, capacity: 40,
      segments: '{"region":[],"product":[],"tier":[]}', absences: '[]', crm_identities: '[]', created_at: now,
    }).execute();
    await db.insertInto('crm_instances').values([
      { origin: 'https://crm.example.test', crm: 'suitecrm', created_at: now },
      // Two origins an admin configured for one org (Lightning and My Domain) become one tenant; a sandbox is another.
      { origin: 'https://acme.lightning.force.com', crm: 'salesforce', created_at: now },
      { origin: 'https://acme.my.salesforce.com', crm: 'salesforce', created_at: now },
      { origin: 'https://acme--uat.sandbox.my.salesforce.com', crm: 'salesforce', created_at: now },
    ]).execute();
    await db.insertInto('deals').values(Object.values(deals)).execute();
    const note = (crm: string, crmId: string) => ({
      id: randomUUID(), author_id: author.id, crm, crm_id: crmId, record_type: 'deal', record_title: null, content: '{"side":"buyer","text":"x"}',
      created_at: now, updated_at: now, version: 1, deleted_at: null,
    });
    const notes = { suite: note('suitecrm', 'S-1'), sfLinked: note('salesforce', '006A'), sfBare: note('salesforce', '006B'), free: { ...note('x', 'y'), crm: null, crm_id: null, record_type: null } };
    await db.insertInto('notes').values(Object.values(notes)).execute();
    // A move references its deal: SQLite rebuilds the deals table, and the reference must survive it.
    const moveId = randomUUID();
    await db.insertInto('moves').values({
      id: moveId, deal_id: deals.suite.id, from_id: author.id, to_id: author.id, why: 'x', reason: 'x', status: 'proposed', created_by: author.id,
      created_at: now, decided_by: null, decided_at: null, done_at: null, updated_at: now, version: 1,
    }).execute();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await migrateTo(store, '009_deal_history');
      expect(warn.mock.calls.join(' ')).toMatch(/records kept without a CRM tenant \(hubspot: 1 deal\(s\).*salesforce: 1 deal\(s\), 1 note\(s\)/);
    } finally {
      warn.mockRestore();
    }

    const instanceOf = async (table: 'deals' | 'notes', id: string) =>
      (await store.db.selectFrom(table).select('instance').where('id', '=', id).executeTakeFirstOrThrow()).instance;
    expect(await instanceOf('deals', deals.suite.id)).toBe('https://crm.example.test');
    expect(await instanceOf('deals', deals.sfLinked.id)).toBe('https://acme.my.salesforce.com');
    expect(await instanceOf('deals', deals.sfBare.id)).toBeNull();
    expect(await instanceOf('deals', deals.hubspot.id)).toBeNull();
    expect(await instanceOf('notes', notes.suite.id)).toBe('https://crm.example.test');
    expect(await instanceOf('notes', notes.sfLinked.id)).toBe('https://acme.my.salesforce.com');
    expect(await instanceOf('notes', notes.sfBare.id)).toBeNull();
    expect(await instanceOf('notes', notes.free.id)).toBeNull();
    // Nothing dropped: every deal, note and move is still there.
    expect(await store.db.selectFrom('deals').select('id').execute()).toHaveLength(4);
    expect(await store.db.selectFrom('notes').select('id').execute()).toHaveLength(4);
    expect(await store.db.selectFrom('moves').select('deal_id').where('id', '=', moveId).executeTakeFirst()).toEqual({ deal_id: deals.suite.id });
    // The tenants, canonical: the org's two origins are one.
    expect((await store.db.selectFrom('crm_instances').select(['instance', 'crm']).orderBy('instance').execute())).toEqual([
      { instance: 'https://acme--uat.sandbox.my.salesforce.com', crm: 'salesforce' },
      { instance: 'https://acme.my.salesforce.com', crm: 'salesforce' },
      { instance: 'https://crm.example.test', crm: 'suitecrm' },
    ]);
    const unassigned = await listUnassigned(store.db);
    expect(unassigned).toEqual([
      { crm: 'hubspot', deals: 1, notes: 0, escalations: 0, tenants: [], examples: [{ crmId: '77', recordType: 'deal', title: 'hubspot 77' }] },
      {
        crm: 'salesforce', deals: 1, notes: 1, escalations: 0,
        tenants: ['https://acme--uat.sandbox.my.salesforce.com', 'https://acme.my.salesforce.com'],
        examples: [{ crmId: '006B', recordType: 'deal', title: 'salesforce 006B' }],
      },
    ]);
    // The new key: the same record id on the sandbox is another deal.
    await store.db.insertInto('deals').values({ ...oldDeal('salesforce', '006A'), instance: 'https://acme--uat.sandbox.my.salesforce.com' } as never).execute();
    await expect(store.db.insertInto('deals').values({ ...oldDeal('salesforce', '006A'), instance: 'https://acme.my.salesforce.com' } as never).execute()).rejects.toThrow();
  });
});
