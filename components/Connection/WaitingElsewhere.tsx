import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { askBackground } from '../../extension/client';
import { openLivePort } from '../../extension/live-port';
import { LiveMessage } from '../../extension/messages';
import type { WaitingElsewhere as Waiting } from '../../extension/sync/messages';
import { translator, type Locale } from '../../core/i18n';
import { useLocale, useT } from '../locale';
import { connectionMessages } from './i18n';

/** "2 changes saved here by Marco Rossi are waiting …": one sentence per previous user of this browser. */
export function waitingSentence(entry: Waiting, locale: Locale = 'en'): string {
  const t = translator(connectionMessages, locale);
  const count = entry.pending + entry.failed;
  return entry.failed > 0 ? t('waitingElsewhereRefused', { count, name: entry.userName, refused: entry.failed }) : t('waitingElsewhere', { count, name: entry.userName });
}

/**
 * Each user of a browser has their own outbox; when someone else's changes wait here, the person now signed in is
 * told, so nobody thinks they were lost or sent. `userId` re-asks after pairing as someone else.
 */
export function WaitingElsewhereNotice({ userId }: { userId: string }) {
  const t = useT(connectionMessages);
  const locale = useLocale();
  const waiting = useSignal<Waiting[]>([]);
  useEffect(() => {
    askBackground(browser, { type: 'sync-get' }).then(
      (summary) => (waiting.value = summary.waitingElsewhere),
      () => undefined,
    );
    return openLivePort(browser, (message): message is LiveMessage => LiveMessage.safeParse(message).success, (message) => {
      if (message.type === 'sync') waiting.value = message.sync.waitingElsewhere;
    });
  }, [userId]);
  if (waiting.value.length === 0) return null;
  return (
    <section class="hw-card" aria-labelledby="waiting-elsewhere-heading" data-testid="waiting-elsewhere">
      <h2 id="waiting-elsewhere-heading" class="hw-card-title">
        {t('previousUser')}
      </h2>
      {waiting.value.map((entry) => (
        <p key={`${entry.serverUrl} ${entry.userName}`} class="hw-hint">
          {waitingSentence(entry, locale)}
        </p>
      ))}
    </section>
  );
}
