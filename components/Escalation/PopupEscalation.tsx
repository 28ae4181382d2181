import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { askBackground } from '../../extension/client';

/** The popup's escalation corner: how many wait in my inbox, a link to it, and a proposal for the department. */
export function PopupEscalation() {
  const [count, setCount] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void askBackground(browser, { type: 'escalation-inbox-count' }).then((answer) => setCount(answer.count), () => undefined);
  }, []);

  async function propose(): Promise<void> {
    const answer = await askBackground(browser, { type: 'escalate', record: null, fields: {}, url: null }).catch((error: unknown) => ({ ok: false as const, message: (error as Error).message }));
    if (answer.ok) window.close();
    else setProblem(answer.message);
  }

  return (
    <div class="hw-actions" style={{ marginTop: '14px' }}>
      <button type="button" class="hw-button hw-button--secondary" data-testid="open-inbox" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/inbox.html') }).then(() => window.close())}>
        Escalations{count ? ` (${count} waiting)` : ''}
      </button>
      <button type="button" class="hw-button hw-button--small" data-testid="propose" title="A proposal for the department, not about one record" onClick={() => void propose()}>
        Propose…
      </button>
      {problem ? <p class="hw-error">{problem}</p> : null}
    </div>
  );
}
