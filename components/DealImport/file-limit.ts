import { formatsOf, translator, type Locale } from '../../core/i18n';
import { DEALS_CSV_DASHBOARD_LIMIT } from '../../extension/page-api';
import { dealImportMessages } from './i18n';

/**
 * Why a chosen file is too big for the dashboard, from its size alone (File.size), before a byte of it is read:
 * reading a 2 GB export whole to find that out would stall the page. null when it may be read. A file within the
 * limit in bytes is within it in characters too (UTF-8 never has more characters than bytes).
 */
export function oversizedFile(file: { name: string; size: number }, locale: Locale = 'en'): string | null {
  if (file.size <= DEALS_CSV_DASHBOARD_LIMIT) return null;
  const size = formatsOf(locale).digits(file.size / 1_000_000, 1);
  return translator(dealImportMessages, locale)('tooLarge', { name: file.name, size });
}
