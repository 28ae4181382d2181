import type { WxtBrowser } from 'wxt/browser';
import type { z } from 'zod';
import { isAddressed, mondayOf } from '../../core/escalation';
import {
  ApiError,
  EscalationCreateResponse,
  EscalationDetail,
  EscalationPresetResponse,
  EscalationsResponse,
  EscalationView,
  MutationArgs,
  StoredReport,
  type EscalationCreateRequest,
  type EscalationInput,
  type RecordRef,
} from '../../core/schema';
import { ApiFailure, createServerApi } from '../api';
import type { ApiResult } from '../page-api';
import type { Session, StorageAreaLike } from '../session';
import { NOTIFICATION_ICON } from '../sync/notification-icon';
import type { SyncRunner } from '../sync/runner';
import type { ToolbarBadge } from './badge';
import { buildEscalation, joinedInto, newEscalationId, recipientLabel, statusLineFor, type CachedEscalation, type LastChoice } from './build';
import { UNDO_MS } from './constants';
import { ESCALATIONS_CHANGED, type EscalationRequest, type SentEscalation, type StatusLine } from './messages';

const SENT_KEY = 'headway.escalations.sent';
const LAST_KEY = 'headway.escalations.last';
const NOTIFIED_KEY = 'headway.escalations.notified';
const PAGES_KEY = 'headway.escalations.pages';
const PRESET_TIMEOUT_MS = 3000;
const INBOX_POLL_MS = 55_000;
/** A stored report is a page or two of HTML; anything far bigger is not one of ours. */
const REPORT_MAX_CHARS = 5_000_000;

interface SentRecord {
  input: EscalationInput;
  sentAt: string;
  reason: string | null;
  /** Undo pressed while it still waited in the outbox: withdraw as soon as the push went through. */
  undo: boolean;
  undone: boolean;
  /** The open escalation the server joined it to (found after the push; see build.ts joinedInto). */
  joinedInto?: string;
}

