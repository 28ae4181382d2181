import type { Signal } from '@preact/signals';
import type { ConnectionSnapshot, PageView } from '../../extension/messages';
import type { SyncSummary } from '../../extension/sync/messages';
import { SidebarEscalate } from '../Escalation/SidebarEscalate';
import { MyProgress } from '../MyProgress/MyProgress';
import { NotesPanel } from '../Notes/NotesPanel';
import { OwnerLoad } from '../OwnerLoad/OwnerLoad';
import { useFormats, useT } from '../locale';
import { sidebarMessages } from './i18n';
import { RecordCard } from './RecordCard';
import { shortcutHint } from './shortcuts';
import { SyncFooter } from './SyncFooter';
import { useInsight } from './useInsight';

export interface SidebarProps {
  /** The record in the panel's tab; undefined until the tab's page reported, null when it shows no CRM page. */
  view: Signal<PageView | null | undefined>;
  /** False for the first frame, which shows only the record; then the rest of the panel renders. */
  complete: Signal<boolean>;
  snapshot: Signal<ConnectionSnapshot | null>;
  sync: Signal<SyncSummary | null>;
  /** Set by the capture-note command; the notes open their form and clear it. */
  captureWanted: Signal<boolean>;
  /** Which side the browser shows its side panel on, when it says (Chromium), for the side button's words. */
  side: Signal<'left' | 'right' | null>;
  onClose: () => void;
  onHideSite: () => void;
  onChangeSide: (() => void) | null;
  onOpenOptions: () => void;
}

/** The side panel beside a CRM tab: the record, its owner and load, the plan bars, notes and escalation. */
export function Sidebar({ view, complete, snapshot, sync, captureWanted, side, onClose, onHideSite, onChangeSide, onOpenOptions }: SidebarProps) {
  const page = view.value;
  const summary = sync.value;
  const insight = useInsight(page ?? null, snapshot.value?.state === 'online', summary?.revision ?? 0);
  const record = page && !page.disabledReason ? page : null;
  const t = useT(sidebarMessages);
  const format = useFormats();
  return (
    <aside class="hw-panel" aria-label="Headway" data-testid="sidebar-panel">
      <header class="hw-header">
        <span class="hw-mark" aria-hidden="true">H</span>
        <span class="hw-brand">Headway</span>
        <span class="hw-spacer" />
        {onChangeSide ? (
          <button
            type="button"
            class="hw-icon"
            aria-label={t(side.value === 'left' ? 'moveRight' : 'moveLeft')}
            title={t(side.value === 'left' ? 'sideLeft' : 'sideRight')}
            onClick={onChangeSide}
          >
            <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M2 5h10l-3-3M14 11H4l3 3" /></svg>
          </button>
        ) : null}
        {page ? (
          <button type="button" class="hw-icon" aria-label={t('hideSite')} title={t('hideSite')} data-testid="hide-site" onClick={onHideSite}>
            <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M2 8s2.2-4 6-4 6 4 6 4-2.2 4-6 4-6-4-6-4zM3 13L13 3" /></svg>
          </button>
        ) : null}
        <button
          type="button"
          class="hw-icon"
          aria-label={t('closeLabel', { shortcut: shortcutHint('toggle-sidebar') })}
          title={t('closeTitle', { shortcut: shortcutHint('toggle-sidebar') })}
          data-testid="sidebar-collapse"
          onClick={onClose}
        >
          <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M4 4l8 8M12 4l-8 8" /></svg>
        </button>
      </header>
      <div class="hw-body">
        {page ? <RecordCard view={page} /> : <EmptyTab waiting={page === undefined} />}
        {complete.value && record ? <SidebarEscalate page={record} revision={summary?.revision ?? 0} /> : null}
        {complete.value && insight?.asOf ? (
          <p class="hw-stale" role="status" data-testid="insight-stale">
            {t('stale', { time: format.dateTime(insight.asOf) })}
          </p>
        ) : null}
        {complete.value && insight ? <OwnerLoad insight={insight} /> : null}
        {complete.value && insight?.progress ? <MyProgress progress={insight.progress} /> : null}
        {complete.value && record ? <NotesPanel page={record} sync={summary} captureWanted={captureWanted} /> : null}
      </div>
      <SyncFooter snapshot={snapshot.value} sync={summary} onOpenOptions={onOpenOptions} />
    </aside>
  );
}

function EmptyTab({ waiting }: { waiting: boolean }) {
  const t = useT(sidebarMessages);
  return (
    <section class="hw-section">
      <p class="hw-note" data-testid="no-crm-page">
        {waiting ? t('readingTab') : t('noCrmPage')}
      </p>
    </section>
  );
}
