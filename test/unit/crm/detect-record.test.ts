// github-url-detection style: every vector matches its expected {crm, recordType, id} and no other adapter claims it.
import { describe, expect, it } from 'vitest';
import { adapters, canonicalInstance, detectRecord, onWorkspaceTenant } from '../../../core/crm';
import type { CrmAdapter } from '../../../core/crm';
import { allVectors, instanceVectors } from './vectors';

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Would detectRecord consider this adapter for this URL, and would its parser accept the page? */
function claims(adapter: CrmAdapter, url: URL, instances: { instance: string; crm: string }[]): boolean {
  // detectRecord looks at web pages only, whatever the host
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  const instance = instances.find((candidate) => candidate.instance === url.origin);
  const considered = instance ? instance.crm === adapter.id : adapter.matchesHost(url);
  return considered && adapter.parseUrl(url) !== null;
}

const expectedInstance = new Map(instanceVectors.vectors.map((vector) => [vector.url, vector.instance]));

describe('detectRecord over the URL vectors', () => {
  for (const vector of allVectors) {
    const where = `test/fixtures/${vector.list}: ${vector.url}`;

    it(`detects ${vector.crm ?? 'no CRM'} ${vector.recordType ?? ''} ${vector.id ?? ''} — ${where}`, () => {
      if (vector.crm !== null) {
        expect(expectedInstance.has(vector.url), `add the tenant of ${vector.url} to test/fixtures/crm-instance-vectors.json`).toBe(true);
      }
      const expected = vector.crm === null ? null : { crm: vector.crm, instance: expectedInstance.get(vector.url), recordType: vector.recordType, id: vector.id };
      expect(
        detectRecord(vector.url, { instances: vector.instances }),
        `fix core/crm/${vector.crm ?? '<the adapter that claims it>'}.ts or the vector in ${where} (tenant: crm-instance-vectors.json)`,
      ).toEqual(expected);
    });

    it(`no other adapter claims ${where}`, () => {
      const url = parse(vector.url);
      if (!url) {
        expect(detectRecord(vector.url), `an unparsable URL must be no CRM page (${where})`).toBeNull();
        return;
      }
      const others = adapters
        .filter((adapter) => adapter.id !== vector.crm && claims(adapter, url, vector.instances))
        .map((adapter) => adapter.id);
      expect(others, `narrow matchesHost/parseUrl of core/crm/{${others.join(',')}}.ts, or fix ${where}`).toEqual([]);
    });

    if (vector.id !== null) {
      // Paths must be disjoint even ignoring hosts: an admin who configures the wrong CRM for an origin gets
      // non-records, never another CRM's record.
      it(`no other adapter parses a record out of ${where}`, () => {
        const url = new URL(vector.url);
        const others = adapters
          .filter((adapter) => adapter.id !== vector.crm && (adapter.parseUrl(url)?.id ?? null) !== null)
          .map((adapter) => adapter.id);
        expect(others, `narrow parseUrl of core/crm/{${others.join(',')}}.ts, or fix ${where}`).toEqual([]);
      });
    }

    const url = parse(vector.url);
    const onInstance = url && vector.instances.some((instance) => instance.instance === url.origin);
    if (vector.crm !== null && url && onInstance) {
      it(`does not guess a self-hosted CRM without its instance — ${where}`, () => {
        expect(detectRecord(vector.url), `a self-hosted origin was recognised unconfigured (${where})`).toBeNull();
      });
    }
    // The hosts the extension asks for and runs on, for each tenant: test/unit/crm/host-coverage.test.ts.
  }
});

describe('detectRecord tenants (test/fixtures/crm-instance-vectors.json cases)', () => {
  const defaults = allVectors[0]!.instances;
  for (const entry of instanceVectors.cases) {
    it(`${entry.why}: ${entry.url}`, () => {
      const detected = detectRecord(entry.url, { instances: entry.instances ?? defaults });
      expect(detected?.crm ?? null).toBe(entry.crm);
      expect(detected?.instance ?? null).toBe(entry.instance);
      // Whatever the tenant, the record itself is recognised the same (the shared vectors keep their meaning).
      if (detected && entry.crm) expect(detectRecord(entry.url, { instances: [...(entry.instances ?? []), ...defaults] })?.id).toBe(detected.id);
    });
    if (entry.crm && entry.instance && entry.named) {
      it(`the tenant an admin types as ${entry.url} is ${entry.instance}`, () => {
        expect(canonicalInstance(entry.crm!, entry.url)).toEqual({ instance: entry.instance });
      });
    }
    if (entry.crm && !entry.named) {
      it(`an admin cannot add a tenant from ${entry.url}, which does not name one`, () => {
        expect(canonicalInstance(entry.crm!, entry.url)).toHaveProperty('problem');
      });
    }
  }
});

