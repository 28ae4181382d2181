import type { Locale } from '../../core/i18n';
import type { BalanceState, Deal, User } from '../../core/schema';
import { readFullSettings } from '../plan/settings';
import type { Tx } from '../store/transaction';
import { listUsersByRole } from '../store/users';
import { dealOfRow } from '../store/deals';
import { readAllOpenDeals, type OpenDealsSnapshot } from './open-deals';
import { readBalanceSettings } from './settings';

export interface LoadedState {
  state: BalanceState;
  managers: User[];
  /** Open deals as stored, before approved moves are applied. */
  stored: ReadonlyMap<string, Deal>;
  /**
   * Everything the suggestions depend on besides the deals' own rows, plus the version of those rows when they
   * came from the cache: equal keys mean equal suggestions. null when the deals were read without the cache.
   */
  key: string | null;
}

export interface StateOptions {
  /** Just this manager and the deals that count as theirs (the deal sidebar's cheap path). */
  onlyManager?: User;
  /** Open deals from this process's cache instead of a read of all of them (see open-deals.ts). */
  cached?: OpenDealsSnapshot;
  /** The reader's language, which the suggestions' reasons are written in; English when not given. */
  locale?: Locale;
}

/**
 * Managers and their open deals, as core/balance wants them, with the workspace's exchange rates so that amount
 * tiers compare amounts in the reporting currency. A deal with an approved move counts as the target's already:
 * the head has decided, only the CRM owner field lags, and counting it at the old owner would suggest moving more
 * of that manager's deals than needed (or this one again).
 */
export async function loadBalanceState(db: Tx, today: string, options: StateOptions = {}): Promise<LoadedState> {
  const { onlyManager, locale = 'en' } = options;
  const snapshot = onlyManager ? null : options.cached ?? null;
  const managers = onlyManager ? [onlyManager] : await listUsersByRole(db, 'manager');
  const approved = await db.selectFrom('moves').select(['deal_id', 'to_id']).where('status', '=', 'approved').orderBy('deal_id').execute();
  const [settings, workspace] = await Promise.all([readBalanceSettings(db), readFullSettings(db)]);

  let stored: ReadonlyMap<string, Deal>;
  let storedDeals: readonly Deal[];
  if (snapshot) {
    stored = snapshot.byId;
    storedDeals = snapshot.deals;
  } else if (onlyManager) {
    const incoming = approved.filter((m) => m.to_id === onlyManager.id).map((m) => m.deal_id);
    const rows = await db
      .selectFrom('deals')
      .selectAll()
      .where('status', '=', 'open')
      .where((eb) => eb.or([eb('owner_id', '=', onlyManager.id), ...(incoming.length > 0 ? [eb('id', 'in', incoming)] : [])]))
      .execute();
    storedDeals = rows.map(dealOfRow);
    stored = new Map(storedDeals.map((d) => [d.id, d]));
  } else {
    storedDeals = await readAllOpenDeals(db);
    stored = new Map(storedDeals.map((d) => [d.id, d]));
  }

  // Only the deals with an approved move are copied; the rest of the array is shared with the cache.
  let deals = storedDeals;
  const moved = approved.filter((m) => stored.get(m.deal_id)?.ownerId !== m.to_id && stored.has(m.deal_id));
  if (moved.length > 0) {
    const to = new Map(moved.map((m) => [m.deal_id, m.to_id]));
    deals = storedDeals.map((deal) => {
      const target = to.get(deal.id);
      return target === undefined ? deal : { ...deal, ownerId: target };
    });
  }
  const state: BalanceState = { managers, deals: deals as Deal[], today, settings, rates: workspace.rates, reportingCurrency: workspace.reportingCurrency, locale };
  const key = snapshot
    ? JSON.stringify([snapshot.version, today, managers, settings, workspace.rates, workspace.reportingCurrency, moved, locale])
    : null;
  return { state, managers, stored, key };
}
