import { convert, dayNumber, isoDate, workCalendar, workingDaysInDays } from '../../core/plan';
import type { Deal, ExchangeRates, Period } from '../../core/schema';

export interface BurnUpInput {
  period: Period;
  today: string;
  target: number;
  /** The plan's currency: every amount of the progress figures is in it. */
  currency: string;
  /** Won deals of the scope closed in the period (GET /api/progress/deals). */
  deals: readonly Deal[];
  rates: ExchangeRates;
  reportingCurrency: string;
  holidays: readonly string[];
  weekendDays: readonly number[];
}

export interface BurnUpDay {
  date: string;
  /** Target × share of working days passed by the end of this day: where a scope on pace stands. */
  pace: number;
  /** Won so far by the end of this day; null after today. */
  actual: number | null;
}

export interface BurnUp {
  days: BurnUpDay[];
  /** Won deals whose amount could not be put in the plan's currency (no amount, currency or rate): not drawn. */
  notDrawn: number;
}

/**
 * The department's burn-up, one point per calendar day of the period: cumulative won amount and the pace line,
 * on the same working-day calendar and exchange rates the server uses for the progress figures.
 */
export function burnUp(input: BurnUpInput): BurnUp {
  const first = dayNumber(input.period.start);
  const last = dayNumber(input.period.end);
  const now = dayNumber(input.today);
  const calendar = workCalendar(input.holidays, input.weekendDays);
  const total = workingDaysInDays(first, last, calendar);

  const wonByDay = new Map<number, number>();
  let notDrawn = 0;
  for (const deal of input.deals) {
    if (deal.status !== 'won' || !deal.closedAt) continue;
    const amount = deal.amount !== null && deal.currency !== null ? convert(deal.amount, deal.currency, input.currency, input.rates, input.reportingCurrency) : null;
    if (amount === null) {
      notDrawn++;
      continue;
    }
    const day = dayNumber(deal.closedAt.slice(0, 10));
    wonByDay.set(day, (wonByDay.get(day) ?? 0) + amount);
  }

  const days: BurnUpDay[] = [];
  let cumulative = 0;
  for (let day = first; day <= last; day++) {
    cumulative += wonByDay.get(day) ?? 0;
    const elapsed = workingDaysInDays(first, day, calendar);
    days.push({
      date: isoDate(day),
      pace: total > 0 ? input.target * (elapsed / total) : input.target,
      actual: day <= now ? cumulative : null,
    });
  }
  return { days, notDrawn };
}
