import { DailyTotals, dayNumber, departmentProgress, isoDate, periodContaining, workCalendar, type WonCell } from '../../core/plan';
import type { Deal, DealKind, Period, ProgressQuery, ProgressResponse, User } from '../../core/schema';
import type { DealsTable } from '../store/tables';
import type { Tx } from '../store/transaction';
import { listUsers } from '../store/users';
import { listPlans } from './plans';
import { readFullSettings } from './settings';
import { readWonTotals, type WonSum } from './won-totals';

/**
 * Won totals read from the database's monthly aggregate, answering core/plan's questions the way its in-memory
 * DailyTotals would. It serves one period of whole months only — the one it was read for — and says so loudly
 * if asked about another, rather than answering with the wrong months.
 */
class PeriodWonTotals extends DailyTotals {
  constructor(
    private readonly byOwner: Map<string, Map<string, WonSum>>,
    private readonly period: Period,
  ) {
    super();
  }

  override wonBetween(ownerId: string | null, kind: DealKind, fromDay: number, toDay: number): Map<string, WonCell> {
    if (fromDay !== dayNumber(this.period.start) || toDay !== dayNumber(this.period.end)) {
      throw new Error(`won totals were read for ${this.period.start}…${this.period.end}, not ${isoDate(fromDay)}…${isoDate(toDay)} (${kind})`);
    }
    const owners = ownerId === null ? [...this.byOwner.values()] : [this.byOwner.get(ownerId) ?? new Map<string, WonSum>()];
    const result = new Map<string, WonCell>();
    for (const currencies of owners) {
      for (const [currency, sum] of currencies) {
        const cell = result.get(currency) ?? { cents: 0, count: 0, noAmount: 0 };
        cell.cents += sum.cents;
        cell.count += sum.count;
        cell.noAmount += sum.noAmount;
        result.set(currency, cell);
      }
    }
    return result;
  }
}

type PipelineRow = Pick<DealsTable, 'id' | 'owner_id' | 'currency' | 'amount' | 'probability' | 'expected_close'>;

/**
 * An open deal with just what the pipeline maths reads (planProgress looks at status, kind, owner, expected close,
 * amount, currency and probability). The columns come from one covering index, and the rows from our own table are
 * trusted: no zod parse per row on the hot path of /api/progress.
 */
function pipelineDeal(row: PipelineRow, kind: DealKind): Deal {
  return {
    id: row.id,
    crm: 'salesforce',
    crmId: row.id,
    recordType: 'deal',
    title: '',
    kind,
    amount: row.amount,
    currency: row.currency,
    stage: null,
    probability: row.probability,
    ownerId: row.owner_id,
    ownerLabel: null,
    segment: null,
    expectedClose: row.expected_close,
    status: 'open',
    closedAt: null,
    source: 'api',
    url: null,
    updatedAt: '',
    version: 1,
  };
}

/**
 * The progress view of one kind and period for one viewer: the department and the managers they may see. Won
 * deals come from the per-month aggregate; only the open deals expected to close in the rest of the period are
 * read, for the pipeline figures.
 */
export async function progressView(db: Tx, viewer: User, query: ProgressQuery, today: string): Promise<ProgressResponse> {
  const settings = await readFullSettings(db);
  const period = periodContaining(query.date ?? today, query.period, settings.fiscalYearStartMonth);
  const users = await listUsers(db);
  const isManager = viewer.role === 'manager';
  const managerIds = isManager ? [viewer.id] : users.filter((user) => user.role === 'manager').map((user) => user.id);

  const pipelineFrom = today > period.start ? today : period.start;
  const [plans, byOwner, openRows] = await Promise.all([
    listPlans(db, { kind: query.kind, period: query.period, start: period.start }),
    readWonTotals(db, query.kind, period.start.slice(0, 7), period.end.slice(0, 7)),
    pipelineFrom > period.end
      ? Promise.resolve([] as PipelineRow[])
      : db
          .selectFrom('deals')
          .select(['id', 'owner_id', 'currency', 'amount', 'probability', 'expected_close'])
          .where('status', '=', 'open')
          .where('kind', '=', query.kind)
          .where('expected_close', '>=', pipelineFrom)
          .where('expected_close', '<=', period.end)
          .execute(),
  ]);

  const progress = departmentProgress({
    plans,
    kind: query.kind,
    unit: query.period,
    start: period.start,
    managerIds,
    deals: openRows.map((row) => pipelineDeal(row, query.kind)),
    wonTotals: new PeriodWonTotals(byOwner, period),
    today,
    holidays: workCalendar(settings.holidays, settings.weekendDays),
    rates: settings.rates,
    reportingCurrency: settings.reportingCurrency,
  });

  const names = new Map(users.map((user) => [user.id, user.name]));
  const visible = new Set(managerIds);
  const department = isManager
    ? // A manager sees the team's figures, not which colleague's deals are behind an exclusion.
      { ...progress.department, excluded: progress.department.excluded.map((group) => ({ ...group, dealIds: [] })) }
    : progress.department;
  return {
    kind: query.kind,
    unit: query.period,
    period,
    today,
    reportingCurrency: settings.reportingCurrency,
    department,
    managers: progress.managers
      .filter((row) => row.ownerId !== null && (visible.has(row.ownerId) || !isManager))
      .map((row) => ({ ...row, name: names.get(row.ownerId ?? '') ?? row.ownerId ?? '' })),
    mismatch: isManager ? null : progress.mismatch,
  };
}
