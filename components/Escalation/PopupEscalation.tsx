import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { askBackground } from '../../extension/client';
import { translator, type Locale } from '../../core/i18n';
import { useLocale, useT } from '../locale';
import { askFailed } from './answers';
import { inboxMessages } from '../../extension/escalation/i18n';

/** What the toolbar number is made of (extension/background/escalation/badge.ts counts the same). */
export function badgeMeaning(pending: number, needsMe: number | null, locale: Locale = 'en'): string {
  const t = translator(inboxMessages, locale);
  const total = pending + (needsMe ?? 0);
  if (total === 0) return t('badgeNothing');
  return t('badgeSum', { total, escalations: t('badgeEscalations', { count: needsMe ?? 0 }), changes: t('badgeChanges', { count: pending }) });
}

/** The popup's escalation corner: how many wait in my inbox, a link to it, and a proposal for the department. */
export function PopupEscalation() {
  const t = useT(inboxMessages);
  const locale = useLocale();
  const [counts, setCounts] = useState<{ count: number | null; needsMe: number | null; pending: number }>({ count: null, needsMe: null, pending: 0 });
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void askBackground(browser, { type: 'escalation-inbox-count' }).then(setCounts, () => undefined);
  }, []);
  const { count, needsMe, pending } = counts;

  async function propose(): Promise<void> {
    const answer = await askBackground(browser, { type: 'escalate', record: null, fields: {}, url: null }).catch(askFailed);
    if (answer.ok) window.close();
    else setProblem(answer.message);
  }

  return (
    <div class="hw-actions" style={{ marginTop: '14px' }}>
      <div class="hw-button-row">
        <button type="button" class="hw-button hw-button--small" data-testid="open-inbox" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/inbox.html') }).then(() => window.close())}>
          {needsMe ? t('openInboxNew', { count: needsMe }) : count ? t('openInboxWaiting', { count }) : t('openInbox')}
        </button>
        <button type="button" class="hw-button hw-button--small" data-testid="propose" title={t('proposeTitle')} onClick={() => void propose()}>
          {t('propose')}
        </button>
      </div>
      {problem ? <p class="hw-error">{problem}</p> : null}
      <p class="hw-hint" data-testid="badge-meaning">{badgeMeaning(pending, needsMe, locale)}</p>
    </div>
  );
}
