import { describe, expect, it } from 'vitest';
import { isoCurrencyCodes } from '../../../core/format/currency-codes';
import { formatDateTime } from '../../../core/format/date-time';
import { formatMoney, groupDigits } from '../../../core/format/money';

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
