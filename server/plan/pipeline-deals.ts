import { sql } from 'kysely';
import { rateOf } from '../../core/plan';
import type { Deal, DealKind, ExchangeRates } from '../../core/schema';
import type { DealsTable } from '../store/tables';
import type { Tx } from '../store/transaction';
import { readPipelineTotals, type PipelineSum } from './pipeline-totals';
import { unassignedOwnerKey } from './won-totals';

type PipelineRow = Pick<DealsTable, 'id' | 'owner_id' | 'currency' | 'amount' | 'probability' | 'expected_close'>;

function openDeal(fields: Pick<Deal, 'id' | 'kind' | 'ownerId' | 'currency' | 'amount' | 'probability' | 'expectedClose'>): Deal {
  return {
    ...fields,
    crm: 'salesforce',
    instance: null,
    crmId: fields.id,
    recordType: 'deal',
    title: '',
    stage: null,
    ownerLabel: null,
    segment: null,
    status: 'open',
    closedAt: null,
    source: 'api',
    url: null,
    updatedAt: '',
    version: 1,
  };
}

/**
 * One owner's summed pipeline in one currency as the two open "deals" core/plan's planProgress turns back into
 * exactly those sums: the weighted part at 100 % and the rest at 0 %. planProgress adds toCents(amount) to the
 * open pipeline and toCents(amount × probability ÷ 100) to the weighted one, so the pair adds `cents` and
 * `weightedCents` to the cent. Thus all the maths stays in core/plan, and the server hands it a few hundred
 * entries instead of every open deal. (They never show up as deals: only excluded deals are listed by id.)
 */
function balancingEntries(sum: PipelineSum, kind: DealKind, day: string): Deal[] {
  const ownerId = sum.ownerKey === unassignedOwnerKey ? null : sum.ownerKey;
  const base = { kind, ownerId, currency: sum.currency, expectedClose: day };
  return [
    openDeal({ ...base, id: `pipeline:${sum.ownerKey}:${sum.currency}:weighted`, amount: sum.weightedCents / 100, probability: 100 }),
    openDeal({ ...base, id: `pipeline:${sum.ownerKey}:${sum.currency}:rest`, amount: (sum.cents - sum.weightedCents) / 100, probability: 0 }),
  ];
}

/**
 * The open deals planProgress needs for the pipeline of [fromDay, toDay]: summed per owner and currency from the
 * pipeline totals where a currency converts into every plan currency in view, and read one by one otherwise
 * (no amount, currency or probability, or no rate) so that core/plan can list them as excluded, by id.
 */
export async function pipelineForProgress(
  db: Tx,
  kind: DealKind,
  fromDay: string,
  toDay: string,
  planCurrencies: ReadonlySet<string>,
  rates: ExchangeRates,
  reportingCurrency: string,
): Promise<Deal[]> {
  if (fromDay > toDay) return [];
  const convertible = (currency: string) =>
    [...planCurrencies].every((plan) => currency === plan || (rateOf(currency, rates, reportingCurrency) !== null && rateOf(plan, rates, reportingCurrency) !== null));
  const all = await readPipelineTotals(db, kind, fromDay, toDay);
  const sums = all.filter((sum) => convertible(sum.currency));
  const unconvertible = [...new Set(all.filter((sum) => !convertible(sum.currency)).map((sum) => sum.currency))];
  const select = () =>
    db
      .selectFrom('deals')
      .select(['id', 'owner_id', 'currency', 'amount', 'probability', 'expected_close'])
      .where('kind', '=', kind)
      .where('expected_close', '>=', fromDay)
      .where('expected_close', '<=', toDay);
  // Literals, not parameters, so that SQLite sees the partial index's own condition and uses it.
  const unsummable = await select()
    .where('status', '=', sql.lit('open'))
    .where(sql<boolean>`(amount is null or currency is null or probability is null)`)
    .execute();
  // Summable deals in a currency some plan in view cannot convert: read one by one so they are listed by id.
  const unconverted: PipelineRow[] = unconvertible.length === 0 ? [] : await select().where('status', '=', 'open').where('currency', 'in', unconvertible).execute();
  const rows = [...unsummable, ...unconverted];
  return [
    ...sums.flatMap((sum) => balancingEntries(sum, kind, fromDay)),
    ...rows.map((row) =>
      openDeal({ id: row.id, kind, ownerId: row.owner_id, currency: row.currency, amount: row.amount, probability: row.probability, expectedClose: row.expected_close }),
    ),
  ];
}
