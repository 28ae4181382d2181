import { said, translator, type Said } from '../../core/i18n';
import type { User } from '../../core/schema';
import { importMessages } from '../import/i18n';
import type { DealsTable } from '../store/tables';
import type { Tx } from '../store/transaction';

/**
 * Who writes a deal: a Headway user (their device, or the page their sidebar read), or a feed that speaks for the
 * workspace (a CRM workflow's service token, an admin's command on the server), named as its history shows it.
 */
export type DealAuthor = { user: User } | { feed: string };

/** The columns that make the plan figures: who owns a deal, whether and when it was won, and for how much. */
const figureColumns = ['owner_id', 'status', 'amount', 'currency', 'closed_at'] as const satisfies readonly (keyof DealsTable)[];

const figureNames = {
  owner_id: 'dealField.owner',
  status: 'dealField.status',
  amount: 'dealField.amount',
  currency: 'dealField.currency',
  closed_at: 'dealField.closedAt',
} as const satisfies Record<(typeof figureColumns)[number], keyof typeof importMessages.en>;

/**
 * The one rule of who may change which deal, shared by every path that writes one (all through upsertDeal):
 * PUT /api/deals/:crm/:crmId and the CSV import (head, admin, service tokens: the route lets no one else in) and
 * the `deal.capture` a sidebar sends for whoever opened the page. A page read is not an authority:
 *
 * - head, admin, service tokens and the server's command line: any field of any deal (they feed the workspace,
 *   exactly as they may through PUT /api/deals).
 * - manager and exec: never the figures of a deal already kept (owner, status, amount, currency, closedAt), which
 *   they cannot change through the API either; the descriptive fields a page shows (title, stage, probability,
 *   expected close, segment, link) they may. One exception the head of sales already decided: an approved move of
 *   that deal, whose target the CRM now shows as owner (that is how the move gets done). A new deal they add only
 *   as its owner, or without one while it is open: a deal nobody kept yet rewrites nobody's figures.
 *
 * Answers why the write is refused (worded in the reader's language when shown), or null when it may go ahead. `approvedMoveTo` is asked only when it matters.
 * Every write that goes ahead is kept in the deal's history (deal-history.ts), with its author.
 */
export async function refusalOfDealChange(
  author: DealAuthor,
  previous: DealsTable | null,
  next: DealsTable,
  approvedMoveTo: () => Promise<string | null>,
): Promise<Said | null> {
  if ('feed' in author) return null;
  const { user } = author;
  if (user.role === 'head' || user.role === 'admin') return null;
  if (previous === null) {
    return next.owner_id === user.id || (next.owner_id === null && next.status === 'open')
      ? null
      : said(importMessages, 'authority.newDeal');
  }
  const changed = figureColumns.filter((column) => previous[column] !== next[column]);
  if (changed.length === 0) return null;
  if (changed.length === 1 && changed[0] === 'owner_id' && next.owner_id !== null && next.owner_id === (await approvedMoveTo())) return null;
  const fields: Said = {
    key: 'dealFields',
    params: {},
    render: (locale) => changed.map((column) => translator(importMessages, locale)(figureNames[column])).join(', '),
  };
  return said(importMessages, 'authority.figures', { fields });
}

/** The target of the deal's approved move, if the head of sales approved one. */
export async function approvedMoveTarget(tx: Tx, dealId: string): Promise<string | null> {
  const move = await tx.selectFrom('moves').select('to_id').where('deal_id', '=', dealId).where('status', '=', 'approved').executeTakeFirst();
  return move?.to_id ?? null;
}
