import { LanguageControl } from '../Language/LanguageControl';
import { AccountPanel } from './AccountPanel';
import { useT } from '../locale';
import { ConnectForm } from './ConnectForm';
import { connectionMessages } from './i18n';
import { useConnectionSnapshot } from './useConnection';

/** The options page: pair with a server, or see and manage the pairing. */
export function OptionsPage() {
  const t = useT(connectionMessages);
  const { snapshot, problem } = useConnectionSnapshot({ refresh: true });
  const current = snapshot.value;
  const paired = current && current.state !== 'unpaired' && current.state !== 'unauthorized';
  return (
    <main class="hw-page">
      <header class="hw-page-header">
        <span class="hw-mark" aria-hidden="true">H</span>
        <span class="hw-brand">Headway</span>
      </header>
      {problem.value ? (
        <p class="hw-error" role="alert">
          {problem.value}
        </p>
      ) : null}
      {current === null ? null : paired ? (
        <>
          <h1 class="hw-h1">{t('signedIn')}</h1>
          <p class="hw-lead">{t('signedInLead')}</p>
          <p class="hw-dashboard-link">
            <a class="hw-button hw-button--primary" href="/dashboard.html" target="_blank" rel="noopener">
              {t('openDashboard')}
            </a>
          </p>
          <AccountPanel snapshot={current} onChanged={(next) => (snapshot.value = next)} />
          <LanguageControl snapshot={current} onChanged={(next) => (snapshot.value = next)} />
        </>
      ) : (
        <>
          <h1 class="hw-h1">{t('connectHeading')}</h1>
          <p class="hw-lead">
            {current.state === 'unauthorized' ? t('signedOutLead') : t('connectIntro')}
          </p>
          <section class="hw-card">
            <ConnectForm initialServerUrl={current.serverUrl ?? ''} onConnected={(next) => (snapshot.value = next)} />
          </section>
        </>
      )}
    </main>
  );
}
