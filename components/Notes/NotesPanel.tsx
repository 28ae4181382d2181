import type { Signal } from '@preact/signals';
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { recordRefOf } from '../../core/crm';
import type { RecordRef } from '../../core/schema';
import type { NoteView } from '../../core/sync/records';
import type { FailedItem, NotesList, SyncSummary } from '../../extension/sync/messages';
import { deleteNote, listNotes, syncAction } from '../../extension/sync/notes-client';
import type { PageView } from '../../extension/messages';
import { useT } from '../locale';
import { shortcutHint } from '../Sidebar/shortcuts';
import { notesMessages } from '../../extension/sync/i18n';
import { NextSteps } from './NextSteps';
import { NoteForm } from './NoteForm';
import { NoteList } from './NoteList';
import { SyncIssues } from './SyncIssues';

export interface NotesPanelProps {
  page: PageView;
  sync: SyncSummary | null;
  /** Set by the capture-note command; the panel opens the form and clears it. */
  captureWanted: Signal<boolean>;
}

const recordOf = (page: PageView): RecordRef | null => recordRefOf(page.detected);

/** An edited note's record; a note kept from before records named their tenant edits as one tied to none. */
const tenantRecordOf = (note: NoteView): RecordRef | null => (note.record?.instance ? { ...note.record, instance: note.record.instance } : null);

/** A draft on a page that is not a record is kept per page: its origin and path, as the CRM tab shows them. */
function pageKeyOf(href: string): string {
  const url = new URL(href);
  return `${url.origin}${url.pathname}`;
}

/** Negotiation notes on the record on screen: capture, the list, next steps, and changes the server refused. */
export function NotesPanel({ page, sync, captureWanted }: NotesPanelProps) {
  const t = useT(notesMessages);
  const record = recordOf(page);
  const recordKey = record ? JSON.stringify(record) : null;
  const [list, setList] = useState<NotesList | null>(null);
  const [form, setForm] = useState<{ editing?: NoteView } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  const fail = (error: unknown) => setProblem(error instanceof Error ? error.message : String(error));
  const refresh = () => void listNotes(browser, record).then(setList, fail);

  // Again on another record, and whenever the background says the local cache changed (a save, a pull).
  useEffect(refresh, [recordKey, sync?.revision]);
  useEffect(() => setForm(null), [recordKey]);
  useEffect(() => {
    if (captureWanted.value) {
      captureWanted.value = false;
      setForm({});
    }
  }, [captureWanted.value]);

  function close(): void {
    setForm(null);
    // Back to where the keyboard user started.
    setTimeout(() => addButton.current?.focus(), 0);
  }

  function saved(note: NoteView): void {
    setProblem(null);
    // Shown at once from the save's answer; the list request that follows confirms it from the cache.
    setList((current) => current && record ? { ...current, notes: [note, ...current.notes.filter((other) => other.id !== note.id)] } : current);
    close();
    refresh();
  }

  function remove(note: NoteView): void {
    setList((current) => current && { ...current, notes: current.notes.filter((other) => other.id !== note.id) });
    void deleteNote(browser, note.id, note.version).then(refresh, (error: unknown) => {
      fail(error);
      refresh();
    });
  }

  const act = (type: 'sync-retry' | 'sync-discard') => (item: FailedItem) => void syncAction(browser, type, item.mutationId).then(refresh, fail);

  return (
    <>
      <section class="hw-section" aria-label={t('heading')}>
        <div class="hw-section-head">
          <p class="hw-eyebrow">{t('heading')}</p>
          {form ? null : (
            <button type="button" ref={addButton} class="hw-button" data-testid="add-note" title={t('addTitle', { shortcut: shortcutHint('capture-note') })} onClick={() => setForm({})}>
              {t('add')}
            </button>
          )}
        </div>
        {problem ? <p class="hw-problem" role="alert">{problem}</p> : null}
        {form ? (
          <NoteForm
            key={form.editing?.id ?? 'new'}
            record={form.editing ? tenantRecordOf(form.editing) : record}
            recordTitle={form.editing?.recordTitle ?? page.fields.title ?? null}
            pageKey={pageKeyOf(page.href)}
            currency={page.fields.currency ?? null}
            editing={form.editing}
            onSaved={saved}
            onClose={close}
          />
        ) : null}
        {record && list ? (
          <NoteList
            notes={list.notes}
            currency={page.fields.currency ?? null}
            canEdit={(note) => note.authorId === null || note.authorId === list.userId}
            onEdit={(note) => setForm({ editing: note })}
            onDelete={remove}
          />
        ) : null}
        {!record && !form ? <p class="hw-note">{t('notTied')}</p> : null}
      </section>
      <SyncIssues sync={sync} onRetry={act('sync-retry')} onDiscard={act('sync-discard')} />
      {list ? <NextSteps upcoming={list.upcoming} /> : null}
    </>
  );
}
