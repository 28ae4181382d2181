import { sql } from 'kysely';
import { detectRecord } from '../../core/crm';
import type { CrmId, CrmInstance } from '../../core/schema';
import { escalationChanges } from '../escalation/events';
import { appendChanges, type ChangeEntry } from '../sync/change-log';
import { escalationFromRow } from './escalations';
import type { Tx } from './transaction';
import { listInstances, upsertInstance } from './workspace';

// Records kept from before records were bound to tenants (migration 008) carry no instance until the workspace
// says whose they are. This file gives them one where that is certain, lists the rest, and assigns them on an
// admin's word (`crm adopt`). Nothing here drops a record: one that cannot be assigned stays as it was.

type RecordTable = 'deals' | 'notes' | 'escalations';
const recordTables: readonly RecordTable[] = ['deals', 'notes', 'escalations'];

/** Records of one CRM still without a tenant. */
export interface UnassignedCrm {
  crm: CrmId;
  deals: number;
  notes: number;
  escalations: number;
  /** The workspace's tenants of this CRM: none (add it with `crm add`) or several (choose with `crm adopt`). */
  tenants: string[];
  /** A few of the deals, to recognise them by. */
  examples: { crmId: string; recordType: string; title: string }[];
}

export async function listUnassigned(db: Tx): Promise<UnassignedCrm[]> {
  const counts = new Map<string, Record<RecordTable, number>>();
  for (const table of recordTables) {
    const rows = await db
      .selectFrom(table)
      .select(['crm', sql<number>`count(*)`.as('count')])
      .where('instance', 'is', null)
      .where('crm', 'is not', null)
      .groupBy('crm')
      .execute();
    for (const row of rows) {
      const entry = counts.get(row.crm!) ?? { deals: 0, notes: 0, escalations: 0 };
      entry[table] = Number(row.count);
      counts.set(row.crm!, entry);
    }
  }
  const instances = await listInstances(db);
  const result: UnassignedCrm[] = [];
  for (const [crm, entry] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    const examples = await db
      .selectFrom('deals')
      .select(['crm_id', 'record_type', 'title'])
      .where('crm', '=', crm)
      .where('instance', 'is', null)
      .orderBy('crm_id')
      .limit(5)
      .execute();
    result.push({
      crm: crm as CrmId,
      ...entry,
      tenants: instances.filter((instance) => instance.crm === crm).map((instance) => instance.instance),
      examples: examples.map((row) => ({ crmId: row.crm_id, recordType: row.record_type, title: row.title })),
    });
  }
  return result;
}

/** What a settle or an adoption assigned, and the change-log rows that tell clients (for the caller to append). */
export interface Assigned {
  deals: number;
  notes: number;
  escalations: number;
  /** Deals left without a tenant because that tenant already has a deal of the same key. */
  clashes: number;
  changes: ChangeEntry[];
}

/**
 * Gives every record without a tenant the one the workspace makes certain, and leaves the rest: a CRM with one
 * tenant gets it; with several, a deal gets the one its stored URL shows (if it is one of them), and a note or an
 * escalation the tenant of the one deal of its key that has one. A CRM without tenants keeps its records as they
 * are until an admin adds its tenant (`crm add`, which calls this again).
 */
export async function settleUnassigned(tx: Tx): Promise<Assigned> {
  const total: Assigned = { deals: 0, notes: 0, escalations: 0, clashes: 0, changes: [] };
  const byCrm = new Map<CrmId, CrmInstance[]>();
  for (const instance of await listInstances(tx)) byCrm.set(instance.crm, [...(byCrm.get(instance.crm) ?? []), instance]);
  for (const [crm, tenants] of byCrm) {
    const only = tenants.length === 1 ? tenants[0]! : null;
    const part = only ? await assignAll(tx, crm, only.instance) : await assignByEvidence(tx, crm, tenants);
    total.deals += part.deals;
    total.notes += part.notes;
    total.escalations += part.escalations;
    total.clashes += part.clashes;
    total.changes.push(...part.changes);
  }
  return total;
}

/** Tells every extension, at its next pull, that the workspace's tenants or adapters changed. */
export const configChange: ChangeEntry = { entity: 'config', entityId: 'workspace', version: 1, ownerId: null };

/**
 * Makes `tenant` one of the workspace's tenants (idempotent): `crm add` and `crm connect` alike. Records kept from
 * before tenants that this makes certain are given it, and every extension hears of both at its next pull.
 */
export async function declareTenant(tx: Tx, tenant: CrmInstance, now: string): Promise<Assigned> {
  await upsertInstance(tx, tenant, now);
  const settled = await settleUnassigned(tx);
  await appendChanges(tx, [...settled.changes, configChange], now);
  return settled;
}

/** An admin's word: every record of the tenant's CRM still without a tenant is that tenant's. */
export async function adoptUnassigned(tx: Tx, tenant: CrmInstance): Promise<Assigned> {
  return assignAll(tx, tenant.crm, tenant.instance);
}

