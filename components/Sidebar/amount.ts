import { signal } from '@preact/signals';

/**
 * A tab's first Intl formatter loads ICU's locale data: 15–60 ms on a busy 2-core machine, more than the whole
 * first-paint budget. So the sidebar's first paint writes amounts with plain digit grouping and the ISO code,
 * and switches to the user's locale format right after (mountSidebar sets this once the panel is on screen).
 */
export const localeFormatting = signal(false);

export function formatAmount(amount: number, currency: string | undefined): string {
  if (localeFormatting.value) {
    try {
      return new Intl.NumberFormat(undefined, currency ? { style: 'currency', currency, maximumFractionDigits: 0 } : { maximumFractionDigits: 0 }).format(amount);
    } catch {
      // An unknown currency code: the plain form below.
    }
  }
  const digits = String(Math.round(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return currency ? `${digits} ${currency}` : digits;
}
