// Every host an adapter recognises a record on gets a permission the manifest allows and the CRM content script.
// Derived from each adapter's own answers (matchesHost, instanceOf, instanceHosts) over the URL vectors, so a new
// adapter's hosts are checked as soon as it has vectors, with no list here to keep in step. Record pages only: a
// Salesforce Visualforce host ({org}--{namespace}.vf.force.com) belongs to an org, yet no instance tells its
// namespace, and it shows no record of its own (its record shows in the Lightning page around it).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adapterFor, adapters, canonicalInstance, detectRecord, hostPattern, onWorkspaceTenant, recordRefOf, tenantHosts } from '../../../core/crm';
import type { CrmInstance } from '../../../core/schema';
import { CRM_FRAMES_SCRIPT_ID, CRM_SCRIPT_ID, syncCrmContentScript } from '../../../extension/background/content-scripts';
import { manifestOf } from '../../support/manifest';
import { fakeApis } from '../extension/registration-fakes';
import { allVectors, instanceVectors } from './vectors';

/** Host patterns the built manifest lets the extension hold, at install or asked for later. */
const grantable = {
  chrome: ((manifest) => [...(manifest.host_permissions ?? []), ...(manifest.optional_host_permissions ?? [])])(manifestOf('chrome', 3)),
  firefox: ((manifest) => [...(manifest.host_permissions ?? []), ...(manifest.optional_permissions ?? [])])(manifestOf('firefox', 2)),
};

/** Whether a manifest pattern (scheme://host/*, host `*`, `*.domain` or exact) covers a hostPattern. */
function grantCovers(grant: string, pattern: string): boolean {
  const [grantScheme, grantHost] = /^([a-z*]+):\/\/([^/]+)\/\*$/.exec(grant)?.slice(1) ?? [];
  const [scheme, host] = /^([a-z]+):\/\/([^/]+)\/\*$/.exec(pattern)?.slice(1) ?? [];
  if (!grantHost || !host) return false;
  const schemeOk = grantScheme === scheme || (grantScheme === '*' && (scheme === 'http' || scheme === 'https'));
  const hostOk = grantHost === '*' || grantHost === host || (grantHost.startsWith('*.') && (host === grantHost.slice(2) || host.endsWith(grantHost.slice(1))));
  return schemeOk && hostOk;
}

/** The scripts a browser that granted everything asked for registers for these tenants: id → matches. */
async function registeredFor(tenants: CrmInstance[]): Promise<Map<string, string[]>> {
  const fake = fakeApis(() => true);
  await syncCrmContentScript(fake.apis, tenants);
  return new Map([...fake.registered.values()].map((script) => [script.id, script.matches]));
}

const tenantOfVector = new Map(instanceVectors.vectors.map((vector) => [vector.url, vector.instance]));

describe('every host the adapters recognise is grantable and gets the content script', () => {
  for (const vector of allVectors) {
    const instance = tenantOfVector.get(vector.url);
    if (vector.crm === null || vector.id === null || !instance) continue;
    const tenant: CrmInstance = { crm: vector.crm, instance };
    const page = hostPattern(new URL(vector.url));

    it(`${vector.url} (${vector.crm}, tenant ${instance})`, async () => {
      const patterns = tenantHosts(tenant);
      expect(patterns, `add the host to instanceHosts of core/crm/${vector.crm}.ts`).toContain(page);
      for (const pattern of patterns) {
        for (const [browser, grants] of Object.entries(grantable)) {
          expect(grants.some((grant) => grantCovers(grant, pattern)), `${browser}'s manifest cannot grant ${pattern} (extension/host-permissions.ts)`).toBe(true);
        }
      }
      const scripts = await registeredFor([tenant]);
      const inFrames = adapterFor(vector.crm!)?.recordFrames !== undefined;
      expect(scripts.get(inFrames ? CRM_FRAMES_SCRIPT_ID : CRM_SCRIPT_ID), 'the CRM content script must run on the page').toContain(page);
      expect(scripts.get(inFrames ? CRM_SCRIPT_ID : CRM_FRAMES_SCRIPT_ID) ?? [], 'a page gets the script from one registration only').not.toContain(page);
    });
  }
});

describe('Bitrix24 Kazakh and Belarusian portals, end to end through the pure functions', () => {
  for (const [zone, path, recordType, crmId] of [
    ['kz', '/crm/deal/details/42/', 'deal', '42'],
    ['by', '/crm/company/details/7/', 'account', '7'],
  ] as const) {
    const origin = `https://acme.bitrix24.${zone}`;
    it(`acme.bitrix24.${zone}: added by an admin, recognised, granted and scripted in every frame`, async () => {
      // `crm add https://acme.bitrix24.kz/crm/deal/details/42/ bitrix24`
      expect(canonicalInstance('bitrix24', `${origin}${path}`)).toEqual({ instance: origin });
      const tenant: CrmInstance = { crm: 'bitrix24', instance: origin };

      const detected = detectRecord(`${origin}${path}`, { instances: [tenant] });
      expect(detected).toEqual({ crm: 'bitrix24', instance: origin, recordType, id: crmId });
      expect(onWorkspaceTenant(detected!, [tenant])).toBe(true);
      expect(recordRefOf(detected!)).toEqual({ crm: 'bitrix24', instance: origin, recordType, crmId });
      // The slider's iframe URL is the same record.
      expect(detectRecord(`${origin}${path}?IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER`, { instances: [tenant] })?.id).toBe(crmId);

      expect(tenantHosts(tenant)).toEqual([`${origin}/*`]);
      for (const grants of Object.values(grantable)) expect(grants.some((grant) => grantCovers(grant, `${origin}/*`))).toBe(true);
      const scripts = await registeredFor([tenant]);
      expect(scripts.get(CRM_FRAMES_SCRIPT_ID)).toEqual([`${origin}/*`]);
      expect(scripts.has(CRM_SCRIPT_ID)).toBe(false);
    });
  }

  it('no other portal: another company’s portal in the same zone is recognised but not the workspace’s', () => {
    const tenant: CrmInstance = { crm: 'bitrix24', instance: 'https://acme.bitrix24.kz' };
    const other = detectRecord('https://rival.bitrix24.kz/crm/deal/details/42/', { instances: [tenant] });
    expect(other?.crm).toBe('bitrix24');
    expect(onWorkspaceTenant(other!, [tenant])).toBe(false);
  });
});