async function assignAll(tx: Tx, crm: CrmId, instance: string): Promise<Assigned> {
  // A deal whose key the tenant already holds (written after the migration) stays apart rather than collide.
  const clashing = await tx
    .selectFrom('deals as old')
    .select('old.id')
    .where('old.crm', '=', crm)
    .where('old.instance', 'is', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('deals as held')
          .select('held.id')
          .where('held.instance', '=', instance)
          .whereRef('held.crm', '=', 'old.crm')
          .whereRef('held.crm_id', '=', 'old.crm_id')
          .whereRef('held.record_type', '=', 'old.record_type'),
      ),
    )
    .execute();
  const skip = clashing.map((row) => row.id);
  let deals = tx.selectFrom('deals').select('id').where('crm', '=', crm).where('instance', 'is', null);
  if (skip.length > 0) deals = deals.where('id', 'not in', skip);
  const dealIds = (await deals.execute()).map((row) => row.id);
  const notes = (await tx.selectFrom('notes').select('id').where('crm', '=', crm).where('instance', 'is', null).execute()).map((row) => row.id);
  const escalations = (await tx.selectFrom('escalations').select('id').where('crm', '=', crm).where('instance', 'is', null).execute()).map((row) => row.id);
  const changes = await assign(tx, instance, { deals: dealIds, notes, escalations });
  return { deals: dealIds.length, notes: notes.length, escalations: escalations.length, clashes: skip.length, changes };
}

async function assignByEvidence(tx: Tx, crm: CrmId, tenants: readonly CrmInstance[]): Promise<Assigned> {
  const total: Assigned = { deals: 0, notes: 0, escalations: 0, clashes: 0, changes: [] };
  const known = new Set(tenants.map((tenant) => tenant.instance));
  // A deal read from a page (or imported with its link) says which tenant showed it.
  const withUrl = await tx.selectFrom('deals').select(['id', 'url']).where('crm', '=', crm).where('instance', 'is', null).where('url', 'is not', null).execute();
  const byTenant = new Map<string, string[]>();
  for (const row of withUrl) {
    const shown = detectRecord(row.url!, { instances: tenants })?.instance;
    if (shown && known.has(shown)) byTenant.set(shown, [...(byTenant.get(shown) ?? []), row.id]);
  }
  for (const [instance, ids] of byTenant) {
    total.changes.push(...(await assign(tx, instance, { deals: ids, notes: [], escalations: [] })));
    total.deals += ids.length;
  }
  // Notes and escalations follow the one deal of their key that now has a tenant.
  for (const table of ['notes', 'escalations'] as const) {
    const { rows } = await sql<{ id: string; instance: string }>`
      select r.id, d.instance from ${sql.table(table)} r
      join deals d on d.crm = r.crm and d.crm_id = r.crm_id and d.record_type = r.record_type
      where r.crm = ${crm} and r.instance is null and d.instance is not null`.execute(tx);
    const tenantsOf = new Map<string, Set<string>>();
    for (const row of rows) tenantsOf.set(row.id, (tenantsOf.get(row.id) ?? new Set()).add(row.instance));
    for (const [id, found] of tenantsOf) {
      if (found.size !== 1) continue;
      const [instance] = found;
      total.changes.push(...(await assign(tx, instance!, { deals: [], notes: table === 'notes' ? [id] : [], escalations: table === 'escalations' ? [id] : [] })));
      total[table] += 1;
    }
  }
  return total;
}

/** Sets the tenant of these rows and answers the change-log rows that bring them to the clients that see them. */
async function assign(tx: Tx, instance: string, ids: Record<RecordTable, string[]>): Promise<ChangeEntry[]> {
  const changes: ChangeEntry[] = [];
  for (let start = 0; start < ids.deals.length; start += 500) {
    const chunk = ids.deals.slice(start, start + 500);
    await tx.updateTable('deals').set({ instance }).where('id', 'in', chunk).execute();
    for (const row of await tx.selectFrom('deals').select(['id', 'version', 'owner_id']).where('id', 'in', chunk).execute()) {
      changes.push({ entity: 'deal', entityId: row.id, version: row.version, ownerId: row.owner_id });
    }
  }
  for (let start = 0; start < ids.notes.length; start += 500) {
    const chunk = ids.notes.slice(start, start + 500);
    await tx.updateTable('notes').set({ instance }).where('id', 'in', chunk).execute();
    for (const row of await tx.selectFrom('notes').select(['id', 'version', 'author_id']).where('id', 'in', chunk).execute()) {
      changes.push({ entity: 'note', entityId: row.id, version: row.version, ownerId: row.author_id });
    }
  }
  for (let start = 0; start < ids.escalations.length; start += 500) {
    const chunk = ids.escalations.slice(start, start + 500);
    await tx.updateTable('escalations').set({ instance }).where('id', 'in', chunk).execute();
    for (const row of await tx.selectFrom('escalations').selectAll().where('id', 'in', chunk).execute()) {
      changes.push(...escalationChanges(escalationFromRow(row), null));
    }
  }
  return changes;
}
