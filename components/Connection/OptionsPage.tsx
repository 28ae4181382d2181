import { LanguageControl } from '../Language/LanguageControl';
import { AccountPanel } from './AccountPanel';
import { ConnectForm } from './ConnectForm';
import { useConnectionSnapshot } from './useConnection';

/** The options page: pair with a server, or see and manage the pairing. */
export function OptionsPage() {
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
          <h1 class="hw-h1">Signed in</h1>
          <p class="hw-lead">Headway shows its sidebar on the CRM pages below and syncs through your team’s server.</p>
          <p class="hw-dashboard-link">
            <a class="hw-button hw-button--primary" href="/dashboard.html" target="_blank" rel="noopener">
              Open dashboard
            </a>
          </p>
          <AccountPanel snapshot={current} onChanged={(next) => (snapshot.value = next)} />
          <LanguageControl snapshot={current} onChanged={(next) => (snapshot.value = next)} />
        </>
      ) : (
        <>
          <h1 class="hw-h1">Connect to your team’s server</h1>
          <p class="hw-lead">
            {current.state === 'unauthorized'
              ? 'This browser was signed out. Ask your admin for a new pairing code and connect again.'
              : 'Headway syncs plans, notes and escalations through your company’s Headway server. Your admin gives you its address and a one-time pairing code.'}
          </p>
          <section class="hw-card">
            <ConnectForm initialServerUrl={current.serverUrl ?? ''} onConnected={(next) => (snapshot.value = next)} />
          </section>
        </>
      )}
    </main>
  );
}
