import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BackgroundRequest, ConnectionSnapshot, LiveMessage, MESSAGES, type MessageType } from '../../../extension/messages';
import { senderMay } from '../../../extension/background/hub';
import { looksLikeLiveMessage, looksLikeSnapshot } from '../../../extension/protocol';

const snapshot: ConnectionSnapshot = {
  state: 'online',
  serverUrl: 'https://headway.example.com',
  user: {
    id: 'u1',
    name: 'Dana Whitfield',
    email: 'dana@example.com',
    role: 'head',
    team: 'Sales',
    capacity: 40,
    segments: { region: [], product: [], tier: [] },
    absences: [],
    crmIdentities: [],
    createdAt: '2026-11-27T09:00:00.000Z',
  },
  instances: [{ instance: 'https://crm.example.com', crm: 'suitecrm' }],
  disabledAdapters: [],
  workspaceName: 'Northwind Trading',
  lastContactAt: '2026-11-27T09:00:00.000Z',
  problem: null,
};

describe('BackgroundRequest', () => {
  it('accepts each request the pages and sidebars send', () => {
    for (const request of [
      { type: 'get-state' },
      { type: 'connect', serverUrl: 'https://headway.example.com', code: 'ABCD-2345' },
      { type: 'disconnect' },
      { type: 'refresh' },
      { type: 'permissions-changed' },
      { type: 'open-options' },
    ]) {
      expect(BackgroundRequest.safeParse(request).success, JSON.stringify(request)).toBe(true);
    }
  });

  it('refuses unknown types, missing fields, wrong types and oversized input', () => {
    for (const request of [
      null,
      'get-state',
      {},
      { type: 'drop-database' },
      { type: 'connect', serverUrl: 'https://headway.example.com' },
      { type: 'connect', serverUrl: 42, code: 'ABCD-2345' },
      { type: 'connect', serverUrl: 'https://x.example', code: 'A'.repeat(101) },
      { type: 'connect', serverUrl: `https://${'x'.repeat(2000)}.example`, code: 'ABCD-2345' },
    ]) {
      expect(BackgroundRequest.safeParse(request).success, JSON.stringify(request)?.slice(0, 80)).toBe(false);
    }
  });
});

describe('live messages', () => {
  const valid = [
    { type: 'state', snapshot },
    { type: 'state', snapshot: { ...snapshot, state: 'unpaired', user: null, serverUrl: null, instances: [] } },
    { type: 'command', command: 'toggle-sidebar' },
    { type: 'command', command: 'capture-note' },
    { type: 'command', command: 'escalate' },
  ];
  const invalid = [
    null,
    [],
    { type: 'state' },
    { type: 'state', snapshot: { ...snapshot, state: 'asleep' } },
    { type: 'state', snapshot: { ...snapshot, instances: 'all' } },
    { type: 'state', snapshot: { ...snapshot, user: { name: 3 } } },
    { type: 'command', command: 'delete-everything' },
    { type: 'eval', code: 'alert(1)' },
  ];

  it('zod accepts what the background sends and refuses the rest', () => {
    for (const message of valid) expect(LiveMessage.safeParse(message).success).toBe(true);
    for (const message of invalid) expect(LiveMessage.safeParse(message).success, JSON.stringify(message)).toBe(false);
  });

  // The content script uses the zod-free check; it must never accept what zod refuses.
  it('the content script’s structural check agrees with zod on these messages', () => {
    for (const message of valid) expect(looksLikeLiveMessage(message)).toBe(true);
    for (const message of invalid) expect(looksLikeLiveMessage(message), JSON.stringify(message)).toBe(false);
    expect(looksLikeSnapshot(snapshot)).toBe(true);
    expect(looksLikeSnapshot({ ...snapshot, disabledAdapters: undefined })).toBe(false);
  });
});

describe('the message table', () => {
  const types = Object.keys(MESSAGES) as MessageType[];

  it('names each request by its own type', () => {
    for (const type of types) expect((MESSAGES[type].request as z.ZodObject).shape.type.value, type).toBe(type);
  });

  it('opens to a CRM tab’s content script only these requests; every other needs one of Headway’s pages', () => {
    const extension = 'chrome-extension://abcdefghijklmnop/';
    const crmPage = 'https://acme.my.salesforce.com/lightning/r/Opportunity/006/view';
    expect(types.filter((type) => senderMay(type, crmPage, extension)).sort()).toEqual(
      ['get-state', 'refresh', 'permissions-changed', 'open-options', 'open-panel', 'adapter-miss', 'sidebar-insight', 'note-save', 'note-delete', 'notes-list', 'sync-get', 'sync-now', 'sync-retry', 'sync-discard', 'page-record', 'escalate', 'escalation-status'].sort(),
    );
    for (const type of types) expect(senderMay(type, `${extension}panel.html`, extension), type).toBe(true);
  });
});

describe('senderMay', () => {
  const extension = 'chrome-extension://abcdefghijklmnop';
  it('lets extension pages connect and disconnect', () => {
    expect(senderMay('connect', `${extension}/options.html`, extension)).toBe(true);
    expect(senderMay('disconnect', `${extension}/popup.html`, extension)).toBe(true);
  });

  it('lets a content script read state but never change the connection', () => {
    const crmPage = 'https://crm.acme.example/index.php?module=Opportunities';
    expect(senderMay('get-state', crmPage, extension)).toBe(true);
    expect(senderMay('open-options', crmPage, extension)).toBe(true);
    expect(senderMay('connect', crmPage, extension)).toBe(false);
    expect(senderMay('disconnect', crmPage, extension)).toBe(false);
    expect(senderMay('disconnect', undefined, extension)).toBe(false);
    expect(senderMay('disconnect', 'not a url', extension)).toBe(false);
    // Same prefix, different extension id.
    expect(senderMay('connect', `${extension}zz/options.html`, extension)).toBe(false);
  });
});
