import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import type { RecordRef } from '../../../../core/schema/common';
import { createSyncClient, type SyncClientOptions } from '../../../../core/sync/client';
import { openSyncDb, type SyncDb } from '../../../../core/sync/db.idb';
import type { MutationInput } from '../../../../core/sync/outbox.idb';
import type { FakeServer } from './fake-server';

/**
 * idb checks values with `instanceof IDBRequest` etc. against the globals, so the fake's globals are
 * installed ('fake-indexeddb/auto'); every test still gets its own fresh factory = empty browser profile.
 */
export function freshIndexedDB(): IDBFactory {
  return new IDBFactory();
}

export function openTestDb(indexedDB: IDBFactory = freshIndexedDB()): Promise<SyncDb> {
  return openSyncDb({ indexedDB });
}

export const dealRecord: RecordRef = { crm: 'suitecrm', instance: 'https://crm.example.test', recordType: 'deal', crmId: 'opp-42' };
export const otherRecord: RecordRef = { crm: 'hubspot', instance: 'https://app.hubspot.com/contacts/1234567', recordType: 'deal', crmId: '9001' };

export function noteArgs(n: number, overrides: Partial<MutationInput<'note.create'>> = {}): MutationInput<'note.create'> {
  return {
    id: `note-${n}`,
    side: 'buyer',
    record: dealRecord,
    recordTitle: 'Acme renewal',
    text: `call ${n}: asked for 12 % off`,
    createdAt: new Date(Date.UTC(2026, 10, 27, 8, 0, n % 60, Math.floor(n / 60) % 1000)).toISOString(),
    ...overrides,
  };
}

/** Deterministic [0, 1) numbers (mulberry32) so jitter is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function manualClock(start = Date.UTC(2026, 10, 27, 9, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
  };
}

export function clientFor(db: SyncDb, server: FakeServer, overrides: Partial<SyncClientOptions> = {}) {
  return createSyncClient({
    db,
    serverUrl: 'https://headway.example.test/',
    token: 'token-1',
    fetch: server.fetch,
    clock: overrides.clock ?? manualClock().now,
    random: seededRandom(7),
    log: () => undefined,
    ...overrides,
  });
}
