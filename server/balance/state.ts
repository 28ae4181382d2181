import type { BalanceState, Deal, User } from '../../core/schema';
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

type DealQuery = ReturnType<typeof openDeals>;

function openDeals(db: Tx) {
  return db.selectFrom('deals').selectAll().where('status', '=', 'open').where('owner_id', 'is not', null);
}

/**
 * Rows come from the deals table, which only validated paths write; parsing 200,000 of them with zod on every
 * load request would cost seconds, so they are mapped field by field.
 */
function dealOf(row: Awaited<ReturnType<DealQuery['execute']>>[number]): Deal {
  return {
    id: row.id,
    crm: row.crm as Deal['crm'],
    crmId: row.crm_id,
    recordType: row.record_type as Deal['recordType'],
    title: row.title,
    kind: row.kind as Deal['kind'],
    amount: row.amount,
    currency: row.currency,
    stage: row.stage,
    probability: row.probability,
    ownerId: row.owner_id,
    ownerLabel: row.owner_label,
    segment: row.segment,
    expectedClose: row.expected_close,
    status: row.status as Deal['status'],
    closedAt: row.closed_at,
    source: row.source as Deal['source'],
    url: row.url,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/**
 * Managers and their open deals, as core/balance wants them. A deal with an approved move counts as the target's
 * already: the head has decided, only the CRM owner field lags, and counting it at the old owner would suggest
 * moving more of that manager's deals than needed (or this one again).
 * With `onlyManager`, just that manager and the deals that count as theirs (the deal sidebar's cheap path).
 */
export async function loadBalanceState(db: Tx, today: string, onlyManager?: User): Promise<LoadedState> {
  const managers = onlyManager ? [onlyManager] : await listUsersByRole(db, 'manager');
  const approved = await db.selectFrom('moves').select(['deal_id', 'to_id']).where('status', '=', 'approved').execute();
  const approvedTo = new Map(approved.map((m) => [m.deal_id, m.to_id]));
  let query = openDeals(db);
  if (onlyManager) {
    const incoming = approved.filter((m) => m.to_id === onlyManager.id).map((m) => m.deal_id);
    query = query.where((eb) => eb.or([eb('owner_id', '=', onlyManager.id), ...(incoming.length > 0 ? [eb('id', 'in', incoming)] : [])]));
  }
  const rows = await query.execute();
  const stored = new Map<string, Deal>();
  const deals: Deal[] = [];
  for (const row of rows) {
    const deal = dealOf(row);
    stored.set(deal.id, deal);
    const to = approvedTo.get(deal.id);
    deals.push(to === undefined ? deal : { ...deal, ownerId: to });
  }
  const [settings, workspace] = await Promise.all([readBalanceSettings(db), readSettings(db)]);
  return { state: { managers, deals, today, settings, reportingCurrency: workspace.reportingCurrency }, managers, stored };
}
