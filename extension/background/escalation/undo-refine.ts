import { pathOf } from '../../../core/api/route';
import { routes } from '../../../core/api/routes';
import { MutationArgs, type EscalationInput } from '../../../core/schema';
import { escalationMessages } from '../../escalation/i18n';
import { translator } from '../../../core/i18n';
import { backgroundLocale } from '../../reader-language';
import { ApiFailure } from '../../api';
import type { SyncRunner } from '../sync/runner';
import { categoryLabel, newEscalationId, severityLabel, type LastChoice } from '../../escalation/build';
import { UNDO_MS } from '../../escalation/constants';
import type { EscalationRequest } from '../../escalation/messages';
import type { SentLog } from './sent-log';
import type { EscalationServer } from './server';

/**
 * The escalate window's second thoughts: Undo for a few seconds and Refine after. An escalation may still wait in
 * the outbox, or be on the server already; each case takes it back or changes it its own way, and an Undo pressed
 * offline is finished after the push that sends it.
 */

type Outcome = { ok: boolean; message: string };

/** Runs alongside no push round, so an outbox entry cannot be sent while it is rewritten. */
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? (locks.request('headway-sync', work) as Promise<T>) : work();
}

/** The server's answers are the window's messages; anything but a refusal or an unreachable server is a bug. */
async function refused(work: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiFailure) return { ok: false, message: error.message };
    throw error;
  }
}

export function createUndoRefine(deps: { runner: SyncRunner; server: EscalationServer; sent: SentLog; now: () => Date }) {
  const { runner, server, sent } = deps;
  // The background speaks the browser's language, as the window that shows its answers does.
  const words = () => translator(escalationMessages, backgroundLocale());
  const withdraw = (id: string) => server.act(id, { type: 'withdraw', reason: words()('undoReason') });

  async function undo(id: string): Promise<Outcome> {
    const t = words();
    const record = (await sent.all())[id];
    if (!record) return { ok: false, message: t('notSentHere') };
    if (record.undone || record.undo) return { ok: true, message: t('alreadyUndone') };
    if (deps.now().getTime() - Date.parse(record.sentAt) > UNDO_MS + 2000) return { ok: false, message: t('tooLateToUndo') };
    const waiting = await exclusive(() => sent.inOutbox(id));
    if (waiting) {
      // The outbox cannot drop an entry (the server refuses gaps in mutation ids), so it goes out and is withdrawn at once.
      await sent.save(id, { ...record, undo: true });
      runner.enqueued();
      return { ok: true, message: t('undoneQueued') };
    }
    return refused(async () => {
      await withdraw(id);
      await sent.save(id, { ...record, undone: true });
      void runner.sync(true).catch(() => undefined);
      return { ok: true, message: t('undoneWithdrawn') };
    });
  }

  async function refine(request: Extract<EscalationRequest, { type: 'escalation-refine' }>): Promise<Outcome> {
    const locale = backgroundLocale();
    const t = words();
    const record = (await sent.all())[request.id];
    if (!record) return { ok: false, message: t('notSentHere') };
    if (record.undo || record.undone) return { ok: false, message: t('refineUndone') };
    if (record.joinedInto) return { ok: false, message: t('refineJoined') };
    const next: EscalationInput = { ...record.input, category: request.category, severity: request.severity, title: request.title, body: request.body };
    await sent.rememberChoice({ category: next.category, severity: next.severity, to: next.to } satisfies LastChoice);
    // Still waiting: the outbox entry is rewritten in place (same mutation id, so no gap).
    const rewritten = await exclusive(async () => {
      const entry = await sent.inOutbox(request.id);
      if (!entry) return false;
      const database = await runner.db();
      await database.put('outbox', { ...entry, args: MutationArgs['escalation.create'].parse(next) });
      return true;
    });
    if (rewritten) {
      await sent.save(request.id, { ...record, input: next });
      runner.enqueued();
      return { ok: true, message: t('savedQueued') };
    }
    return refused(async () => {
      const detail = await server.call(routes.escalation, pathOf(routes.escalation, { id: request.id }));
      const current = detail.escalation;
      if (current.category !== next.category || current.severity !== next.severity) {
        // The server edits only title and text; another category or severity is a new escalation replacing this one.
        await withdraw(request.id);
        const replacement = { ...next, id: newEscalationId() };
        await (await runner.outbox()).enqueue('escalation.create', replacement);
        runner.enqueued();
        await sent.save(request.id, { ...record, undone: true });
        await sent.save(replacement.id, { ...record, input: replacement });
        return { ok: true, message: t('sentAgainAs', { category: categoryLabel(next.category, locale), severity: severityLabel(next.severity, locale) }) };
      }
      await server.act(request.id, { type: 'edit', baseVersion: current.version, title: next.title, body: next.body });
      await sent.save(request.id, { ...record, input: next });
      return { ok: true, message: t('saved') };
    });
  }

  return {
    undo,
    refine,
    /** Undo pressed while offline: once the push went through, withdraw. Called after every sync round. */
    async finishUndos(): Promise<void> {
      for (const [id, record] of Object.entries(await sent.all())) {
        if (!record.undo || record.undone || (await sent.inOutbox(id))) continue;
        try {
          await withdraw(id);
          await sent.save(id, { ...record, undone: true });
        } catch (error) {
          // 409: already withdrawn or answered; anything else is tried again after the next sync.
          if (error instanceof ApiFailure && error.status === 409) await sent.save(id, { ...record, undone: true });
        }
      }
    },
  };
}
