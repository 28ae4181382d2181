import { BalanceSettings, type BalanceSettingsPatch } from '../../core/schema';
import { readJson, writeJson } from '../store/json-column';
import type { Tx } from '../store/transaction';

const balanceKey = 'load_balance';

/** Core's defaults until the head saves their own (heavier early stages, no amount tiers, 85 % target). */
export async function readBalanceSettings(db: Tx): Promise<BalanceSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', balanceKey).executeTakeFirst();
  return BalanceSettings.parse(row ? readJson(row.value) : {});
}

/** Applies a PUT: the fields sent replace the stored ones. Answers why not, writing nothing, when the result is inconsistent. */
export async function updateBalanceSettings(db: Tx, patch: BalanceSettingsPatch): Promise<{ settings: BalanceSettings } | { problem: string }> {
  const next = BalanceSettings.safeParse({ ...(await readBalanceSettings(db)), ...patch });
  if (!next.success) return { problem: next.error.issues.map((issue) => issue.message).join('; ') };
  const value = writeJson(next.data);
  await db
    .insertInto('settings')
    .values({ key: balanceKey, value })
    .onConflict((conflict) => conflict.column('key').doUpdateSet({ value }))
    .execute();
  return { settings: next.data };
}
