import type { WxtBrowser } from 'wxt/browser';
import type { z } from 'zod';
import {
  EscalationDetail,
  EscalationPresetResponse,
  EscalationsResponse,
  EscalationView,
  MutationArgs,
  type EscalationInput,
  type RecordRef,
} from '../../core/schema';
import { ApiFailure, createServerApi } from '../api';
import type { ApiResult } from '../page-api';
import type { Session, StorageAreaLike } from '../session';
import { NOTIFICATION_ICON } from '../sync/notification-icon';
import type { SyncRunner } from '../sync/runner';
import { buildEscalation, newEscalationId, recipientLabel, statusLineFor, type CachedEscalation, type LastChoice } from './build';
import { UNDO_MS } from './constants';
import type { EscalationRequest, SentEscalation, StatusLine } from './messages';

const SENT_KEY = 'headway.escalations.sent';
const LAST_KEY = 'headway.escalations.last';
const NOTIFIED_KEY = 'headway.escalations.notified';
const PAGES_KEY = 'headway.escalations.pages';
const PRESET_TIMEOUT_MS = 3000;
const INBOX_POLL_MS = 55_000;

interface SentRecord {
  input: EscalationInput;
  sentAt: string;
  reason: string | null;
  /** Undo pressed while it still waited in the outbox: withdraw as soon as the push went through. */
  undo: boolean;
  undone: boolean;
}

export interface EscalationDeps {
  browser: WxtBrowser;
  session: () => Promise<Session | null>;
  runner: SyncRunner;
  storage: StorageAreaLike;
  /** The session storage area for per-tab page records (memory where the browser has none). */
  tabStorage: StorageAreaLike;
  now?: () => Date;
}

type PageRecord = { record: RecordRef; fields: Record<string, unknown>; url: string };

