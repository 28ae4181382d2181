import { describe, expect, it } from 'vitest';
import type { CrmInstance } from '../../../core/schema';
import {
  CRM_FRAMES_SCRIPT_ID,
  CRM_SCRIPT_FILE,
  CRM_SCRIPT_ID,
  candidateMatches,
  syncCrmContentScript,
  type RegistrationApis,
} from '../../../extension/background/content-scripts';
import { ungrantedInstances } from '../../../extension/host-permissions';
import { fakeApis } from './registration-fakes';

const suite: CrmInstance = { instance: 'http://127.0.0.1:8787', crm: 'suitecrm' };
const odoo: CrmInstance = { instance: 'https://erp.acme.example', crm: 'odoo' };
const salesforce: CrmInstance = { instance: 'https://acme.my.salesforce.com', crm: 'salesforce' };
const onlyLoopback = (pattern: string) => pattern.startsWith('http://127.0.0.1/');

describe('candidateMatches', () => {
  it('lists the hosts of the workspace\'s tenants only, each once, sorted, the port dropped', () => {
    const patterns = candidateMatches([suite, { instance: 'http://127.0.0.1:9999', crm: 'espocrm' }, odoo, salesforce]);
    expect(patterns).toEqual([
      'http://127.0.0.1/*',
      'https://acme.lightning.force.com/*',
      'https://acme.my.salesforce.com/*',
      'https://acme.my.site.com/*',
      'https://erp.acme.example/*',
    ]);
  });

  it('covers no CRM host at all before the workspace declares a tenant', () => {
    expect(candidateMatches([])).toEqual([]);
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

  it('runs on no host of a SaaS CRM but the workspace\'s tenant, even where the browser grants more', async () => {
    const { apis, registered } = fakeApis(() => true);
    await syncCrmContentScript(apis, [{ instance: 'https://acme.pipedrive.com', crm: 'pipedrive' }]);
    expect(registered.get(CRM_SCRIPT_ID)?.matches).toEqual(['https://acme.pipedrive.com/*']);
  });
});

describe('Bitrix24 frames', () => {
  it('injects into every frame only on Bitrix24 origins, and each pattern into exactly one script', async () => {
    const bitrix: CrmInstance = { instance: 'https://portal.acme.example', crm: 'bitrix24' };
    const cloud: CrmInstance = { instance: 'https://acme.bitrix24.de', crm: 'bitrix24' };
    const pipedrive: CrmInstance = { instance: 'https://acme.pipedrive.com', crm: 'pipedrive' };
    const grants = new Set(['http://127.0.0.1/*', 'https://portal.acme.example/*', 'https://acme.bitrix24.de/*', 'https://acme.pipedrive.com/*']);
    const { apis, registered } = fakeApis((pattern) => grants.has(pattern));
    await syncCrmContentScript(apis, [suite, bitrix, cloud, pipedrive]);
    expect(registered.get(CRM_SCRIPT_ID)).toMatchObject({ allFrames: false, matches: ['http://127.0.0.1/*', 'https://acme.pipedrive.com/*'] });
    expect(registered.get(CRM_FRAMES_SCRIPT_ID)).toMatchObject({
      allFrames: true,
      js: [CRM_SCRIPT_FILE],
      matches: ['https://acme.bitrix24.de/*', 'https://portal.acme.example/*'],
    });
    // The self-hosted portal goes away: its origin leaves the frames script, the cloud portal stays.
    await syncCrmContentScript(apis, [suite, cloud]);
    expect(registered.get(CRM_FRAMES_SCRIPT_ID)?.matches).toEqual(['https://acme.bitrix24.de/*']);
  });
});

describe('ungrantedInstances', () => {
  it('names the instances the user still has to grant', async () => {
    const { apis } = fakeApis(onlyLoopback);
    expect(await ungrantedInstances(apis, [suite, odoo])).toEqual([odoo]);
  });

  it('counts a Salesforce org as granted only with every host that shows it', async () => {
    const { apis } = fakeApis((pattern) => pattern === 'https://acme.lightning.force.com/*');
    expect(await ungrantedInstances(apis, [salesforce])).toEqual([salesforce]);
  });
});
