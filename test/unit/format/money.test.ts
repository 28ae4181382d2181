import { describe, expect, it } from 'vitest';
import { isoCurrencyCodes } from '../../../core/format/currency-codes';
import { formatDateTime, formatDay, formatDayMonth, monthName } from '../../../core/format/date-time';
import { formatMoney, formatMoneyCompact, groupDigits } from '../../../core/format/money';

const intlMoney = (amount: number, currency: string) =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);

describe('formatMoney', () => {
  it('writes every ISO currency exactly as en-GB Intl does', () => {
    const amounts = [0, 7, 38_500, 1_234_567.5, -2_500, -0.4, 999.5, 12_345_678_901];
    for (const currency of Intl.supportedValuesOf('currency')) {
      for (const amount of amounts) expect(formatMoney(amount, currency), `${amount} ${currency}`).toBe(intlMoney(amount, currency));
    }
  });

  it('writes well-formed codes Intl has no data for as the code, and keeps malformed ones after the figure', () => {
    expect(formatMoney(38_500, 'ABC')).toBe(intlMoney(38_500, 'ABC'));
    expect(formatMoney(10, 'XX1')).toBe('10 XX1');
    expect(formatMoney(-1234.6, undefined)).toBe('-1,235');
  });
});

describe('groupDigits', () => {
  it('matches en-GB Intl for whole numbers and for up to three decimals', () => {
    const values = [0, 1, 12, 999, 1000, 12_500.5, 1_000_000, 0.0005, 0.25, 1234.125, -0.0004, -98_765.4321, 2 ** 40];
    for (const value of values) {
      expect(groupDigits(value), String(value)).toBe(value.toLocaleString('en-GB', { maximumFractionDigits: 0 }));
      expect(groupDigits(value, 3), String(value)).toBe(value.toLocaleString('en-GB', { maximumFractionDigits: 3 }));
    }
  });

  it('writes what is no finite figure as JavaScript does', () => {
    expect(groupDigits(Number.NaN)).toBe('NaN');
    expect(groupDigits(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});

describe('formatDateTime', () => {
  it('matches en-GB Intl medium date and short time in the local zone', () => {
    const samples = ['2026-11-27T09:05:00Z', '2026-09-07T19:45:30Z', '2027-01-01T00:00:00Z', '2026-03-29T01:30:00Z', '2026-12-31T23:59:59.999Z'];
    for (let month = 0; month < 12; month++) samples.push(new Date(2026, month, 15, 13, 7).toISOString());
    for (const iso of samples) {
      expect(formatDateTime(iso), iso).toBe(new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }));
    }
  });

  it('returns text that is no date unchanged', () => {
    expect(formatDateTime('next Tuesday')).toBe('next Tuesday');
  });
});

describe('isoCurrencyCodes', () => {
  it('is the list Intl knows, so adapters need not ask Intl on the CRM tab', () => {
    expect([...isoCurrencyCodes].sort()).toEqual([...Intl.supportedValuesOf('currency')].sort());
  });
});

describe('formatMoneyCompact', () => {
  it('writes K, M, B with one decimal at most, and moves up a step rather than write 1,000 of one', () => {
    const cases: [number, string][] = [
      [0, '€0'], [740, '€740'], [999, '€999'], [1000, '€1K'], [1050, '€1.1K'], [12_345, '€12.3K'], [99_950, '€100K'],
      [999_949, '€999.9K'], [999_950, '€1M'], [1_420_000, '€1.4M'], [2_500_000_000, '€2.5B'], [-1500, '-€1.5K'],
    ];
    for (const [amount, text] of cases) expect(formatMoneyCompact(amount, 'EUR'), String(amount)).toBe(text);
    expect(formatMoneyCompact(38_500, 'CHF')).toBe('CHF\u00a038.5K');
  });
});

describe('calendar days', () => {
  it('writes a day as the server counts it (UTC), whatever the reader’s time zone', () => {
    expect(formatDay('2026-12-07')).toBe('7 Dec 2026');
    expect(formatDay('2026-09-30T23:30:00.000Z')).toBe('30 Sept 2026');
    expect(formatDayMonth('2026-01-02')).toBe('2 Jan');
    expect(formatDay('soon')).toBe('soon');
    expect(monthName(11, 'long')).toBe('December');
  });
});
