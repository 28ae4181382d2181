import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { askBackground } from '../../extension/client';
import { useT } from '../locale';
import { inboxMessages } from '../../extension/escalation/i18n';

/**
 * A stored weekly report, opened from the inbox. The server serves it only with the device token, so the background
 * fetches it; it is shown in a frame sandboxed without scripts, as the server's own CSP would have it.
 */
export function ReportPage({ id }: { id: string }) {
  const t = useT(inboxMessages);
  const [html, setHtml] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (id === '') {
      setProblem(t('noReportId'));
      return;
    }
    void askBackground(browser, { type: 'report-html', id }).then(
      (answer) => (answer.ok ? setHtml(answer.html) : setProblem(answer.message)),
      (error: unknown) => setProblem((error as Error).message),
    );
  }, [id]);

  return (
    <main class="hw-report-page">
      <header class="hw-page-header">
        <span class="hw-mark" aria-hidden="true">H</span>
        <span class="hw-brand">{t('weeklyReport')}</span>
      </header>
      {problem ? <p class="hw-error" role="alert" data-testid="report-problem">{problem}</p> : null}
      {html === null && !problem ? <p class="hw-hint">{t('loading')}</p> : null}
      {html !== null ? (
        // An empty sandbox: no scripts, no forms, no navigation of this page; the browser's Print prints it as shown.
        <iframe class="hw-report-frame" title={t('weeklyReport')} sandbox="" srcDoc={html} data-testid="report-frame" />
      ) : null}
    </main>
  );
}
