import { DailyTotals, dayNumber, departmentProgress, isoDate, periodContaining, type WonCell } from '../../core/plan';
import { periodCalendars } from '../calendar/calendars';
import type { DealKind, Period, ProgressQuery, ProgressResponse, User } from '../../core/schema';
import type { Tx } from '../store/transaction';
import { pipelineForProgress } from './pipeline-deals';
import { plansForPeriod } from './plans';
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

/**
 * The progress view of one kind and period for one viewer: the department and the managers they may see. Won
 * deals come from the per-month totals, the open pipeline from the per-day totals; only open deals that cannot
 * be summed are read one by one. The maths is core/plan's departmentProgress.
 */
export async function progressView(db: Tx, viewer: User, query: ProgressQuery, today: string): Promise<ProgressResponse> {
  const settings = await readFullSettings(db);
  const period = periodContaining(query.date ?? today, query.period, settings.fiscalYearStartMonth);
  // Names and roles only: parsing every user's whole record would cost more than the maths.
  const users = await db.selectFrom('users').select(['id', 'name', 'role', 'team']).orderBy('id').execute();
  const calendars = await periodCalendars(db, period);
  const calendarOf = new Map(users.map((user) => [user.id, calendars.of(user)]));
  const isManager = viewer.role === 'manager';
  const managerIds = isManager ? [viewer.id] : users.filter((user) => user.role === 'manager').map((user) => user.id);

  const pipelineFrom = today > period.start ? today : period.start;
  const [plans, byOwner] = await Promise.all([
    plansForPeriod(db, query.kind, query.period, period.start),
    readWonTotals(db, query.kind, period.start.slice(0, 7), period.end.slice(0, 7)),
  ]);
  const planCurrencies = new Set([settings.reportingCurrency, ...plans.map((plan) => plan.currency)]);
  const pipeline = await pipelineForProgress(db, query.kind, pipelineFrom, period.end, planCurrencies, settings.rates, settings.reportingCurrency);

  const progress = departmentProgress({
    plans,
    kind: query.kind,
    unit: query.period,
    start: period.start,
    managerIds,
    deals: pipeline,
    wonTotals: new PeriodWonTotals(byOwner, period),
    today,
    holidays: calendars.department.calendar,
    calendarOf: (ownerId) => (calendarOf.get(ownerId) ?? calendars.department).calendar,
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
      .map((row) => ({ ...row, name: names.get(row.ownerId ?? '') ?? row.ownerId ?? '', calendar: (calendarOf.get(row.ownerId ?? '') ?? calendars.department).info })),
    mismatch: isManager ? null : progress.mismatch,
    calendar: calendars.department.info,
  };
}
