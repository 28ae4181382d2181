import { parseHTML } from 'linkedom';
import { describe, expect, it, vi } from 'vitest';
import { adapterFor } from '../../../core/crm';
import type { CrmInstance } from '../../../core/schema';
import { readCrmPage } from '../../../extension/crm-page';

// The extension acts only on the workspace's tenants: on any other tenant of a known CRM the page is not read and
// nothing is shown (so nothing is captured or sent). Real Chromium checks an undeclared origin (sidebar-capture e2e).
const { document } = parseHTML('<!doctype html><html><head><title>Fleet renewal - Pipedrive</title></head><body></body></html>');
const tenants: CrmInstance[] = [
  { instance: 'https://acme.pipedrive.com', crm: 'pipedrive' },
  { instance: 'https://acme.my.salesforce.com', crm: 'salesforce' },
];
const snapshot = { instances: tenants, disabledAdapters: [] };

describe('readCrmPage', () => {
  it('reads a record page of one of the workspace\'s tenants, on any host of that tenant', () => {
    expect(readCrmPage('https://acme.pipedrive.com/deal/42', document, snapshot)?.detected).toEqual({ crm: 'pipedrive', instance: 'https://acme.pipedrive.com', recordType: 'deal', id: '42' });
    expect(readCrmPage('https://acme.lightning.force.com/lightning/r/Opportunity/006000000000001AAA/view', document, snapshot)?.detected.instance).toBe('https://acme.my.salesforce.com');
  });

  it('reads nothing and shows nothing on another company\'s tenant, a sandbox, or a host that names no tenant', () => {
    const read = vi.spyOn(adapterFor('pipedrive')!, 'readRecord');
    for (const url of [
      'https://attacker.pipedrive.com/deal/42',
      'https://app.pipedrive.com/deal/42',
      'https://acme--uat.sandbox.lightning.force.com/lightning/r/Opportunity/006000000000001AAA/view',
      'https://rival.my.salesforce.com/006000000000001AAA',
    ]) {
      expect(readCrmPage(url, document, snapshot), url).toBeNull();
    }
    expect(read).not.toHaveBeenCalled();
    expect(readCrmPage('https://acme.pipedrive.com/deal/42', document, { instances: [], disabledAdapters: [] })).toBeNull();
  });
});
