import { useState } from 'preact/hooks';
import { formatDateTime, formatDay } from '../../core/format/date-time';
import { formatMoney, groupDigits } from '../../core/format/money';
import type { NoteView } from '../../core/sync/records';
import { crmCopyLine } from './crm-copy';

export interface NoteListProps {
  notes: NoteView[];
  /** The record's currency as the page shows it (notes' prices are taken in it). */
  currency: string | null;
  /** Own notes (and ones captured here, not yet synced) may be edited and deleted. */
  canEdit: (note: NoteView) => boolean;
  onEdit: (note: NoteView) => void;
  onDelete: (note: NoteView) => void;
}

function details(note: NoteView, currency: string | null): [string, string][] {
  const rows: [string, string | undefined][] = [
    ['Asked', note.asked],
    ['Offered', note.offered],
    ['Price', note.price === undefined ? undefined : currency ? formatMoney(note.price, currency, 2) : groupDigits(note.price, 2)],
    ['Discount', note.discountPct === undefined ? undefined : `${note.discountPct} %`],
    ['Objections', note.objections],
    ['Next step', note.nextStep || note.nextStepDate ? [note.nextStep, note.nextStepDate ? formatDay(note.nextStepDate) : undefined].filter(Boolean).join(' · ') : undefined],
  ];
  return rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '');
}

/** The record's notes, newest first, from the local cache — so they show offline and at once after a save. */
export function NoteList({ notes, currency, canEdit, onEdit, onDelete }: NoteListProps) {
  const [confirming, setConfirming] = useState<string | null>(null);
  if (notes.length === 0) return <p class="hw-note" data-testid="notes-empty">No notes on this record yet.</p>;
  return (
    <ul class="hw-notes" data-testid="notes-list">
      {notes.map((note) => (
        <li key={note.id} class="hw-note-item" data-testid="note-item">
          <p class="hw-note-meta">
            <span class="hw-chip">{note.side === 'buyer' ? 'Buyer' : 'Seller'}</span>
            {note.contact ? <span>{note.contact}</span> : null}
            <span class="hw-spacer" />
            <time dateTime={note.createdAt}>{formatDateTime(note.createdAt)}</time>
          </p>
          {note.text ? <p class="hw-note-text" data-testid="note-text">{note.text}</p> : null}
          {details(note, currency).map(([label, value]) => (
            <p class="hw-note-detail" key={label}>
              <b>{label}</b> {value}
            </p>
          ))}
          <p class="hw-note-meta">
            {note.pending ? <span class="hw-pending" data-testid="note-pending">waiting to sync</span> : <CrmCopy note={note} />}
            <span class="hw-spacer" />
            {canEdit(note) && confirming !== note.id ? (
              <>
                <button type="button" class="hw-link" onClick={() => onEdit(note)}>Edit</button>
                <button type="button" class="hw-link" onClick={() => setConfirming(note.id)}>Delete</button>
              </>
            ) : null}
            {confirming === note.id ? (
              <>
                <span>Delete this note?</span>
                <button type="button" class="hw-link hw-danger" onClick={() => { setConfirming(null); onDelete(note); }}>Delete</button>
                <button type="button" class="hw-link" onClick={() => setConfirming(null)}>Keep</button>
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
  const line = crmCopyLine(note.crmCopy, note.record?.crm ?? null);
  if (!line) return null;
  return (
    <span class={`hw-crm-copy hw-crm-copy--${line.tone}`} data-testid="note-crm-copy" title={line.detail ?? undefined}>
      {line.text}
    </span>
  );
}
