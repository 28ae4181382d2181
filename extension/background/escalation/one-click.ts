import type { WxtBrowser } from 'wxt/browser';
import { pathOf } from '../../../core/api/route';
import { routes } from '../../../core/api/routes';
import { MutationArgs, type EscalationPresetResponse, type RecordRef } from '../../../core/schema';
import type { Session, StorageAreaLike } from '../../session';
import type { SyncRunner } from '../sync/runner';
import { escalationMessages } from '../../escalation/i18n';
import { translator } from '../../../core/i18n';
import { backgroundLocale } from '../../reader-language';
import { buildEscalation, newEscalationId, recipientLabel } from '../../escalation/build';
import type { EscalationRequest } from '../../escalation/messages';
import type { SentLog } from './sent-log';
import type { EscalationServer } from './server';

/**
 * The one click (the sidebar's button, the popup's Propose, Alt+Shift+E): the escalation goes to the outbox at
 * once, online or not, and the escalate window opens for Undo and Refine. The server's preset (category, severity
 * and recipient from the record and the workspace rules) is asked for at most PRESET_TIMEOUT_MS; without it the
 * local defaults and the last choice serve.
 */

const PAGES_KEY = 'headway.escalations.pages';
const PRESET_TIMEOUT_MS = 3000;

type PageRecord = { record: RecordRef; fields: Record<string, unknown>; url: string };

export function createOneClick(deps: {
  browser: WxtBrowser;
  session: () => Promise<Session | null>;
  runner: SyncRunner;
  /** Per-tab page records: the session storage area (memory where the browser has none). */
  tabStorage: StorageAreaLike;
  server: EscalationServer;
  sent: SentLog;
  now: () => Date;
}) {
  const { browser, runner, server, sent } = deps;

  async function escalate(request: Extract<EscalationRequest, { type: 'escalate' }>) {
    const session = await deps.session();
    const locale = backgroundLocale();
    const t = translator(escalationMessages, locale);
    let preset: EscalationPresetResponse | null = null;
    if (session && request.record) {
      const { crm, instance, recordType, crmId } = request.record;
      const path = pathOf(routes.escalationPreset, {}, { crm, instance, recordType, crmId });
      preset = await server.call(routes.escalationPreset, path, undefined, PRESET_TIMEOUT_MS).catch(() => null);
    }
    const last = await sent.lastChoice();
    const draft = buildEscalation({ id: newEscalationId(), role: session?.user.role ?? null, ...request, preset, last, locale });
    const parsed = MutationArgs['escalation.create'].safeParse(draft.input);
    if (!parsed.success) return { ok: false as const, message: t('cannotBuild') };
    await (await runner.outbox()).enqueue('escalation.create', parsed.data);
    runner.enqueued();
    await sent.save(parsed.data.id, { input: parsed.data, sentAt: deps.now().toISOString(), reason: draft.reason, undo: false, undone: false });
    const url = browser.runtime.getURL(`/escalate.html?id=${encodeURIComponent(parsed.data.id)}`);
    await browser.windows.create({ url, type: 'popup', width: 420, height: 560, focused: true }).catch(() => undefined);
    return { ok: true as const, id: parsed.data.id, message: t('escalatedToSentence', { to: recipientLabel(parsed.data.to, new Map(), locale) }) };
  }

  async function pages(): Promise<Record<string, PageRecord>> {
    return ((await deps.tabStorage.get(PAGES_KEY))[PAGES_KEY] as Record<string, PageRecord> | undefined) ?? {};
  }

  return {
    escalate,
    /** Each CRM tab's content script reports its record, so the keyboard shortcut knows what to escalate. */
    async rememberPage(tabId: number, page: PageRecord): Promise<void> {
      const all = await pages();
      all[String(tabId)] = page;
      await deps.tabStorage.set({ [PAGES_KEY]: all });
    },
    /** Alt+Shift+E: escalate the record the active tab's content script last reported. */
    async escalateTab(tabId: number) {
      const page = (await pages())[String(tabId)];
      if (!page) return { ok: false as const, message: translator(escalationMessages, backgroundLocale())('noRecordInTab') };
      return escalate({ type: 'escalate', record: page.record, fields: page.fields, url: page.url });
    },
  };
}
