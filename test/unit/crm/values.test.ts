import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, parseCurrency, parseDate, parseMoney, parseProbability } from '../../../core/crm/values';

describe('parseMoney', () => {
  it.each([
    ['€1,234.50', { amount: 1234.5, currency: 'EUR' }],
    ['1.234,50 €', { amount: 1234.5, currency: 'EUR' }],
    ['1 234,50 €', { amount: 1234.5, currency: 'EUR' }],
    ['1\u202f234,50\u00a0€', { amount: 1234.5, currency: 'EUR' }],
    ["CHF 1'234.50", { amount: 1234.5, currency: 'CHF' }],
    ['USD 12,000.00', { amount: 12000, currency: 'USD' }],
    ['12.000,00 EUR', { amount: 12000, currency: 'EUR' }],
    ['£950', { amount: 950, currency: 'GBP' }],
    ['₹12,34,567.00', { amount: 1234567, currency: 'INR' }],
    ['R$ 1.500,00', { amount: 1500, currency: 'BRL' }],
    ['CA$2,000', { amount: 2000, currency: 'CAD' }],
    ['1 500 000 ₽', { amount: 1500000, currency: 'RUB' }],
    ['EUR 900.00 (USD 1,000.00)', { amount: 900, currency: 'EUR' }],
    ['€1,5 Mio', { amount: 1500000, currency: 'EUR' }],
    ['USD 0.5', { amount: 0.5, currency: 'USD' }],
  ])('%s', (text, expected) => {
    expect(parseMoney(text)).toEqual(expected);
  });

  it('reads a bare "$" amount without naming a currency: $ is USD, CAD, AUD, MXN…', () => {
    expect(parseMoney('$12K')).toEqual({ amount: 12000 });
    expect(parseMoney('$1.2M')).toEqual({ amount: 1200000 });
    expect(parseMoney('$1,234,567.89')).toEqual({ amount: 1234567.89 });
    expect(parseMoney('¥120,000')).toEqual({ amount: 120000 });
  });

  it('takes the currency from a separate field when the amount names none', () => {
    expect(parseMoney('$12,000.00', 'USD')).toEqual({ amount: 12000, currency: 'USD' });
    expect(parseMoney('€12,000.00', 'USD')).toEqual({ amount: 12000, currency: 'EUR' });
  });

  it.each([
    ['1,234', 'KWD'], // a three-decimal currency: 1.234 or 1234
    ['1.250K', undefined], // 1250K or 1.25K
    ['1.234.56', undefined], // not a grouping
    ['1,2,3', undefined],
    ['12 deals', undefined],
    ['-€500', undefined], // Money is never negative
    ['(500.00)', undefined],
    ['', undefined],
    ['—', undefined],
    ['EUR', undefined],
    ['99999999999999', undefined], // above Money's 1e13
  ])('gives no amount for %s', (text, known) => {
    expect(parseMoney(text, known).amount).toBeUndefined();
  });

  it('never returns an amount outside the Money schema, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const { amount, currency } = parseMoney(text);
        if (amount !== undefined) expect(Number.isFinite(amount) && amount >= 0 && amount <= 1e13).toBe(true);
        if (currency !== undefined) expect(currency).toMatch(/^[A-Z]{3}$/);
      }),
    );
  });

  it('reads back what Intl formats, in several locales', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.constantFrom('en-US', 'de-DE', 'fr-FR', 'de-CH', 'en-IN', 'es-ES', 'pl-PL'),
        (cents, locale) => {
          const value = cents / 100;
          const text = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(value);
          const parsed = parseMoney(text);
          // es-ES omits grouping below 10,000 and writes "1234,50 €": both readings stay exact.
          expect(parsed).toEqual({ amount: value, currency: 'EUR' });
        },
      ),
    );
  });
});

describe('parseCurrency', () => {
  it.each([
    ['EUR - Euro', 'EUR'],
    ['US Dollars', 'USD'],
    ['Euro', 'EUR'],
    ['zł', 'PLN'],
    ['$', undefined],
    ['USD / EUR', undefined],
    ['ABC', undefined],
    ['', undefined],
  ])('%s → %s', (text, expected) => {
    expect(parseCurrency(text)).toBe(expected);
  });
});

describe('parseDate', () => {
  it.each([
    ['2025-03-15', '2025-03-15'],
    ['2025-03-15T10:00:00Z', '2025-03-15'],
    ['2025/03/15', '2025-03-15'],
    ['15.03.2025', '2025-03-15'],
    ['5. 3. 2025', '2025-03-05'],
    ['15/03/2025', '2025-03-15'],
    ['03/15/2025', '2025-03-15'],
    ['Mar 15, 2025', '2025-03-15'],
    ['March 15 2025', '2025-03-15'],
    ['15 March 2025', '2025-03-15'],
    ['15-Mar-2025', '2025-03-15'],
    ['29.02.2024', '2024-02-29'],
  ])('%s → %s', (text, expected) => {
    expect(parseDate(text)).toBe(expected);
  });

  it.each(['04/05/2025', '12/11/2025', '30.02.2025', '2025-13-01', '15/03/25', 'Smarch 3, 2025', 'next week', ''])(
    'refuses to guess %s',
    (text) => {
      expect(parseDate(text)).toBeUndefined();
    },
  );
});

describe('parseProbability', () => {
  it.each([
    ['75%', 75],
    ['75 %', 75],
    ['10', 10],
    ['12,5 %', 12.5],
    ['0%', 0],
    ['100', 100],
  ])('%s → %s', (text, expected) => {
    expect(parseProbability(text)).toBe(expected);
  });

  it.each(['150%', '-5%', 'high', ''])('refuses %s', (text) => {
    expect(parseProbability(text)).toBeUndefined();
  });
});

describe('cleanText', () => {
  it('collapses whitespace and drops control characters but keeps bidi marks and RTL text', () => {
    expect(cleanText('  Big\n\t deal\u0007 ', 50)).toBe('Big deal');
    expect(cleanText('\u202eشركة النور\u202c', 50)).toBe('\u202eشركة النور\u202c');
  });

  it('clamps without splitting a surrogate pair', () => {
    expect(cleanText(`${'a'.repeat(499)}😀tail`, 500)).toBe('a'.repeat(499));
    expect(cleanText('x'.repeat(1_000_000), 500)).toHaveLength(500);
  });

  it('clamps a megabyte of leading whitespace and text cheaply', () => {
    expect(cleanText(`${' '.repeat(1_000_000)}Deal`, 500)).toBe('Deal');
  });
});
