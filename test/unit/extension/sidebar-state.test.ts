import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { initials, syncStatus } from '../../../components/Sidebar/status';
import { DEFAULT_SITE_PREFS, loadSitePrefs, saveSitePrefs, sitePrefsKey } from '../../../extension/site-prefs';

describe('syncStatus', () => {
  it('words each connection state for the sidebar', () => {
    expect(syncStatus(null).text).toBe('Connecting…');
    const base = { serverUrl: null, user: null, instances: [], disabledAdapters: [], workspaceName: null, lastContactAt: null, problem: null };
    expect(syncStatus({ ...base, state: 'unpaired' }).text).toBe('Not connected');
    expect(syncStatus({ ...base, state: 'online' }).text).toBe('Online');
    expect(syncStatus({ ...base, state: 'offline' })).toEqual({ text: 'Offline — changes wait here', tone: 'offline' });
    expect(syncStatus({ ...base, state: 'unauthorized' }).tone).toBe('alert');
  });

  it('makes avatar initials from first and last name', () => {
    expect(initials('Dana Whitfield')).toBe('DW');
    expect(initials('  Priya  ')).toBe('P');
    expect(initials('Jean-Luc de la Tour')).toBe('JT');
  });
});

describe('site prefs', () => {
  it('are kept per origin, with defaults for an unknown or damaged entry', async () => {
    // A layout kept by an earlier version (the in-page sidebar's side) reads as the defaults plus what still holds.
    fakeBrowser.reset();
    const storage = fakeBrowser.storage.local;
    expect(await loadSitePrefs(storage, 'https://a.example')).toEqual(DEFAULT_SITE_PREFS);
    await saveSitePrefs(storage, 'https://a.example', { collapsed: true, hidden: false });
    expect(await loadSitePrefs(storage, 'https://a.example')).toEqual({ collapsed: true, hidden: false });
    expect(await loadSitePrefs(storage, 'https://b.example')).toEqual(DEFAULT_SITE_PREFS);
    await storage.set({ [sitePrefsKey('https://b.example')]: { collapsed: 'yes', hidden: 1 } });
    expect(await loadSitePrefs(storage, 'https://b.example')).toEqual(DEFAULT_SITE_PREFS);
    await storage.set({ [sitePrefsKey('https://c.example')]: { collapsed: true, side: 'left' } });
    expect(await loadSitePrefs(storage, 'https://c.example')).toEqual({ collapsed: true, hidden: false });
  });
});
