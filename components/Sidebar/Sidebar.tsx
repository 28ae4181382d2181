import type { Signal } from '@preact/signals';
import type { ConnectionSnapshot } from '../../extension/messages';
import type { SitePrefs } from '../../extension/site-prefs';
import { SidebarEscalate } from '../Escalation/SidebarEscalate';
import { MyProgress } from '../MyProgress/MyProgress';
import { NotesPanel } from '../Notes/NotesPanel';
import { OwnerLoad } from '../OwnerLoad/OwnerLoad';
import { useNotesFeed, usePassiveCapture } from '../Notes/useNotesFeed';
import type { PageView } from './model';
import { RecordCard } from './RecordCard';
import { SyncFooter } from './SyncFooter';
import { syncStatus } from './status';
import { useInsight } from './useInsight';

export interface SidebarProps {
  view: Signal<PageView | null>;
  /** False for the first frame, which shows only the record; then the rest of the panel renders, with its CSS. */
  complete: Signal<boolean>;
  snapshot: Signal<ConnectionSnapshot | null>;
  prefs: Signal<SitePrefs>;
  onToggle: () => void;
  onSwitchSide: () => void;
  onOpenOptions: () => void;
}

/**
 * The panel over the CRM page. Floating and narrow so it covers as little of the CRM as it can; collapsed,
 * it is only a small handle at the edge of the window.
 */
export function Sidebar({ view, complete, snapshot, prefs, onToggle, onSwitchSide, onOpenOptions }: SidebarProps) {
  const { collapsed, side } = prefs.value;
  const page = view.value;
  // Alt+Shift+N on a collapsed sidebar opens it with the note form.
  const { sync, captureWanted } = useNotesFeed(() => prefs.peek().collapsed && view.peek() && onToggle());
  usePassiveCapture(page);
  const insight = useInsight(page, snapshot.value?.state === 'online', sync?.revision ?? 0);
  if (!page) return null;
  if (collapsed) {
    const status = syncStatus(snapshot.value, sync);
    return (
      <button
        type="button"
        class={`hw-handle hw-${side}`}
        data-testid="sidebar-handle"
        aria-label={`Open Headway (${status.text}) — Alt+Shift+H`}
        title="Open Headway (Alt+Shift+H)"
        aria-expanded="false"
        onClick={onToggle}
      >
        <span class="hw-mark" aria-hidden="true">H</span>
        <span class={`hw-dot hw-status--${status.tone}`} aria-hidden="true" />
      </button>
    );
  }
  const otherSide = side === 'right' ? 'left' : 'right';
  return (
    <aside class={`hw-panel hw-${side}`} aria-label="Headway" data-testid="sidebar-panel">
      <header class="hw-header">
        <span class="hw-mark" aria-hidden="true">H</span>
        <span class="hw-brand">Headway</span>
        <span class="hw-spacer" />
        <button type="button" class="hw-icon" aria-label={`Move Headway to the ${otherSide}`} title={`Move to the ${otherSide}`} onClick={onSwitchSide}>
          <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M2 5h10l-3-3M14 11H4l3 3" /></svg>
        </button>
        <button
          type="button"
          class="hw-icon"
          aria-label="Collapse Headway (Alt+Shift+H)"
          title="Collapse (Alt+Shift+H)"
          aria-expanded="true"
          data-testid="sidebar-collapse"
          onClick={onToggle}
        >
          <svg viewBox="0 0 16 16" aria-hidden="true">
            <path d={side === 'right' ? 'M6 3l5 5-5 5' : 'M10 3L5 8l5 5'} />
          </svg>
        </button>
      </header>
      <div class="hw-body">
        <RecordCard view={page} />
        {complete.value && !page.disabledReason ? <SidebarEscalate page={page} revision={sync?.revision ?? 0} /> : null}
        {complete.value && insight ? <OwnerLoad insight={insight} /> : null}
        {complete.value && insight?.progress ? <MyProgress progress={insight.progress} /> : null}
        {complete.value && !page.disabledReason ? <NotesPanel page={page} sync={sync} captureWanted={captureWanted} /> : null}
      </div>
      <SyncFooter snapshot={snapshot.value} sync={sync} onOpenOptions={onOpenOptions} />
    </aside>
  );
}
