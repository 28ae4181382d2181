import { dayNumber, isoDate, periodContaining } from '../../core/plan';
import type { ProgressDealsQuery, ProgressDealsResponse } from '../../core/schema';
import { dealFromRow } from '../store/deals';
import type { Tx } from '../store/transaction';
import { readFullSettings } from './settings';

/**
 * The deals behind a progress figure: won (or lost) deals closed in the period, or open deals expected to close
 * in it, for one owner ("none" = unassigned) or the whole department (ownerId null). Closing dates compare as
 * text on their date part, exactly as the won totals bucket them.
 */
export async function progressDeals(db: Tx, query: ProgressDealsQuery, ownerId: string | null, today: string): Promise<ProgressDealsResponse> {
  const settings = await readFullSettings(db);
  const period = periodContaining(query.date ?? today, query.period, settings.fiscalYearStartMonth);
  const dayAfter = isoDate(dayNumber(period.end) + 1);
  let select = db.selectFrom('deals').where('kind', '=', query.kind).where('status', '=', query.status);
  select =
    query.status === 'open'
      ? select.where('expected_close', '>=', period.start).where('expected_close', '<=', period.end)
      : select.where('closed_at', '>=', period.start).where('closed_at', '<', dayAfter);
  if (ownerId === 'none') select = select.where('owner_id', 'is', null);
  else if (ownerId !== null) select = select.where('owner_id', '=', ownerId);
  if (query.currency === 'none') select = select.where('currency', 'is', null);
  else if (query.currency !== undefined) select = select.where('currency', '=', query.currency);

  const total = await select.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  const rows = await select
    .selectAll()
    .orderBy(query.status === 'open' ? 'expected_close' : 'closed_at')
    .orderBy('id')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  return { period, total: Number(total.n), deals: rows.map(dealFromRow) };
}
