import type { WxtBrowser } from 'wxt/browser';
import { escalationMessages } from '../../escalation/i18n';
import { translator } from '../../../core/i18n';
import { backgroundLocale } from '../../reader-language';
import type { RecordRef } from '../../../core/schema';
import type { Session } from '../../session';
import type { SyncRunner } from '../sync/runner';
import { joinedInto, recipientLabel, statusLineFor, type CachedEscalation } from '../../escalation/build';
import { cachedEscalations } from './cache';
import type { SentEscalation, StatusLine } from '../../escalation/messages';
import { notifyAbout } from './notices';
import type { SentLog } from './sent-log';

/**
 * What a click became. Offline, a click cannot know that its record already has an open escalation; the server
 * then joins it to that one and the pull drops the click's optimistic copy. So that it does not linger as a ghost,
 * the join is remembered once found: the sidebar line and the escalate window say "joined", and the user is told once.
 */
export function createJoins(deps: { browser: WxtBrowser; session: () => Promise<Session | null>; runner: SyncRunner; sent: SentLog }) {
  const { browser, runner, sent } = deps;

  return {
    /** After a pull: a click of mine the server joined to an open escalation is marked joined, and the user is told. */
    async settle(cached: readonly CachedEscalation[]): Promise<void> {
      for (const [id, record] of Object.entries(await sent.all())) {
        if (record.undo || record.undone || record.joinedInto) continue;
        const target = joinedInto(cached, id);
        if (!target || (await sent.inOutbox(id))) continue;
        await sent.save(id, { ...record, joinedInto: target.id });
        const t = translator(escalationMessages, backgroundLocale());
        notifyAbout(
          browser,
          target.id,
          t('joinedOpen'),
          target.title ? t('joinedNoticeTitle', { title: record.input.title, joined: target.title }) : t('joinedNotice', { title: record.input.title }),
        );
      }
    },

    /** The sidebar's line about this record: undone and joined clicks are not shown as escalations of their own. */
    async statusLine(record: RecordRef): Promise<StatusLine> {
      const [escalations, session, all] = await Promise.all([cachedEscalations(runner), deps.session(), sent.all()]);
      const visible = escalations.filter((esc) => !all[esc.id]?.undo && !all[esc.id]?.undone && !all[esc.id]?.joinedInto);
      const joined = new Set(Object.values(all).flatMap((entry) => (entry.joinedInto && !entry.undo && !entry.undone ? [entry.joinedInto] : [])));
      return statusLineFor(visible, record, session?.user.id ?? null, joined, backgroundLocale());
    },

    /** What the escalate window shows of one it was opened for: waiting, sent, undone or joined (and to which). */
    async sentView(id: string): Promise<SentEscalation | null> {
      const record = (await sent.all())[id];
      if (!record) return null;
      const { input } = record;
      const phase = record.undo || record.undone ? 'undone' : record.joinedInto ? 'joined' : (await sent.inOutbox(id)) ? 'waiting' : 'sent';
      const title = (input.context as { title?: unknown }).title;
      const joined = record.joinedInto ? (await cachedEscalations(runner)).find((esc) => esc.id === record.joinedInto) : undefined;
      return {
        id,
        category: input.category,
        severity: input.severity,
        title: input.title,
        body: input.body,
        toLabel: recipientLabel(input.to, new Map(), backgroundLocale()),
        recordTitle: input.record && typeof title === 'string' ? title : null,
        sentAt: record.sentAt,
        phase,
        joinedTitle: joined?.title ?? null,
        presetReason: record.reason,
      };
    },
  };
}
