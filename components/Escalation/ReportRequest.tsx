import { formatDay } from '../../core/format/date-time';
import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { lastWeekOf, mondayOf, requestedWeek } from '../../core/escalation';
import type { EscalationView } from '../../core/schema';
import { askBackground } from '../../extension/client';
import { askFailed } from './answers';

const today = () => new Date().toISOString().slice(0, 10);

/** "16 Mar 2026": the week a report covers, as people say it. */
export function weekLabel(monday: string): string {
  return formatDay(monday);
}

/**
 * Management asks for the weekly report in one press: last week unless another week is picked, with an optional
 * note. The server routes it to the report writer (the head of sales by default).
 */
export function RequestReportForm({ onSent }: { onSent: (id: string) => void }) {
  const [week, setWeek] = useState(lastWeekOf(today()));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);

  async function send(event: Event): Promise<void> {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(week)) {
      setMessage({ text: 'Pick a day of the week the report should cover.', ok: false });
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
    setMessage({ text: `Requested the report for the week of ${weekLabel(mondayOf(week))}.`, ok: true });
    if (typeof created.escalation?.id === 'string') onSent(created.escalation.id);
  }

  return (
    <form class="hw-report-request" data-testid="request-report" aria-label="Request a weekly report" onSubmit={(event) => void send(event)}>
      <label>
        <span>Week of</span>
        <input type="date" value={week} required data-testid="request-report-week" onInput={(event) => setWeek(event.currentTarget.value)} />
      </label>
      <label class="hw-report-request-note">
        <span>Note (optional)</span>
        <input type="text" value={note} maxLength={2000} placeholder="e.g. with the Q3 pipeline for the board" data-testid="request-report-note" onInput={(event) => setNote(event.currentTarget.value)} />
      </label>
      <button type="submit" class="hw-button hw-button--primary" disabled={busy} data-testid="act-request-report">
        Request report
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
  const week = requestedWeek(escalation) ?? lastWeekOf(today());
  return (
    <div class="hw-attach-report">
      <button type="button" class="hw-button hw-button--primary" data-testid="act-attach-report" disabled={busy} onClick={() => void onAttach(week)}>
        Attach weekly report
      </button>
      <span class="hw-hint">Week of {weekLabel(week)}; it is generated now and stored with your answer.</span>
    </div>
  );
}

/** The report a request was answered with, opened in Headway's report page (the server wants the device token). */
export function OpenReport({ reportId }: { reportId: string }) {
  const href = browser.runtime.getURL(`/report.html?id=${encodeURIComponent(reportId)}`);
  return (
    <a class="hw-button hw-button--report" href={href} target="_blank" rel="noopener" data-testid="open-report">
      Open the weekly report
    </a>
  );
}
