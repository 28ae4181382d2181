import { translator, type Locale } from '../../core/i18n';
import { planMessages } from './i18n';
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

/**
 * Axis values from 0 past `max` in round steps (1, 2, 2.5 or 5 × a power of ten), about `count` of them, so every
 * line the chart draws (the run-rate projection above the target too) lies under a labelled value.
 */
export function axisTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / (count - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough)!;
  const ticks: number[] = [];
  for (let value = 0; value < max + step; value += step) ticks.push(Math.round(value * 1e6) / 1e6);
  return ticks;
}

/** Below this many won deals a run rate says little: one more or one fewer deal swings it by tens of percent. */
export const FEW_WON = 5;

/** What the run-rate projection rests on, so a 273 % drawn from three deals is read as such. */
export function runRateEvidence(wonDeals: number, locale: Locale = 'en'): string {
  const t = translator(planMessages, locale);
  if (wonDeals === 0) return t('noWonYet');
  return t(wonDeals < FEW_WON ? 'restsOnOnly' : 'fromWon', { count: wonDeals });
}
