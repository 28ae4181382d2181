import { PlanCalendarSettings, Settings, type SettingsPatch } from '../../core/schema';
import { readJson, writeJson } from '../store/json-column';
import type { Tx } from '../store/transaction';
import { readSettings, writeSettings } from '../store/workspace';

// Kept under its own key beside the workspace row, so code that reads and writes WorkspaceSettings alone
// (the CLI, the demo seed, /api/config) neither sees nor erases holidays and rates.
const calendarKey = 'plan_calendar';

export async function readPlanCalendar(db: Tx): Promise<PlanCalendarSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', calendarKey).executeTakeFirst();
  return PlanCalendarSettings.parse(row ? readJson(row.value) : {});
}

export async function readFullSettings(db: Tx): Promise<Settings> {
  return Settings.parse({ ...(await readSettings(db)), ...(await readPlanCalendar(db)) });
}

/** Why a settings change cannot be stored, or null when it can. */
export function settingsProblem(settings: Settings): string | null {
  const own = settings.rates[settings.reportingCurrency];
  if (own !== undefined && own !== 1) {
    return `rates.${settings.reportingCurrency} must be 1 or left out: ${settings.reportingCurrency} is the reporting currency`;
  }
  if (settings.weekendDays.length >= 7) return 'at least one day of the week must be a working day';
  return null;
}

/** Merges a patch into the stored settings; answers the whole, or a problem (nothing written). */
export async function updateSettings(db: Tx, patch: SettingsPatch): Promise<{ settings: Settings } | { problem: string }> {
  const current = await readFullSettings(db);
  const next = Settings.parse({ ...current, ...patch });
  next.holidays = [...new Set(next.holidays)].sort();
  next.weekendDays = [...new Set(next.weekendDays)].sort();
  const problem = settingsProblem(next);
  if (problem) return { problem };
  const { holidays, rates, weekendDays, calendarCountry, ...workspace } = next;
  await writeSettings(db, workspace);
  const value = writeJson({ holidays, rates, weekendDays, calendarCountry } satisfies PlanCalendarSettings);
  await db
    .insertInto('settings')
    .values({ key: calendarKey, value })
    .onConflict((conflict) => conflict.column('key').doUpdateSet({ value }))
    .execute();
  return { settings: next };
}
