/**
 * Numbers and amounts written exactly as en-GB's Intl.NumberFormat writes them (the sidebar speaks British
 * English, as the background's plan lines do), but without Intl. The sidebar runs on the CRM's own tab, and that
 * tab's first Intl formatter loads ICU's locale data: a 25–100 ms task on the 2-core bench machine, a long task on
 * the CRM page each time it loads. test/unit/format/money.test.ts holds every ISO currency to Intl's own output.
 */

/** en-GB's narrow symbols; every other ISO code is written as the code itself ("CHF 38,500"). */
const symbols: Readonly<Record<string, string>> = {
  AUD: 'A$', BRL: 'R$', CAD: 'CA$', CNY: 'CN¥', EUR: '€', GBP: '£', HKD: 'HK$', ILS: '₪', INR: '₹', JPY: 'JP¥',
  KRW: '₩', MXN: 'MX$', NZD: 'NZ$', PHP: '₱', TWD: 'NT$', USD: 'US$', VND: '₫', XAF: 'FCFA', XCD: 'EC$',
  XCG: 'Cg.', XOF: 'F\u202fCFA', XPF: 'CFPF',
};

/** How a language writes a number's separators. */
export interface DigitStyle {
  group: string;
  decimal: string;
}

export const englishDigits: DigitStyle = { group: ',', decimal: '.' };

/** "1,234,567.5": grouped by thousands, rounded half away from zero to at most `maxFractionDigits`. */
export function groupDigits(value: number, maxFractionDigits = 0, style: DigitStyle = englishDigits): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = Math.abs(value).toFixed(maxFractionDigits);
  // toFixed writes exponents from 1e21 on; such a figure is no amount anyone sells for.
  if (fixed.includes('e')) return String(value);
  const [whole = '0', fraction = ''] = fixed.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  const text = whole.replace(/\B(?=(\d{3})+(?!\d))/g, style.group) + (trimmed ? `${style.decimal}${trimmed}` : '');
  return value < 0 || Object.is(value, -0) ? `-${text}` : text;
}

/**
 * "€38,500", "CHF 38,500", "38,500" without a currency; a malformed code follows the figure ("10 XX1").
 * Whole units unless asked for more (a negotiated unit price: "€12.75").
 */
export function formatMoney(amount: number, currency?: string, maxFractionDigits = 0): string {
  const digits = groupDigits(amount, maxFractionDigits);
  if (!currency) return digits;
  if (!/^[A-Z]{3}$/.test(currency)) return `${digits} ${currency}`;
  const symbol = symbols[currency] ?? currency;
  const sign = digits.startsWith('-') ? '-' : '';
  const figure = sign ? digits.slice(1) : digits;
  // ICU's currency spacing: a symbol that ends in a letter or a dot is kept apart by a no-break space.
  return `${sign}${symbol}${/[\p{L}.]$/u.test(symbol) ? '\u00a0' : ''}${figure}`;
}

const compactSteps = [
  { size: 1e12, suffix: 'T' },
  { size: 1e9, suffix: 'B' },
  { size: 1e6, suffix: 'M' },
  { size: 1e3, suffix: 'K' },
] as const;

export interface CompactStep {
  size: number;
  suffix: string;
}

/**
 * An amount in the largest step it reaches, one decimal at most: `write` gets the signed figure in that step and
 * the step's suffix, or no suffix below the smallest step. A figure that rounds up to 1,000 of a step is written
 * in the next ("€1M", not "€1,000K"). Each language brings its steps and its way of writing them.
 */
export function compactAmount(amount: number, steps: readonly CompactStep[], write: (figure: number, suffix: string | null) => string): string {
  const magnitude = Math.abs(amount);
  const sign = amount < 0 ? -1 : 1;
  for (const [index, step] of steps.entries()) {
    if (magnitude < step.size) continue;
    const scaled = Math.round((magnitude / step.size) * 10) / 10;
    const bigger = index > 0 && scaled >= 1000 ? steps[index - 1]! : null;
    return bigger ? write(sign * (scaled / 1000), bigger.suffix) : write(sign * scaled, step.suffix);
  }
  return write(amount, null);
}

/** "€1.4M", "€950K", "€740": chart axes and tight spots. One decimal at most, none when it is zero. */
export function formatMoneyCompact(amount: number, currency?: string): string {
  return compactAmount(amount, compactSteps, (figure, suffix) => (suffix === null ? formatMoney(figure, currency) : `${formatMoney(figure, currency, 1)}${suffix}`));
}
