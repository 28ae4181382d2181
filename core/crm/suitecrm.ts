import type { RecordType } from '../schema';
import type { CrmAdapter, ParsedRecordUrl } from './types';

// SuiteCRM 7: index.php?module=Opportunities&action=DetailView&record={uuid} (full page loads).
const moduleTypes: Record<string, RecordType> = {
  Opportunities: 'deal',
  Accounts: 'account',
  Contacts: 'contact',
  Leads: 'lead',
};

function parseSuite7(params: URLSearchParams): ParsedRecordUrl {
  const recordType = moduleTypes[params.get('module') ?? ''] ?? null;
  const id = params.get('record');
  if (!recordType || !id || params.get('action') !== 'DetailView') return { recordType: null, id: null };
  return { recordType, id: id.toLowerCase() };
}

function text(document: Document, selectors: string[]): string | undefined {
  for (const selector of selectors) {
    const value = document.querySelector(selector)?.textContent?.trim();
    if (value) return value;
  }
  return undefined;
}

export const suitecrm: CrmAdapter = {
  id: 'suitecrm',
  label: 'SuiteCRM',
  selfHosted: true,
  matchesHost: () => false,
  parseUrl(url) {
    if (!/\/index\.php$/.test(url.pathname)) return { recordType: null, id: null };
    return parseSuite7(url.searchParams);
  },
  readRecord(document) {
    const title = text(document, [
      // SuiteCRM 7 detail view header
      'h2.module-title-text',
      '.moduleTitle h2',
    ]);
    return title ? { title } : {};
  },
};
