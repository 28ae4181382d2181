import { useState } from 'preact/hooks';
import type { Formats, Translate } from '../../core/i18n';
import type { NoteView } from '../../core/sync/records';
import { useFormats, useLocale, useT } from '../locale';
import { crmCopyLine } from './crm-copy';
import { notesMessages } from '../../extension/sync/i18n';

export interface NoteListProps {
  notes: NoteView[];
  /** The record's currency as the page shows it (notes' prices are taken in it). */
  currency: string | null;
  /** Own notes (and ones captured here, not yet synced) may be edited and deleted. */
  canEdit: (note: NoteView) => boolean;
  onEdit: (note: NoteView) => void;
  onDelete: (note: NoteView) => void;
}

function details(note: NoteView, currency: string | null, t: Translate<typeof notesMessages.en>, format: Formats): [string, string][] {
  const rows: [string, string | undefined][] = [
    [t('asked'), note.asked],
    [t('offered'), note.offered],
    [t('price'), note.price === undefined ? undefined : currency ? format.money(note.price, currency, 2) : format.digits(note.price, 2)],
    // A discount is kept as typed (7.5 %), not rounded to whole points as a load percentage is.
    [t('discount'), note.discountPct === undefined ? undefined : t('discountValue', { percent: format.digits(note.discountPct, 2) })],
    [t('objections'), note.objections],
    [t('nextStep'), note.nextStep || note.nextStepDate ? [note.nextStep, note.nextStepDate ? format.day(note.nextStepDate) : undefined].filter(Boolean).join(' · ') : undefined],
  ];
  return rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '');
}

/** The record's notes, newest first, from the local cache — so they show offline and at once after a save. */
export function NoteList({ notes, currency, canEdit, onEdit, onDelete }: NoteListProps) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const t = useT(notesMessages);
  const format = useFormats();
  if (notes.length === 0) return <p class="hw-note" data-testid="notes-empty">{t('empty')}</p>;
  return (
    <ul class="hw-notes" data-testid="notes-list">
      {notes.map((note) => (
        <li key={note.id} class="hw-note-item" data-testid="note-item">
          <p class="hw-note-meta">
            <span class="hw-chip">{t(note.side)}</span>
            {note.contact ? <span>{note.contact}</span> : null}
            <span class="hw-spacer" />
            <time dateTime={note.createdAt}>{format.dateTime(note.createdAt)}</time>
          </p>
          {note.text ? <p class="hw-note-text" data-testid="note-text">{note.text}</p> : null}
          {details(note, currency, t, format).map(([label, value]) => (
            <p class="hw-note-detail" key={label}>
              <b>{label}</b> {value}
            </p>
          ))}
          <p class="hw-note-meta">
            {note.pending ? <span class="hw-pending" data-testid="note-pending">{t('waitingToSync')}</span> : <CrmCopy note={note} />}
            <span class="hw-spacer" />
            {canEdit(note) && confirming !== note.id ? (
              <>
                <button type="button" class="hw-link" onClick={() => onEdit(note)}>{t('edit')}</button>
                <button type="button" class="hw-link" onClick={() => setConfirming(note.id)}>{t('delete')}</button>
              </>
            ) : null}
            {confirming === note.id ? (
              <>
                <span>{t('deleteConfirm')}</span>
                <button type="button" class="hw-link hw-danger" onClick={() => { setConfirming(null); onDelete(note); }}>{t('delete')}</button>
                <button type="button" class="hw-link" onClick={() => setConfirming(null)}>{t('keep')}</button>
              </>
            ) : null}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** The note's state in the CRM of record, once the server has it (a connector writes notes back). */
function CrmCopy({ note }: { note: NoteView }) {
  const line = crmCopyLine(note.crmCopy, note.record?.crm ?? null, useLocale());
  if (!line) return null;
  return (
    <span class={`hw-crm-copy hw-crm-copy--${line.tone}`} data-testid="note-crm-copy" title={line.detail ?? undefined}>
      {line.text}
    </span>
  );
}
