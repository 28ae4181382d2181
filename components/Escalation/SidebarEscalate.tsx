import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { recordRefOf } from '../../core/crm';
import type { PageView } from '../../extension/messages';
import { useT } from '../locale';
import { shortcutHint } from '../Sidebar/shortcuts';
import { escalationMessages } from '../../extension/escalation/i18n';

/**
 * The side panel's Escalate button and one line about this record's latest escalation. The panel carries no zod
 * (its first paint): plain messages; the background validates them and words the line.
 */
const TONES: Record<string, string> = { open: 'offline', ok: 'online', muted: 'muted' };

export function SidebarEscalate({ page, revision }: { page: PageView; revision: number }) {
  const t = useT(escalationMessages);
  const { detected, fields } = page;
  const record = recordRefOf(detected);
  const key = record ? JSON.stringify(record) : '';
  const [line, setLine] = useState<{ text: string | null; tone?: string }>({ text: null });
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    if (!record) return;
    let live = true;
    browser.runtime
      .sendMessage({ type: 'escalation-status', record, revision })
      .then((answer: { text?: unknown; tone?: unknown } | undefined) => live && setLine({ text: typeof answer?.text === 'string' ? answer.text : null, tone: String(answer?.tone) }))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [key, revision, asked]);

  if (!record) return null;
  const send = () =>
    browser.runtime
      .sendMessage({ type: 'escalate', record, fields, url: page.href })
      .then((answer: { message?: unknown } | undefined) => {
        setLine({ text: typeof answer?.message === 'string' ? answer.message : null, tone: 'open' });
        setTimeout(() => setAsked((n) => n + 1), 1500);
      })
      .catch(() => undefined);
  return (
    <div class="hw-escalation" style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: '8px', margin: '10px 0' }}>
      <button type="button" class="hw-button" data-testid="escalate" title={t('escalateTitle', { shortcut: shortcutHint('escalate') })} onClick={() => void send()}>
        {t('escalate')}
      </button>
      {line.text ? <span class={`hw-status hw-status--${TONES[line.tone ?? ''] ?? 'muted'}`} data-testid="escalation-status">{line.text}</span> : null}
    </div>
  );
}