describe('detectRecord instances', () => {
  const suite = 'https://crm.example.com/index.php?module=Opportunities&action=DetailView&record=8f1c5a3e-2b7d-4c1a-9e4f-5a6b7c8d9e0f';

  it('matches a configured origin written with upper case or a trailing slash', () => {
    expect(detectRecord(suite, { instances: [{ instance: 'https://CRM.example.com/', crm: 'suitecrm' }] })).toEqual({
      crm: 'suitecrm',
      instance: 'https://crm.example.com',
      recordType: 'deal',
      id: '8f1c5a3e-2b7d-4c1a-9e4f-5a6b7c8d9e0f',
    });
  });

  it('does not match the same host on another port or scheme', () => {
    const instances = [{ instance: 'https://crm.example.com', crm: 'suitecrm' as const }];
    expect(detectRecord(suite.replace('https://', 'http://'), { instances })).toBeNull();
    expect(detectRecord(suite.replace('crm.example.com', 'crm.example.com:8443'), { instances })).toBeNull();
  });

  it('lets a configured instance override host matching (a SaaS CRM on a custom domain)', () => {
    const url = 'https://sales.example.net/lightning/r/Opportunity/0065g00000XyZabAAF/view';
    expect(detectRecord(url)).toBeNull();
    expect(detectRecord(url, { instances: [{ instance: 'https://sales.example.net', crm: 'salesforce' }] })).toEqual({
      crm: 'salesforce',
      instance: 'https://sales.example.net',
      recordType: 'deal',
      id: '0065g00000XyZabAAF',
    });
  });

  it('ignores a malformed instance origin instead of throwing', () => {
    expect(detectRecord(suite, { instances: [{ instance: 'not an origin', crm: 'suitecrm' }] })).toBeNull();
  });

  it('accepts a URL object as well as a string', () => {
    expect(detectRecord(new URL('https://acme.pipedrive.com/deal/42'))).toEqual({ crm: 'pipedrive', instance: 'https://acme.pipedrive.com', recordType: 'deal', id: '42' });
  });

  it('is on the workspace tenant only for that exact CRM and instance', () => {
    const instances = [{ instance: 'https://acme.pipedrive.com', crm: 'pipedrive' as const }];
    const own = detectRecord('https://acme.pipedrive.com/deal/42', { instances })!;
    const foreign = detectRecord('https://attacker.pipedrive.com/deal/42', { instances })!;
    const unnamed = detectRecord('https://app.pipedrive.com/deal/42', { instances })!;
    expect([own, foreign, unnamed].map((page) => page.id)).toEqual(['42', '42', '42']);
    expect(onWorkspaceTenant(own, instances)).toBe(true);
    expect(onWorkspaceTenant(foreign, instances)).toBe(false);
    expect(onWorkspaceTenant(unnamed, instances)).toBe(false);
    expect(onWorkspaceTenant({ crm: 'suitecrm', instance: 'https://acme.pipedrive.com' }, instances)).toBe(false);
  });
});

describe('canonicalInstance (what crm add stores)', () => {
  it('writes every host of one Salesforce org as one instance', () => {
    for (const typed of ['https://acme.lightning.force.com/lightning/page/home', 'https://ACME.my.salesforce.com/', 'https://acme.my.site.com/s/']) {
      expect(canonicalInstance('salesforce', typed)).toEqual({ instance: 'https://acme.my.salesforce.com' });
    }
  });

  it('keeps a self-hosted origin with its port and drops the path', () => {
    expect(canonicalInstance('suitecrm', 'http://127.0.0.1:8787/demo/index.php?module=Home')).toEqual({ instance: 'http://127.0.0.1:8787' });
  });

  it('refuses a shared host that does not name the tenant, and another CRM\'s host', () => {
    for (const [crm, typed] of [['hubspot', 'https://app.hubspot.com/'], ['zoho', 'https://crm.zoho.eu'], ['pipedrive', 'https://app.pipedrive.com'], ['salesforce', 'https://na85.salesforce.com']] as const) {
      expect(canonicalInstance(crm, typed), typed).toHaveProperty('problem');
    }
    expect(canonicalInstance('suitecrm', 'https://acme.pipedrive.com')).toEqual({ problem: 'acme.pipedrive.com is a Pipedrive host, not SuiteCRM' });
    expect(canonicalInstance('suitecrm', 'javascript:alert(1)')).toHaveProperty('problem');
    expect(canonicalInstance('suitecrm', 'not a url')).toHaveProperty('problem');
  });
});
