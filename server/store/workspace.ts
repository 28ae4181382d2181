import { ConfigResponse, CrmId, WorkspaceSettings, type CrmInstance } from '../../core/schema';
import { appendChanges } from '../sync/change-log';
import { readJson, writeJson } from './json-column';
import type { Tx } from './transaction';

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

export async function listInstances(db: Tx): Promise<CrmInstance[]> {
  const rows = await db.selectFrom('crm_instances').select(['origin', 'crm']).orderBy('origin').execute();
  return rows.map((row) => ({ origin: row.origin, crm: CrmId.parse(row.crm) }));
}

export async function isInstanceOrigin(db: Tx, origin: string): Promise<boolean> {
  const row = await db.selectFrom('crm_instances').select('origin').where('origin', '=', origin).executeTakeFirst();
  return row !== undefined;
}

/** Adds or re-points an instance; the origin is the key because one origin serves one CRM. */
export async function upsertInstance(db: Tx, instance: CrmInstance, now: string): Promise<void> {
  await db
    .insertInto('crm_instances')
    .values({ origin: instance.origin, crm: instance.crm, created_at: now })
    .onConflict((conflict) => conflict.column('origin').doUpdateSet({ crm: instance.crm }))
    .execute();
}

/** Makes an origin one of the workspace's CRM instances and tells every extension at its next pull (`crm add`, `crm connect`). */
export async function registerInstance(tx: Tx, instance: CrmInstance, now: string): Promise<void> {
  await upsertInstance(tx, instance, now);
  await appendChanges(tx, [{ entity: 'config', entityId: 'workspace', version: 1, ownerId: null }], now);
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
