import type { BalanceState, Deal, User } from '../../core/schema';
import { dealFromRow } from '../store/deals';
import type { Tx } from '../store/transaction';
import { listUsersByRole } from '../store/users';
import { readSettings } from '../store/workspace';
import { readBalanceSettings } from './settings';

export interface LoadedState {
  state: BalanceState;
  managers: User[];
  /** Open deals as stored, before approved moves are applied. */
  stored: Map<string, Deal>;
}

/**
 * Managers and their open deals, as core/balance wants them. A deal with an approved move counts as the target's
 * already: the head has decided, only the CRM owner field lags, and counting it at the old owner would suggest
 * moving more of that manager's deals than needed (or this one again).
 */
export async function loadBalanceState(db: Tx, today: string): Promise<LoadedState> {
  const managers = await listUsersByRole(db, 'manager');
  const rows = await db.selectFrom('deals').selectAll().where('status', '=', 'open').where('owner_id', 'is not', null).execute();
  const approved = await db.selectFrom('moves').select(['deal_id', 'to_id']).where('status', '=', 'approved').execute();
  const approvedTo = new Map(approved.map((m) => [m.deal_id, m.to_id]));
  const stored = new Map<string, Deal>();
  const deals: Deal[] = [];
  for (const row of rows) {
    const deal = dealFromRow(row);
    stored.set(deal.id, deal);
    const to = approvedTo.get(deal.id);
    deals.push(to === undefined ? deal : { ...deal, ownerId: to });
  }
  const [settings, workspace] = await Promise.all([readBalanceSettings(db), readSettings(db)]);
  return { state: { managers, deals, today, settings, reportingCurrency: workspace.reportingCurrency }, managers, stored };
}