export interface EscalationDeps {
  browser: WxtBrowser;
  session: () => Promise<Session | null>;
  runner: SyncRunner;
  storage: StorageAreaLike;
  /** The session storage area for per-tab page records (memory where the browser has none). */
  tabStorage: StorageAreaLike;
  /** The toolbar badge: this adds the open escalations addressed to me that I have not acknowledged. */
  badge?: ToolbarBadge;
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
    const phase = record.undo || record.undone ? 'undone' : record.joinedInto ? 'joined' : (await inOutbox(id)) ? 'waiting' : 'sent';
    const title = (input.context as { title?: unknown }).title;
    const joined = record.joinedInto ? (await cachedEscalations()).find((esc) => esc.id === record.joinedInto) : undefined;
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
      joinedTitle: joined?.title ?? null,
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
    if (record.joinedInto) return { ok: false, message: 'It joined the open escalation on this record; add to its thread in the inbox instead.' };
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
    const visible = escalations.filter((esc) => !sent[esc.id]?.undo && !sent[esc.id]?.undone && !sent[esc.id]?.joinedInto);
    const joined = new Set(Object.values(sent).flatMap((entry) => (entry.joinedInto && !entry.undo && !entry.undone ? [entry.joinedInto] : [])));
    return statusLineFor(visible, record, session?.user.id ?? null, joined);
  }

  browser.notifications?.onClicked.addListener((notificationId) => {
    if (!notificationId.startsWith('headway-escalation:')) return;
    const id = notificationId.slice('headway-escalation:'.length);
    void browser.tabs.create({ url: browser.runtime.getURL(`/inbox.html?id=${encodeURIComponent(id)}`) });
  });

  /** Tells Headway's open pages (the inbox, the escalate window) that escalations changed; nobody listening is fine. */
  function announce(): void {
    void Promise.resolve()
      .then(() => browser.runtime.sendMessage?.({ type: ESCALATIONS_CHANGED }))
      .catch(() => undefined);
  }

  let lastInboxPoll = 0;
  let inboxCount: number | null = null;
  let needsMe: number | null = null;
  let inboxPrint: string | null = null;
  /**
   * How many wait in my inbox, how many of them are addressed to me and not yet acknowledged (the badge), and a
   * notification for each one new since the last look. Unforced, it asks the server at most once per INBOX_POLL_MS.
   */
  async function pollInbox(force = false): Promise<number | null> {
    const session = await deps.session();
    if (!session || session.state === 'unauthorized') {
      needsMe = null;
      deps.badge?.setNeedsMe(null);
      return null;
    }
    if (!force && Date.now() - lastInboxPoll < INBOX_POLL_MS) return inboxCount;
    lastInboxPoll = Date.now();
    const answer = await api('GET', '/api/escalations?box=inbox', EscalationsResponse).catch(() => null);
    if (!answer) return inboxCount;
    const waiting = answer.escalations.filter((esc) => esc.status === 'open' || esc.status === 'acknowledged');
    inboxCount = waiting.length;
    // Those above the recipients see them too, but only what is addressed to me is mine to acknowledge.
    needsMe = waiting.filter((esc) => esc.status === 'open' && isAddressed(esc, session.user)).length;
    deps.badge?.setNeedsMe(needsMe);
    const print = answer.escalations.map((esc) => `${esc.id}:${esc.version}`).join('|');
    if (inboxPrint !== null && print !== inboxPrint) announce();
    inboxPrint = print;
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

  /**
   * A click of mine that the server joined to an open escalation: the pull dropped its optimistic copy and brought the
   * joined one; remember which, so the sidebar and the window say "joined", and tell the user once.
   */
  async function settleJoins(cached: readonly CachedEscalation[]): Promise<void> {
    for (const [id, record] of Object.entries(await sentRecords())) {
      if (record.undo || record.undone || record.joinedInto) continue;
      const target = joinedInto(cached, id);
      if (!target || (await inOutbox(id))) continue;
      await saveSent(id, { ...record, joinedInto: target.id });
      void browser.notifications
        ?.create(`headway-escalation:${target.id}`, {
          type: 'basic',
          iconUrl: NOTIFICATION_ICON,
          title: 'Joined the open escalation',
          message: `“${record.input.title}” was added to the escalation already waiting on this record${target.title ? `: “${target.title}”` : ''}.`,
        })
        .catch(() => undefined);
    }
  }

  let cachePrint: string | null = null;
  let watching: Promise<void> = Promise.resolve();
  /**
   * After a sync round: if the pull changed any escalation, the pages are told and the inbox is looked at now (badge,
   * notifications) instead of at the next throttled look. Costs the server nothing when nothing changed.
   */
  async function watchCache(): Promise<void> {
    const cached = await cachedEscalations();
    const print = cached
      .map((esc) => `${esc.id}:${(esc as { version?: unknown }).version}:${esc.status}`)
      .sort()
      .join('|');
    const changed = cachePrint !== null && print !== cachePrint;
    cachePrint = print;
    await settleJoins(cached);
    if (changed) announce();
    await pollInbox(changed);
  }

  async function requestReport(request: Extract<EscalationRequest, { type: 'escalation-request-report' }>): Promise<ApiResult> {
    const week = mondayOf(request.week);
    const body: EscalationCreateRequest = {
      id: newEscalationId(),
      category: 'report-request',
      severity: 'normal',
      title: `Weekly report for the week of ${week}`,
      body: request.body.trim(),
      record: null,
      // No recipient: the server routes it to the workspace's report writer.
      context: { reportWeek: week },
    };
    const result = await asResult(api('POST', '/api/escalations', EscalationCreateResponse, body));
    if (result.ok) announce();
    return result;
  }

  /** Stores that week's report (the reports route checks the role), then resolves the request with it. */
  async function attachReport(request: Extract<EscalationRequest, { type: 'escalation-attach-report' }>): Promise<ApiResult> {
    const week = mondayOf(request.week);
    const result = await asResult(
      (async () => {
        const stored = await api('POST', '/api/reports/weekly', StoredReport, { week });
        return api('POST', `/api/escalations/${encodeURIComponent(request.id)}/actions`, EscalationView, {
          type: 'resolve',
          decision: `The weekly report for the week of ${week} is attached.`,
          reportId: stored.id,
        });
      })(),
    );
    if (result.ok) {
      announce();
      void runner.sync(true).catch(() => undefined);
      void pollInbox(true).catch(() => undefined);
    }
    return result;
  }

  /** The stored report's HTML, fetched with the device token; the report page shows it in a sandboxed frame. */
  async function reportHtml(id: string): Promise<{ ok: true; html: string } | { ok: false; message: string }> {
    const session = await deps.session();
    if (!session) return { ok: false, message: 'This browser is not connected to a Headway server. Open the settings to connect.' };
    let response: Response;
    try {
      response = await fetch(`${session.serverUrl}/api/reports/${encodeURIComponent(id)}`, {
        headers: { authorization: `Bearer ${session.token}`, accept: 'text/html' },
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      return { ok: false, message: `Can’t reach the Headway server at ${session.serverUrl}.` };
    }
    if (!response.ok) {
      const error = ApiError.safeParse(await response.json().catch(() => null));
      return { ok: false, message: error.success ? error.data.message : `The server answered ${response.status}.` };
    }
    if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) return { ok: false, message: 'The server did not answer with a report.' };
    const html = await response.text();
    if (html.length > REPORT_MAX_CHARS) return { ok: false, message: 'This report is too large to show here.' };
    return { ok: true, html };
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
    /** After every sync summary: finish undos that waited for a push; settle joins; look at the inbox when it changed. */
    afterSync(): void {
      void finishUndos().catch(() => undefined);
      // One look at a time, so a burst of summaries cannot announce one join twice.
      watching = watching.then(watchCache).catch(() => undefined);
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
            announce();
            void runner.sync(true).catch(() => undefined);
            void pollInbox(true).catch(() => undefined);
          }
          return result;
        }
        case 'escalation-inbox-count': {
          const count = await pollInbox(true);
          return { count, needsMe: count === null ? null : needsMe, pending: deps.badge?.counts().pending ?? 0 };
        }
        case 'escalation-request-report':
          return requestReport(request);
        case 'escalation-attach-report':
          return attachReport(request);
        case 'report-html':
          return reportHtml(request.id);
      }
    },
  };
}