/** The background's escalation work: one click to the outbox, Undo/Refine, the inbox through the server, new-item notices. */
export function createEscalationRequests(deps: EscalationDeps) {
  const now = deps.now ?? (() => new Date());
  const { storage, runner, browser } = deps;

  async function sentRecords(): Promise<Record<string, SentRecord>> {
    return ((await storage.get(SENT_KEY))[SENT_KEY] as Record<string, SentRecord> | undefined) ?? {};
  }
  async function saveSent(id: string, record: SentRecord): Promise<void> {
    const all = await sentRecords();
    // Keep the last 50: the window needs only the newest, and withdraws after a push only the few undone ones.
    const kept = Object.entries({ ...all, [id]: record })
      .sort(([, a], [, b]) => b.sentAt.localeCompare(a.sentAt))
      .slice(0, 50);
    await storage.set({ [SENT_KEY]: Object.fromEntries(kept) });
  }

  async function api<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, body?: unknown, timeoutMs = 15_000): Promise<T> {
    const session = await deps.session();
    if (!session) throw new ApiFailure('unreachable', 'This browser is not connected to a Headway server. Open the settings to connect.');
    return createServerApi({ baseUrl: session.serverUrl, token: session.token, timeoutMs }).request(method, path, schema, body);
  }

  async function asResult<T>(work: Promise<T>): Promise<ApiResult> {
    try {
      return { ok: true, data: await work };
    } catch (error) {
      if (error instanceof ApiFailure) return { ok: false, message: error.message, status: error.status ?? null };
      throw error;
    }
  }

  async function inOutbox(id: string) {
    const pending = await (await runner.outbox()).pending();
    return pending.find((entry) => entry.name === 'escalation.create' && (entry.args as { id?: string }).id === id) ?? null;
  }

  /** Runs alongside no push round, so an outbox entry cannot be sent while it is rewritten. */
  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    return locks ? (locks.request('headway-sync', work) as Promise<T>) : work();
  }

  async function escalate(request: Extract<EscalationRequest, { type: 'escalate' }>) {
    const session = await deps.session();
    let preset: EscalationPresetResponse | null = null;
    if (session && request.record) {
      const query = new URLSearchParams({ crm: request.record.crm, recordType: request.record.recordType, crmId: request.record.crmId });
      preset = await api('GET', `/api/escalations/preset?${query}`, EscalationPresetResponse, undefined, PRESET_TIMEOUT_MS).catch(() => null);
    }
    const last = ((await storage.get(LAST_KEY))[LAST_KEY] as LastChoice | undefined) ?? null;
    const draft = buildEscalation({ id: newEscalationId(), role: session?.user.role ?? null, ...request, preset, last });
    const parsed = MutationArgs['escalation.create'].safeParse(draft.input);
    if (!parsed.success) return { ok: false as const, message: 'Headway could not put this escalation together from what the page shows.' };
    await (await runner.outbox()).enqueue('escalation.create', parsed.data);
    runner.enqueued();
    await saveSent(parsed.data.id, { input: parsed.data, sentAt: now().toISOString(), reason: draft.reason, undo: false, undone: false });
    const url = browser.runtime.getURL(`/escalate.html?id=${encodeURIComponent(parsed.data.id)}`);
    await browser.windows.create({ url, type: 'popup', width: 420, height: 560, focused: true }).catch(() => undefined);
    return { ok: true as const, id: parsed.data.id, message: `Escalated to ${recipientLabel(parsed.data.to)}.` };
  }

  async function sentView(id: string): Promise<SentEscalation | null> {
    const record = (await sentRecords())[id];
    if (!record) return null;
    const { input } = record;
    const phase = record.undo || record.undone ? 'undone' : (await inOutbox(id)) ? 'waiting' : 'sent';
    const title = (input.context as { title?: unknown }).title;
    return {
      id,
      category: input.category,
      severity: input.severity,
      title: input.title,
      body: input.body,
      toLabel: recipientLabel(input.to),
      recordTitle: input.record && typeof title === 'string' ? title : null,
      sentAt: record.sentAt,
      phase,
      presetReason: record.reason,
    };
  }

  const withdraw = (id: string) => api('POST', `/api/escalations/${encodeURIComponent(id)}/actions`, EscalationView, { type: 'withdraw', reason: 'Undone by the sender right after sending.' });

  async function undo(id: string): Promise<{ ok: boolean; message: string }> {
    const record = (await sentRecords())[id];
    if (!record) return { ok: false, message: 'This escalation is not one this browser sent.' };
    if (record.undone || record.undo) return { ok: true, message: 'Already undone.' };
    if (now().getTime() - Date.parse(record.sentAt) > UNDO_MS + 2000) return { ok: false, message: 'Too late to undo here; withdraw it from the inbox.' };
    const waiting = await exclusive(() => inOutbox(id));
    if (waiting) {
      // The outbox cannot drop an entry (the server refuses gaps in mutation ids), so it goes out and is withdrawn at once.
      await saveSent(id, { ...record, undo: true });
      runner.enqueued();
      return { ok: true, message: 'Undone. It will be withdrawn as soon as it reaches the server.' };
    }
    try {
      await withdraw(id);
      await saveSent(id, { ...record, undone: true });
      void runner.sync(true).catch(() => undefined);
      return { ok: true, message: 'Undone: the escalation was withdrawn.' };
    } catch (error) {
      if (error instanceof ApiFailure) return { ok: false, message: error.message };
      throw error;
    }
  }

  async function refine(request: Extract<EscalationRequest, { type: 'escalation-refine' }>): Promise<{ ok: boolean; message: string }> {
    const record = (await sentRecords())[request.id];
    if (!record) return { ok: false, message: 'This escalation is not one this browser sent.' };
    if (record.undo || record.undone) return { ok: false, message: 'It was undone; send a new one instead.' };
    const next: EscalationInput = { ...record.input, category: request.category, severity: request.severity, title: request.title, body: request.body };
    await storage.set({ [LAST_KEY]: { category: next.category, severity: next.severity, to: next.to } satisfies LastChoice });
    // Still waiting: the outbox entry is rewritten in place (same mutation id, so no gap).
    const rewritten = await exclusive(async () => {
      const entry = await inOutbox(request.id);
      if (!entry) return false;
      const database = await runner.db();
      await database.put('outbox', { ...entry, args: MutationArgs['escalation.create'].parse(next) });
      return true;
    });
    if (rewritten) {
      await saveSent(request.id, { ...record, input: next });
      runner.enqueued();
      return { ok: true, message: 'Saved; it goes out with your changes.' };
    }
    try {
      const detail = await api('GET', `/api/escalations/${encodeURIComponent(request.id)}`, EscalationDetail);
      const current = detail.escalation;
      if (current.category !== next.category || current.severity !== next.severity) {
        // The server edits only title and text; another category or severity is a new escalation replacing this one.
        await withdraw(request.id);
        const replacement = { ...next, id: newEscalationId() };
        await (await runner.outbox()).enqueue('escalation.create', replacement);
        runner.enqueued();
        await saveSent(request.id, { ...record, undone: true });
        await saveSent(replacement.id, { ...record, input: replacement });
        return { ok: true, message: `Sent again as ${next.category.replace('-', ' ')} (${next.severity}).` };
      }
      await api('POST', `/api/escalations/${encodeURIComponent(request.id)}/actions`, EscalationView, {
        type: 'edit',
        baseVersion: current.version,
        title: next.title,
        body: next.body,
      });
      await saveSent(request.id, { ...record, input: next });
      return { ok: true, message: 'Saved.' };
    } catch (error) {
      if (error instanceof ApiFailure) return { ok: false, message: error.message };
      throw error;
    }
  }

  /** Undo pressed while offline: once the push went through, withdraw. Called after every sync round. */
  async function finishUndos(): Promise<void> {
    const all = await sentRecords();
    for (const [id, record] of Object.entries(all)) {
      if (!record.undo || record.undone || (await inOutbox(id))) continue;
      try {
        await withdraw(id);
        await saveSent(id, { ...record, undone: true });
      } catch (error) {
        // 409: already withdrawn or answered; anything else is tried again after the next sync.
        if (error instanceof ApiFailure && error.status === 409) await saveSent(id, { ...record, undone: true });
      }
    }
  }

  async function cachedEscalations(): Promise<CachedEscalation[]> {
    const database = await runner.db();
    const rows = await database.getAllFromIndex('entities', 'byEntity', 'escalation');
    return rows.map((row) => row.data as CachedEscalation).filter((data) => data && typeof data === 'object' && typeof data.createdAt === 'string');
  }

  async function statusLine(record: RecordRef): Promise<StatusLine> {
    const [escalations, session, sent] = await Promise.all([cachedEscalations(), deps.session(), sentRecords()]);
    const visible = escalations.filter((esc) => !sent[esc.id]?.undo && !sent[esc.id]?.undone);
    return statusLineFor(visible, record, session?.user.id ?? null);
  }

  browser.notifications?.onClicked.addListener((notificationId) => {
    if (!notificationId.startsWith('headway-escalation:')) return;
    const id = notificationId.slice('headway-escalation:'.length);
    void browser.tabs.create({ url: browser.runtime.getURL(`/inbox.html?id=${encodeURIComponent(id)}`) });
  });

  let lastInboxPoll = 0;
  let inboxCount: number | null = null;
  /** After a sync round: how many wait in my inbox, and a notification for each one new since the last look. */
  async function pollInbox(force = false): Promise<number | null> {
    const session = await deps.session();
    if (!session || session.state === 'unauthorized') return null;
    if (!force && Date.now() - lastInboxPoll < INBOX_POLL_MS) return inboxCount;
    lastInboxPoll = Date.now();
    const answer = await api('GET', '/api/escalations?box=inbox', EscalationsResponse).catch(() => null);
    if (!answer) return inboxCount;
    const waiting = answer.escalations.filter((esc) => esc.status === 'open' || esc.status === 'acknowledged');
    inboxCount = waiting.length;
    const notified = new Set(((await storage.get(NOTIFIED_KEY))[NOTIFIED_KEY] as string[] | undefined) ?? []);
    const fresh = waiting.filter((esc) => esc.status === 'open' && !notified.has(esc.id));
    for (const esc of fresh.slice(0, 3)) {
      void browser.notifications
        ?.create(`headway-escalation:${esc.id}`, {
          type: 'basic',
          iconUrl: NOTIFICATION_ICON,
          title: `Escalation · ${esc.severity}`,
          message: esc.title,
        })
        .catch(() => undefined);
    }
    if (fresh.length > 0) await storage.set({ [NOTIFIED_KEY]: [...notified, ...fresh.map((esc) => esc.id)].slice(-500) });
    return inboxCount;
  }

  async function rememberPage(tabId: number, page: PageRecord): Promise<void> {
    const pages = ((await deps.tabStorage.get(PAGES_KEY))[PAGES_KEY] as Record<string, PageRecord> | undefined) ?? {};
    pages[String(tabId)] = page;
    await deps.tabStorage.set({ [PAGES_KEY]: pages });
  }

  /** Alt+Shift+E: escalate the record the active tab's content script last reported. */
  async function escalateTab(tabId: number) {
    const pages = ((await deps.tabStorage.get(PAGES_KEY))[PAGES_KEY] as Record<string, PageRecord> | undefined) ?? {};
    const page = pages[String(tabId)];
    if (!page) return { ok: false as const, message: 'No CRM record in this tab.' };
    return escalate({ type: 'escalate', record: page.record, fields: page.fields, url: page.url });
  }

  return {
    rememberPage,
    escalateTab,
    pollInbox,
    /** After every sync summary: finish undos that waited for a push; look at the inbox now and then. */
    afterSync(): void {
      void finishUndos().catch(() => undefined);
      void pollInbox().catch(() => undefined);
    },
    async handle(request: EscalationRequest): Promise<unknown> {
      switch (request.type) {
        case 'escalate':
          return escalate(request);
        case 'escalation-status':
          return statusLine(request.record);
        case 'escalation-sent': {
          const escalation = await sentView(request.id);
          return escalation ? { ok: true, escalation } : { ok: false, message: 'This escalation is not one this browser sent.' };
        }
        case 'escalation-undo':
          return undo(request.id);
        case 'escalation-refine':
          return refine(request);
        case 'escalations-list': {
          const query = new URLSearchParams({ box: request.box, ...(request.status ? { status: request.status } : {}) });
          return asResult(api('GET', `/api/escalations?${query}`, EscalationsResponse));
        }
        case 'escalation-detail':
          return asResult(api('GET', `/api/escalations/${encodeURIComponent(request.id)}`, EscalationDetail));
        case 'escalation-act': {
          const result = await asResult(api('POST', `/api/escalations/${encodeURIComponent(request.id)}/actions`, EscalationView, request.action));
          if (result.ok) {
            void runner.sync(true).catch(() => undefined);
            void pollInbox(true).catch(() => undefined);
          }
          return result;
        }
        case 'escalation-inbox-count':
          return { count: await pollInbox(true) };
      }
    },
  };
}
