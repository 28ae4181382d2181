import type { CrmWords } from './words';

// How SuiteCRM 7 prints values with the demo user's preferences: en_us writes the symbol before the amount
// ("€141,200.00"), ru_RU groups with spaces, a decimal comma and the symbol after ("141 200,00 ₽").
const symbols: Record<string, string> = { EUR: '€', USD: '$', RUB: '₽' };

export function formatAmount(amount: number | null, currency: string | null, words: CrmWords): string {
  if (amount === null) return '';
  const symbol = symbols[currency ?? ''];
  if (words.lang === 'ru') {
    const [whole, cents] = amount.toFixed(2).split('.');
    const digits = `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')},${cents}`;
    return symbol ? `${digits} ${symbol}` : `${currency ?? ''} ${digits}`;
  }
  return `${symbol ?? `${currency ?? ''} `}${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function currencyName(currency: string | null, words: CrmWords): string {
  return words.currencies[currency ?? ''] ?? currency ?? '';
}
