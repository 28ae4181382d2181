// github-url-detection style: every vector matches its expected {crm, recordType, id} and no other adapter claims it.
import { describe, expect, it } from 'vitest';
import { adapters, detectRecord } from '../../../core/crm';
import type { CrmAdapter } from '../../../core/crm';
import { allVectors } from './vectors';

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Would detectRecord consider this adapter for this URL, and would its parser accept the page? */
function claims(adapter: CrmAdapter, url: URL, instances: { origin: string; crm: string }[]): boolean {
  // detectRecord looks at web pages only, whatever the host
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  const instance = instances.find((candidate) => candidate.origin === url.origin);
  const considered = instance ? instance.crm === adapter.id : adapter.matchesHost(url);
  return considered && adapter.parseUrl(url) !== null;
}

/** A minimal WebExtension match-pattern check: scheme, host (with *. prefix) and path glob. */
function matchesPattern(pattern: string, url: URL): boolean {
  const match = /^(\*|https?):\/\/(\*|\*\.[^/]+|[^/*]+)(\/.*)$/.exec(pattern);
  if (!match) throw new Error(`not a match pattern: ${pattern}`);
  const [, scheme, host, path] = match;
  if (scheme !== '*' && `${scheme}:` !== url.protocol) return false;
  const hostOk =
    host === '*' ||
    (host!.startsWith('*.') ? url.hostname === host!.slice(2) || url.hostname.endsWith(host!.slice(1)) : url.hostname === host);
  const pathRegex = new RegExp(`^${path!.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return hostOk && pathRegex.test(url.pathname + url.search);
}

describe('detectRecord over the URL vectors', () => {
  for (const vector of allVectors) {
    const where = `test/fixtures/${vector.list}: ${vector.url}`;

    it(`detects ${vector.crm ?? 'no CRM'} ${vector.recordType ?? ''} ${vector.id ?? ''} — ${where}`, () => {
      const expected = vector.crm === null ? null : { crm: vector.crm, recordType: vector.recordType, id: vector.id };
      expect(
        detectRecord(vector.url, { instances: vector.instances }),
        `fix core/crm/${vector.crm ?? '<the adapter that claims it>'}.ts or the vector in ${where}`,
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
    const onInstance = url && vector.instances.some((instance) => instance.origin === url.origin);
    if (vector.crm !== null && url && onInstance) {
      it(`does not guess a self-hosted CRM without its instance — ${where}`, () => {
        expect(detectRecord(vector.url), `a self-hosted origin was recognised unconfigured (${where})`).toBeNull();
      });
    }
    if (vector.crm !== null && url && !onInstance) {
      it(`a manifest match pattern of ${vector.crm} covers ${where}`, () => {
        const adapter = adapters.find((candidate) => candidate.id === vector.crm)!;
        expect(
          adapter.matchPatterns.some((pattern) => matchesPattern(pattern, url)),
          `add a pattern to matchPatterns of core/crm/${vector.crm}.ts`,
        ).toBe(true);
      });
    }
  }
});

describe('detectRecord instances', () => {
  const suite = 'https://crm.example.com/index.php?module=Opportunities&action=DetailView&record=8f1c5a3e-2b7d-4c1a-9e4f-5a6b7c8d9e0f';

  it('matches a configured origin written with upper case or a trailing slash', () => {
    expect(detectRecord(suite, { instances: [{ origin: 'https://CRM.example.com/', crm: 'suitecrm' }] })).toEqual({
      crm: 'suitecrm',
      recordType: 'deal',
      id: '8f1c5a3e-2b7d-4c1a-9e4f-5a6b7c8d9e0f',
    });
  });

  it('does not match the same host on another port or scheme', () => {
    const instances = [{ origin: 'https://crm.example.com', crm: 'suitecrm' as const }];
    expect(detectRecord(suite.replace('https://', 'http://'), { instances })).toBeNull();
    expect(detectRecord(suite.replace('crm.example.com', 'crm.example.com:8443'), { instances })).toBeNull();
  });

  it('lets a configured instance override host matching (a SaaS CRM on a custom domain)', () => {
    const url = 'https://sales.example.net/lightning/r/Opportunity/0065g00000XyZabAAF/view';
    expect(detectRecord(url)).toBeNull();
    expect(detectRecord(url, { instances: [{ origin: 'https://sales.example.net', crm: 'salesforce' }] })).toEqual({
      crm: 'salesforce',
      recordType: 'deal',
      id: '0065g00000XyZabAAF',
    });
  });

  it('ignores a malformed instance origin instead of throwing', () => {
    expect(detectRecord(suite, { instances: [{ origin: 'not an origin', crm: 'suitecrm' }] })).toBeNull();
  });

  it('accepts a URL object as well as a string', () => {
    expect(detectRecord(new URL('https://acme.pipedrive.com/deal/42'))).toEqual({ crm: 'pipedrive', recordType: 'deal', id: '42' });
  });
});
