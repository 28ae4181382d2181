import { useSignal } from '@preact/signals';
import { browser } from 'wxt/browser';
import type { DealKind, PeriodUnit } from '../../core/schema';
import { AccountBadge } from '../Connection/AccountBadge';
import { StatusLine } from '../Connection/StatusLine';
import { useConnectionSnapshot } from '../Connection/useConnection';
import { LoadSection } from '../LoadHints/LoadSection';
import { ProgressSection } from '../PlanProgress/ProgressSection';
import { CrmConnections } from './CrmConnections';
import { Segmented } from './Segmented';

const periods = [
  { value: 'month', label: 'Month' },
  { value: 'quarter', label: 'Quarter' },
  { value: 'year', label: 'Year' },
] as const;
const kinds = [
  { value: 'sale', label: 'Sales' },
  { value: 'purchase', label: 'Purchases' },
] as const;

/** The head of sales' full view: plan progress and load, from the server through the background. */
export function DashboardPage() {
  const { snapshot, problem } = useConnectionSnapshot();
  const unit = useSignal<PeriodUnit>('month');
  const kind = useSignal<DealKind>('sale');
  const date = useSignal('');
  const refreshKey = useSignal(0);
  const current = snapshot.value;
  const user = current && current.state !== 'unpaired' && current.state !== 'unauthorized' ? current.user : null;

  return (
    <div class="hw-dash">
      <header class="hw-dash-header">
        <div class="hw-dash-brand">
          <span class="hw-mark" aria-hidden="true">H</span>
          <span class="hw-brand">Headway</span>
          {current?.workspaceName ? (
            <>
              <span class="hw-divider" aria-hidden="true" />
              <span class="hw-workspace" data-testid="workspace-name">
                {current.workspaceName}
              </span>
            </>
          ) : null}
        </div>
        <span class="hw-spacer" />
        <StatusLine snapshot={current} />
        {user ? <AccountBadge user={user} class="hw-dash-user" /> : null}
      </header>
      <main class="hw-dash-main">
        {problem.value ? (
          <p class="hw-error" role="alert">
            {problem.value}
          </p>
        ) : null}
        {current === null && !problem.value ? (
          <p class="hw-loading" role="status">
            Connecting to Headway…
          </p>
        ) : null}
        {current && !user ? (
          <section class="hw-card hw-narrow">
            <h1 class="hw-h1">Connect Headway first</h1>
            <p class="hw-lead">
              {current.state === 'unauthorized'
                ? 'The server no longer accepts this browser. Connect again with a new pairing code.'
                : 'The dashboard shows your team’s plans and load from your Headway server. Connect this browser to it in the settings.'}
            </p>
            <button type="button" class="hw-button hw-button--primary" onClick={() => void browser.runtime.openOptionsPage()}>
              Open settings
            </button>
          </section>
        ) : null}
        {user ? (
          <>
            <div class="hw-toolbar">
              <h1 class="hw-h1 hw-dash-title">Dashboard</h1>
              <span class="hw-spacer" />
              <Segmented name="period" legend="Period" options={periods} value={unit.value} onChange={(v) => (unit.value = v)} />
              <Segmented name="kind" legend="Sales or purchases" options={kinds} value={kind.value} onChange={(v) => (kind.value = v)} />
              {/* Plan progress can look at any period; load and moves are always today's (they act on open deals now). */}
              <label class="hw-date">
                <span>Plan period containing</span>
                <input type="date" value={date.value} onChange={(e) => (date.value = (e.currentTarget as HTMLInputElement).value)} aria-describedby="date-hint" />
              </label>
              <span id="date-hint" class="hw-sr-only">
                Leave empty for today. Load and moves always show today.
              </span>
              {date.value ? (
                <button type="button" class="hw-button hw-button--small" onClick={() => (date.value = '')}>
                  Today
                </button>
              ) : null}
              <button type="button" class="hw-button hw-button--small" onClick={() => refreshKey.value++}>
                Refresh
              </button>
            </div>
            <ProgressSection user={user} unit={unit.value} kind={kind.value} date={date.value || undefined} refreshKey={refreshKey.value} />
            <LoadSection user={user} refreshKey={refreshKey.value} />
            {/* Only they may read connections (GET /api/crm/connections); managers and execs see the figures, not the plumbing. */}
            {user.role === 'head' || user.role === 'admin' ? <CrmConnections refreshKey={refreshKey.value} instances={current!.instances} onImported={() => refreshKey.value++} /> : null}
          </>
        ) : null}
      </main>
    </div>
  );
}
