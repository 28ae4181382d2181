import { useSignal } from '@preact/signals';
import { browser } from 'wxt/browser';
import type { DealKind, PeriodUnit } from '../../core/schema';
import { AccountBadge } from '../Connection/AccountBadge';
import { StatusLine } from '../Connection/StatusLine';
import { useConnectionSnapshot } from '../Connection/useConnection';
import { LoadSection } from '../LoadHints/LoadSection';
import { ProgressSection } from '../PlanProgress/ProgressSection';
import { CrmConnections } from './CrmConnections';
import { useT } from '../locale';
import { dashboardMessages } from './i18n';
import { Segmented } from './Segmented';
import { DateField } from '../DateField/DateField';

const periods = ['month', 'quarter', 'year'] as const;
const kinds = ['sale', 'purchase'] as const;

/** The head of sales' full view: plan progress and load, from the server through the background. */
export function DashboardPage() {
  const t = useT(dashboardMessages);
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
            {t('connectingToHeadway')}
          </p>
        ) : null}
        {current && !user ? (
          <section class="hw-card hw-narrow">
            <h1 class="hw-h1">{t('connectFirst')}</h1>
            <p class="hw-lead">
              {current.state === 'unauthorized' ? t('notAccepted') : t('connectLead')}
            </p>
            <button type="button" class="hw-button hw-button--primary" onClick={() => void browser.runtime.openOptionsPage()}>
              {t('openSettings')}
            </button>
          </section>
        ) : null}
        {user ? (
          <>
            <div class="hw-toolbar">
              <h1 class="hw-h1 hw-dash-title">{t('heading')}</h1>
              <span class="hw-spacer" />
              <Segmented name="period" legend={t('period')} options={periods.map((value) => ({ value, label: t(value) }))} value={unit.value} onChange={(v) => (unit.value = v)} />
              <Segmented name="kind" legend={t('salesOrPurchases')} options={kinds.map((value) => ({ value, label: t(value) }))} value={kind.value} onChange={(v) => (kind.value = v)} />
              {/* Plan progress can look at any period; load and moves are always today's (they act on open deals now). */}
              <label class="hw-date">
                <span>{t('periodContaining')}</span>
                <DateField value={date.value} onValue={(iso) => (date.value = iso)} aria-describedby="date-hint" data-testid="period-date" />
              </label>
              <span id="date-hint" class="hw-sr-only">
                {t('dateHint')}
              </span>
              {date.value ? (
                <button type="button" class="hw-button hw-button--small" onClick={() => (date.value = '')}>
                  {t('today')}
                </button>
              ) : null}
              <button type="button" class="hw-button hw-button--small" onClick={() => refreshKey.value++}>
                {t('refresh')}
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
