import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { lastWeekOf, mondayOf, requestedWeek } from '../../core/escalation';
import type { EscalationView } from '../../core/schema';
import { askBackground } from '../../extension/client';
import { useFormats, useT } from '../locale';
import { askFailed } from './answers';
import { inboxMessages } from '../../extension/escalation/i18n';
import { DateField } from '../DateField/DateField';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Management asks for the weekly report in one press: last week unless another week is picked, with an optional
 * note. The server routes it to the report writer (the head of sales by default).
 */
export function RequestReportForm({ onSent }: { onSent: (id: string) => void }) {
  const t = useT(inboxMessages);
  const { day } = useFormats();
  const [week, setWeek] = useState(lastWeekOf(today()));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);

  async function send(event: Event): Promise<void> {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(week)) {
      setMessage({ text: t('pickWeek'), ok: false });
      return;
    }
    setBusy(true);
    setMessage(null);
    const answer = await askBackground(browser, { type: 'escalation-request-report', week, body: note }).catch(askFailed);
    setBusy(false);
    if (!answer.ok) {
      setMessage({ text: answer.message, ok: false });
      return;
    }
    const created = answer.data as { escalation?: { id?: unknown } };
    setNote('');
    setMessage({ text: t('requested', { week: day(mondayOf(week)) }), ok: true });
    if (typeof created.escalation?.id === 'string') onSent(created.escalation.id);
  }

  return (
    <form class="hw-report-request" data-testid="request-report" aria-label={t('requestReportForm')} onSubmit={(event) => void send(event)}>
      <label>
        <span>{t('weekOf')}</span>
        <DateField value={week} required data-testid="request-report-week" onValue={setWeek} />
      </label>
      <label class="hw-report-request-note">
        <span>{t('noteOptional')}</span>
        <input type="text" value={note} maxLength={2000} placeholder={t('notePlaceholder')} data-testid="request-report-note" onInput={(event) => setNote(event.currentTarget.value)} />
      </label>
      <button type="submit" class="hw-button hw-button--primary" disabled={busy} data-testid="act-request-report">
        {t('requestReport')}
      </button>
      {message ? (
        <p class={message.ok ? 'hw-notice' : 'hw-error'} role={message.ok ? 'status' : 'alert'} data-testid="request-report-message">
          {message.text}
        </p>
      ) : null}
    </form>
  );
}

/** The head's answer to a report request: store the requested week's report and resolve the request with it. */
export function AttachReport({ escalation, busy, onAttach }: { escalation: EscalationView; busy: boolean; onAttach: (week: string) => Promise<boolean> }) {
  const t = useT(inboxMessages);
  const { day } = useFormats();
  const week = requestedWeek(escalation) ?? lastWeekOf(today());
  return (
    <div class="hw-attach-report">
      <button type="button" class="hw-button hw-button--primary" data-testid="act-attach-report" disabled={busy} onClick={() => void onAttach(week)}>
        {t('attachReport')}
      </button>
      <span class="hw-hint">{t('attachHint', { week: day(week) })}</span>
    </div>
  );
}

/** The report a request was answered with, opened in Headway's report page (the server wants the device token). */
export function OpenReport({ reportId }: { reportId: string }) {
  const t = useT(inboxMessages);
  const href = browser.runtime.getURL(`/report.html?id=${encodeURIComponent(reportId)}`);
  return (
    <a class="hw-button hw-button--report" href={href} target="_blank" rel="noopener" data-testid="open-report">
      {t('openReport')}
    </a>
  );
}
