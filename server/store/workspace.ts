import { onWorkspaceTenant } from '../../core/crm';
import { ConfigResponse, CrmId, WorkspaceSettings, type CrmInstance, type RecordRef } from '../../core/schema';
import { readJson, writeJson } from './json-column';
import type { Tx } from './transaction';
import { refusal, type Refused } from '../refusal/refused';

const workspaceKey = 'workspace';

/** What a fresh server answers before anyone configured it. */
export const defaultSettings: WorkspaceSettings = { name: 'Headway', reportingCurrency: 'EUR', fiscalYearStartMonth: 1 };

export async function readSettings(db: Tx): Promise<WorkspaceSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', workspaceKey).executeTakeFirst();
  return row ? WorkspaceSettings.parse(readJson(row.value)) : defaultSettings;
}

export async function writeSettings(db: Tx, settings: WorkspaceSettings): Promise<void> {
  const value = writeJson(WorkspaceSettings.parse(settings));
  await db
    .insertInto('settings')
    .values({ key: workspaceKey, value })
    .onConflict((conflict) => conflict.column('key').doUpdateSet({ value }))
    .execute();
}

/** The workspace's CRM tenants: the only ones whose records the server accepts and the extension acts on. */
export async function listInstances(db: Tx): Promise<CrmInstance[]> {
  const rows = await db.selectFrom('crm_instances').select(['instance', 'crm']).orderBy('instance').execute();
  return rows.map((row) => ({ instance: row.instance, crm: CrmId.parse(row.crm) }));
}

/** Why a record of another tenant is refused, in the words every path uses. */
export function foreignTenant(record: Pick<RecordRef, 'crm' | 'instance'>): Refused {
  return refusal('foreign_tenant', 'foreignTenant', { instance: record.instance, crm: record.crm });
}

/** Whether a record (or page) is on one of the workspace's tenants; the server keeps and shows no other. */
export async function isWorkspaceTenant(db: Tx, record: Pick<RecordRef, 'crm' | 'instance'>): Promise<boolean> {
  return onWorkspaceTenant(record, await listInstances(db));
}

/** Whether a page origin shows one of the workspace's tenants (CORS lets such a CRM page call the server). */
export async function isInstanceOrigin(db: Tx, origin: string): Promise<boolean> {
  return (await listInstances(db)).some((tenant) => new URL(tenant.instance).origin === origin);
}

/**
 * Adds or re-points a tenant, written canonically (core/crm canonicalInstance). One instance string names one
 * tenant of one CRM, so it is the key.
 */
export async function upsertInstance(db: Tx, instance: CrmInstance, now: string): Promise<void> {
  await db
    .insertInto('crm_instances')
    .values({ instance: instance.instance, crm: instance.crm, created_at: now })
    .onConflict((conflict) => conflict.column('instance').doUpdateSet({ crm: instance.crm }))
    .execute();
}

export async function disableAdapter(db: Tx, crm: CrmId, reason: string, now: string): Promise<void> {
  await db
    .insertInto('disabled_adapters')
    .values({ crm, reason, disabled_at: now })
    .onConflict((conflict) => conflict.column('crm').doUpdateSet({ reason, disabled_at: now }))
    .execute();
}

export async function enableAdapter(db: Tx, crm: CrmId): Promise<boolean> {
  const result = await db.deleteFrom('disabled_adapters').where('crm', '=', crm).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function readConfig(db: Tx): Promise<ConfigResponse> {
  const disabled = await db.selectFrom('disabled_adapters').select(['crm', 'reason']).orderBy('crm').execute();
  return ConfigResponse.parse({
    instances: await listInstances(db),
    disabledAdapters: disabled,
    settings: await readSettings(db),
  });
}
