import { browser } from 'wxt/browser';
import { PopupEscalation } from '../Escalation/PopupEscalation';
import { PopupProgress } from '../PlanProgress/PopupProgress';
import { useT } from '../locale';
import { AccountBadge } from './AccountBadge';
import { connectionMessages } from './i18n';
import { PanelButton } from './PanelButton';
import { StatusLine } from './StatusLine';
import { useConnectionSnapshot } from './useConnection';

/** The toolbar popup: am I connected, as whom, and a way to the settings. */
export function PopupPanel() {
  const t = useT(connectionMessages);
  const { snapshot, problem } = useConnectionSnapshot();
  const current = snapshot.value;
  const user = current?.state === 'unpaired' ? null : current?.user;
  return (
    <main class="hw-popup">
      <header class="hw-page-header">
        <span class="hw-mark" aria-hidden="true">H</span>
        <h1 class="hw-brand">Headway</h1>
        <span class="hw-spacer" />
        <StatusLine snapshot={current} />
      </header>
      {problem.value ? <p class="hw-error">{problem.value}</p> : null}
      {user ? (
        <AccountBadge user={user} />
      ) : (
        <p class="hw-lead">{t('connectLead')}</p>
      )}
      {current?.serverUrl && user ? <p class="hw-hint">{current.serverUrl}</p> : null}
      {user && current?.state !== 'unauthorized' ? (
        <>
          <PopupProgress user={user} />
          <PanelButton />
          <button type="button" class="hw-button hw-button--primary hw-button--block" onClick={() => void openDashboard()}>
            {t('openDashboard')}
          </button>
          <PopupEscalation />
        </>
      ) : null}
      <button
        type="button"
        class={`hw-button ${user ? 'hw-button--secondary' : 'hw-button--primary'} hw-button--block`}
        onClick={() => void browser.runtime.openOptionsPage()}
      >
        {user ? t('settings') : t('connectEllipsis')}
      </button>
    </main>
  );
}

async function openDashboard(): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL('/dashboard.html') });
  window.close();
}
