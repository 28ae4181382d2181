// How SuiteCRM 7 prints values with the demo user's preferences (en_us, symbol before the amount).
const currencyNames: Record<string, { symbol: string; name: string }> = {
  EUR: { symbol: '€', name: 'Euro' },
  USD: { symbol: '$', name: 'US Dollars' },
};

export function formatAmount(amount: number | null, currency: string | null): string {
  if (amount === null) return '';
  const symbol = currencyNames[currency ?? '']?.symbol ?? `${currency ?? ''} `;
  return `${symbol}${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function currencyName(currency: string | null): string {
  return currencyNames[currency ?? '']?.name ?? currency ?? '';
}
