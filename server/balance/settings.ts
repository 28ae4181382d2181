import { BalanceSettings } from '../../core/schema';
import { readJson, writeJson } from '../store/json-column';
import type { Tx } from '../store/transaction';

const balanceKey = 'load_balance';

/** Core's defaults until the head saves their own (heavier early stages, no amount tiers, 85 % target). */
export async function readBalanceSettings(db: Tx): Promise<BalanceSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', balanceKey).executeTakeFirst();
  return BalanceSettings.parse(row ? readJson(row.value) : {});
}

export async function writeBalanceSettings(db: Tx, settings: BalanceSettings): Promise<BalanceSettings> {
  const parsed = BalanceSettings.parse(settings);
  const value = writeJson(parsed);
  await db
    .insertInto('settings')
    .values({ key: balanceKey, value })
    .onConflict((conflict) => conflict.column('key').doUpdateSet({ value }))
    .execute();
  return parsed;
}
