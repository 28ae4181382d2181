import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { PageView } from '../../../extension/messages';
import { readLastView, rememberView } from '../../../extension/panel/last-view';

const view = {
  href: 'https://crm.example/index.php?module=Opportunities&action=DetailView&record=7',
  detected: { crm: 'suitecrm', instance: 'https://crm.example', recordType: 'deal', crmId: '7' },
  crmLabel: 'SuiteCRM',
  fields: { title: 'Office refit' },
  disabledReason: null,
} as unknown as PageView;

describe("a tab's last record for the side panel's first paint", () => {
  it('gives the panel the record the background last routed to the tab, and nothing once the tab shows none', async () => {
    fakeBrowser.reset();
    const storage = fakeBrowser.storage.session;
    expect(await readLastView(storage, 7)).toBeNull();
    await rememberView(storage, 7, view);
    expect(await readLastView(storage, 7)).toEqual(view);
    expect(await readLastView(storage, 8)).toBeNull();
    await rememberView(storage, 7, null);
    expect(await readLastView(storage, 7)).toBeNull();
  });

  it('reads nothing from a browser without session storage or from what is no view, and never throws', async () => {
    fakeBrowser.reset();
    await expect(rememberView(undefined, 7, view)).resolves.toBeUndefined();
    expect(await readLastView(undefined, 7)).toBeNull();
    await fakeBrowser.storage.session.set({ 'headway.view:7': { href: 1 } });
    expect(await readLastView(fakeBrowser.storage.session, 7)).toBeNull();
    const failing = { get: () => Promise.reject(new Error('gone')), set: () => Promise.reject(new Error('gone')), remove: () => Promise.reject(new Error('gone')) };
    expect(await readLastView(failing, 7)).toBeNull();
    await expect(rememberView(failing, 7, view)).resolves.toBeUndefined();
  });
});
