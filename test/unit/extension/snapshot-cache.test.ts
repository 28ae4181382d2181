import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { ConnectionSnapshot } from '../../../extension/messages';
import { saveSitePrefs } from '../../../extension/site-prefs';
import { createSnapshotCache, readFirstState, SNAPSHOT_CACHE_KEY } from '../../../extension/snapshot-cache';

const online: ConnectionSnapshot = {
  state: 'online',
  serverUrl: 'https://headway.example',
  user: { id: 'u1', name: 'Dana Whitfield', email: 'dana@example.com', role: 'head' } as ConnectionSnapshot['user'],
  instances: [{ instance: 'https://crm.example', crm: 'suitecrm' }] as ConnectionSnapshot['instances'],
  disabledAdapters: [],
  workspaceName: 'Northwind',
  lastContactAt: '2026-11-27T10:00:00.000Z',
  problem: null,
};

describe('snapshot cache', () => {
  it('gives the CRM page’s script its prefs and the last snapshot the background cached, in one read', async () => {
    fakeBrowser.reset();
    const storage = fakeBrowser.storage.local;
    expect(await readFirstState(storage, 'https://crm.example')).toEqual({ prefs: { collapsed: false, hidden: false }, snapshot: null });
    createSnapshotCache(storage)(online);
    await saveSitePrefs(storage, 'https://crm.example', { collapsed: false, hidden: true });
    await expect.poll(() => readFirstState(storage, 'https://crm.example')).toEqual({ prefs: { collapsed: false, hidden: true }, snapshot: online });
  });

  it('writes only a snapshot that differs from the last one it wrote', async () => {
    fakeBrowser.reset();
    const writes: unknown[] = [];
    const cache = createSnapshotCache({ set: async (items) => void writes.push(items), remove: async (key) => void writes.push(`remove ${String(key)}`) });
    cache(online);
    cache({ ...online });
    cache({ ...online, state: 'offline', problem: 'The server did not answer.' });
    expect(writes).toHaveLength(2);
  });

  it('keeps nothing for an unpaired browser (Disconnect forgets everything)', async () => {
    fakeBrowser.reset();
    const storage = fakeBrowser.storage.local;
    const cache = createSnapshotCache(storage);
    cache(online);
    await expect.poll(async () => Object.keys(await storage.get(null))).toEqual([SNAPSHOT_CACHE_KEY]);
    cache({ ...online, state: 'unpaired', serverUrl: null, user: null, instances: [] });
    await expect.poll(async () => Object.keys(await storage.get(null))).toEqual([]);
  });

  it('ignores a damaged cache entry, so the sidebar asks the background instead', async () => {
    fakeBrowser.reset();
    await fakeBrowser.storage.local.set({ [SNAPSHOT_CACHE_KEY]: { state: 'hacked', instances: 'all' } });
    expect((await readFirstState(fakeBrowser.storage.local, 'https://crm.example')).snapshot).toBeNull();
  });
});