/** The README's "hosts asked for a tenant" table: each row's adapters, whether it says "own host", its patterns. */
function readmeTenantHosts() {
  const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
  const table = /<!-- tenant-hosts:start[^>]*-->([\s\S]*?)<!-- tenant-hosts:end -->/.exec(readme)?.[1];
  expect(table, 'README.md needs the <!-- tenant-hosts:start … --> / <!-- tenant-hosts:end --> table').toBeDefined();
  const named = (name: string) => adapters.find((adapter) => adapter.label === name || adapter.label.startsWith(`${name} `));
  return table!
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| CRM |') && !line.startsWith('| ---'))
    .map((line) => {
      const [crms = '', hosts = ''] = line.split('|').slice(1).map((cell) => cell.trim());
      const rest = /^every other CRM \((.*)\)$/.exec(crms);
      const names = rest ? rest[1]!.split(',').map((name) => name.trim()) : [crms];
      for (const name of names) expect(named(name), `README tenant-hosts row names "${name}", which no adapter is labelled`).toBeDefined();
      return {
        crms: names.map((name) => named(name)!.id as string),
        everyOther: rest !== null,
        ownHost: hosts.includes('own host'),
        patterns: [...hosts.matchAll(/`(https?:\/\/[^`]+\/\*)`/g)].map((match) => match[1]!),
      };
    });
}

/** A README pattern, `{name}` standing for one or more host labels, as a test of a hostPattern. */
const templateMatches = (template: string, pattern: string) =>
  new RegExp(`^${template.split(/\{[a-z]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[a-z0-9-]+(?:\\.[a-z0-9-]+)*')}$`).test(pattern);

describe('the README table of hosts asked for a tenant', () => {
  const rows = readmeTenantHosts();
  /** The tenants the vectors name, per CRM. */
  const tenants = new Map<string, Set<string>>();
  for (const vector of allVectors) {
    const instance = tenantOfVector.get(vector.url);
    if (vector.crm !== null && instance) tenants.set(vector.crm, (tenants.get(vector.crm) ?? new Set()).add(instance));
  }

  it('names each CRM once; one not named falls under "every other CRM", the tenant\'s own host', () => {
    const named = rows.flatMap((row) => row.crms);
    expect(new Set(named).size, 'a CRM is named in two rows').toBe(named.length);
    expect(rows.filter((row) => row.everyOther)).toHaveLength(1);
  });

  for (const adapter of adapters) {
    it(`says which hosts ${adapter.label} asks for, as instanceHosts of core/crm/${adapter.id}.ts does`, () => {
      const row = rows.find((candidate) => candidate.crms.includes(adapter.id)) ?? rows.find((candidate) => candidate.everyOther)!;
      const asked = [...(tenants.get(adapter.id) ?? [])].map((instance) => ({ instance, hosts: tenantHosts({ crm: adapter.id, instance }) }));
      expect(asked.length, `add URL vectors with tenants for ${adapter.id}`).toBeGreaterThan(0);
      for (const { instance, hosts } of asked) {
        const described = row.ownHost
          ? hosts.length === 1 && hosts[0] === hostPattern(instance)
          : hosts.every((host) => row.patterns.some((template) => templateMatches(template, host)));
        expect(described, `README tenant-hosts row for ${adapter.label} does not describe ${hosts.join(', ')} (tenant ${instance})`).toBe(true);
      }
    });
  }

  it('shows only patterns the adapters produce', () => {
    for (const row of rows) {
      const produced = row.crms.flatMap((crm) => [...(tenants.get(crm) ?? [])].flatMap((instance) => tenantHosts({ crm: crm as CrmInstance['crm'], instance })));
      for (const template of row.patterns) {
        expect(produced.some((host) => templateMatches(template, host)), `README shows ${template}, which no tenant of ${row.crms.join(', ')} asks for`).toBe(true);
      }
    }
  });
});

describe('grantCovers (the check above)', () => {
  it('covers by scheme and host, and nothing else', () => {
    expect(grantCovers('https://*/*', 'https://acme.bitrix24.kz/*')).toBe(true);
    expect(grantCovers('http://*/*', 'https://acme.bitrix24.kz/*')).toBe(false);
    expect(grantCovers('https://*.bitrix24.kz/*', 'https://acme.bitrix24.kz/*')).toBe(true);
    expect(grantCovers('https://*.bitrix24.kz/*', 'https://acme.bitrix24.by/*')).toBe(false);
    expect(grantCovers('http://127.0.0.1/*', 'http://127.0.0.1/*')).toBe(true);
  });
});
