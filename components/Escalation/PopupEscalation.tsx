import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { askBackground } from '../../extension/client';
import { askFailed } from './answers';

/** What the toolbar number is made of (extension/escalation/badge.ts counts the same). */
export function badgeMeaning(pending: number, needsMe: number | null): string {
  const total = pending + (needsMe ?? 0);
  if (total === 0) return 'The toolbar badge counts what needs you: escalations to acknowledge and changes waiting to sync. Nothing now.';
  return `The toolbar badge (${total}) = ${needsMe ?? 0} escalation${needsMe === 1 ? '' : 's'} to acknowledge + ${pending} change${pending === 1 ? '' : 's'} waiting to sync.`;
}

/** The popup's escalation corner: how many wait in my inbox, a link to it, and a proposal for the department. */
export function PopupEscalation() {
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
          Escalations{needsMe ? ` (${needsMe} new for you)` : count ? ` (${count} waiting)` : ''}
        </button>
        <button type="button" class="hw-button hw-button--small" data-testid="propose" title="A proposal for the department, not about one record" onClick={() => void propose()}>
          Propose…
        </button>
      </div>
      {problem ? <p class="hw-error">{problem}</p> : null}
      <p class="hw-hint" data-testid="badge-meaning">{badgeMeaning(pending, needsMe)}</p>
    </div>
  );
}
