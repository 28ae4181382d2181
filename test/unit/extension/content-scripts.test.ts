import { describe, expect, it } from 'vitest';
import type { CrmInstance } from '../../../core/schema';
import {
  CRM_FRAMES_SCRIPT_ID,
  CRM_SCRIPT_FILE,
  CRM_SCRIPT_ID,
  candidateMatches,
  matchPatternForOrigin,
  syncCrmContentScript,
  ungrantedInstances,
  type RegisteredScript,
  type RegistrationApis,
} from '../../../extension/content-scripts';
import { SAAS_CRM_MATCHES } from '../../../extension/saas-hosts';

/** An in-memory stand-in for browser.scripting + browser.permissions (fakeBrowser implements neither). */
function fakeApis(granted: (pattern: string) => boolean) {
  const registered = new Map<string, RegisteredScript>();
  const calls: string[] = [];
  const apis: RegistrationApis = {
    permissions: { contains: async ({ origins }) => origins.every(granted) },
    scripting: {
      async getRegisteredContentScripts(filter) {
        return [...registered.values()].filter((script) => !filter?.ids || filter.ids.includes(script.id));
      },
      async registerContentScripts(scripts) {
        calls.push('register');
        for (const script of scripts) {
          if (registered.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
          registered.set(script.id, script);
        }
      },
      async unregisterContentScripts(filter) {
        calls.push('unregister');
        for (const id of filter?.ids ?? [...registered.keys()]) registered.delete(id);
      },
    },
  };
  return { apis, registered, calls };
}

const suite: CrmInstance = { origin: 'http://127.0.0.1:8787', crm: 'suitecrm' };
const odoo: CrmInstance = { origin: 'https://erp.acme.example', crm: 'odoo' };
const onlyLoopback = (pattern: string) => pattern.startsWith('http://127.0.0.1/');

describe('matchPatternForOrigin', () => {
  it('drops the port (Firefox patterns cannot carry one; Chromium matches every port without one)', () => {
    expect(matchPatternForOrigin('http://127.0.0.1:8787')).toBe('http://127.0.0.1/*');
    expect(matchPatternForOrigin('https://crm.acme.example')).toBe('https://crm.acme.example/*');
    expect(matchPatternForOrigin('https://crm.acme.example:8443')).toBe('https://crm.acme.example/*');
  });
});

describe('candidateMatches', () => {
  it('lists each instance once plus every known SaaS host, sorted', () => {
    const patterns = candidateMatches([suite, { origin: 'http://127.0.0.1:9999', crm: 'espocrm' }, odoo]);
    expect(patterns.filter((pattern) => pattern === 'http://127.0.0.1/*')).toHaveLength(1);
    expect(patterns).toContain('https://erp.acme.example/*');
    for (const pattern of SAAS_CRM_MATCHES) expect(patterns).toContain(pattern);
    expect(patterns).toEqual([...patterns].sort());
  });
});

describe('syncCrmContentScript', () => {
  it('serialises concurrent runs, so two triggers at once never register the script twice', async () => {
    const { apis, registered, calls } = fakeApis(onlyLoopback);
    const results = await Promise.all([
      syncCrmContentScript(apis, [suite]),
      syncCrmContentScript(apis, [suite, odoo]),
      syncCrmContentScript(apis, [suite]),
    ]);
    expect(results).toEqual([['http://127.0.0.1/*'], ['http://127.0.0.1/*'], ['http://127.0.0.1/*']]);
    expect(calls).toEqual(['register']);
    expect(registered.get(CRM_SCRIPT_ID)?.matches).toEqual(['http://127.0.0.1/*']);
  });

  it('a failed run does not stop the next one', async () => {
    const { apis, registered } = fakeApis(onlyLoopback);
    const failing: RegistrationApis = {
      ...apis,
      scripting: { ...apis.scripting, registerContentScripts: async () => Promise.reject(new Error('browser said no')) },
    };
    await expect(syncCrmContentScript(failing, [suite])).rejects.toThrow('browser said no');
    await syncCrmContentScript(apis, [suite]);
    expect(registered.get(CRM_SCRIPT_ID)?.matches).toEqual(['http://127.0.0.1/*']);
  });

  it('registers the CRM script only for granted patterns', async () => {
    const { apis, registered } = fakeApis(onlyLoopback);
    expect(await syncCrmContentScript(apis, [suite, odoo])).toEqual(['http://127.0.0.1/*']);
    expect(registered.get(CRM_SCRIPT_ID)).toEqual({
      id: CRM_SCRIPT_ID,
      js: [CRM_SCRIPT_FILE],
      matches: ['http://127.0.0.1/*'],
      runAt: 'document_idle',
      allFrames: false,
      persistAcrossSessions: true,
    });
  });

  it('leaves an up-to-date registration alone', async () => {
    const { apis, calls } = fakeApis(onlyLoopback);
    await syncCrmContentScript(apis, [suite]);
    await syncCrmContentScript(apis, [suite]);
    expect(calls).toEqual(['register']);
  });

  it('follows a newly granted origin and a withdrawn one', async () => {
    const grants = new Set(['http://127.0.0.1/*']);
    const { apis, registered } = fakeApis((pattern) => grants.has(pattern));
    await syncCrmContentScript(apis, [suite, odoo]);
    grants.add('https://erp.acme.example/*');
    await syncCrmContentScript(apis, [suite, odoo]);
    expect(registered.get(CRM_SCRIPT_ID)?.matches).toEqual(['http://127.0.0.1/*', 'https://erp.acme.example/*']);
    grants.delete('http://127.0.0.1/*');
    await syncCrmContentScript(apis, [suite, odoo]);
    expect(registered.get(CRM_SCRIPT_ID)?.matches).toEqual(['https://erp.acme.example/*']);
  });

  it('unregisters when nothing is granted any more (e.g. after Disconnect drops the instances)', async () => {
    const { apis, registered } = fakeApis(onlyLoopback);
    await syncCrmContentScript(apis, [suite]);
    expect(await syncCrmContentScript(apis, [])).toEqual([]);
    expect(registered.size).toBe(0);
  });

  it('covers granted SaaS hosts without any configured instance', async () => {
    const { apis, registered } = fakeApis((pattern) => pattern === 'https://*.pipedrive.com/*');
    await syncCrmContentScript(apis, []);
    expect(registered.get(CRM_SCRIPT_ID)?.matches).toEqual(['https://*.pipedrive.com/*']);
  });
});

describe('Bitrix24 frames', () => {
  it('injects into every frame only on Bitrix24 origins, and each pattern into exactly one script', async () => {
    const bitrix: CrmInstance = { origin: 'https://portal.acme.example', crm: 'bitrix24' };
    const grants = new Set(['http://127.0.0.1/*', 'https://portal.acme.example/*', 'https://*.bitrix24.de/*', 'https://*.pipedrive.com/*']);
    const { apis, registered } = fakeApis((pattern) => grants.has(pattern));
    await syncCrmContentScript(apis, [suite, bitrix]);
    expect(registered.get(CRM_SCRIPT_ID)).toMatchObject({ allFrames: false, matches: ['http://127.0.0.1/*', 'https://*.pipedrive.com/*'] });
    expect(registered.get(CRM_FRAMES_SCRIPT_ID)).toMatchObject({
      allFrames: true,
      js: [CRM_SCRIPT_FILE],
      matches: ['https://*.bitrix24.de/*', 'https://portal.acme.example/*'],
    });
    // The Bitrix24 instance goes away: its origin leaves the frames script, the SaaS host stays.
    await syncCrmContentScript(apis, [suite]);
    expect(registered.get(CRM_FRAMES_SCRIPT_ID)?.matches).toEqual(['https://*.bitrix24.de/*']);
  });
});

describe('ungrantedInstances', () => {
  it('names the instances the user still has to grant', async () => {
    const { apis } = fakeApis(onlyLoopback);
    expect(await ungrantedInstances(apis, [suite, odoo])).toEqual([odoo]);
  });
});
