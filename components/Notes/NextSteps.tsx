import { useFormats, useT } from '../locale';
import { notesMessages } from '../../extension/sync/i18n';
import type { NoteView } from '../../core/sync/records';

/** Agreed next steps in the coming week, on any record, soonest first. */
export function NextSteps({ upcoming }: { upcoming: NoteView[] }) {
  const t = useT(notesMessages);
  const format = useFormats();
  if (upcoming.length === 0) return null;
  return (
    <section class="hw-section" aria-label={t('nextStepsLabel')} data-testid="next-steps">
      <p class="hw-eyebrow">{t('nextStepsHeading')}</p>
      <ul class="hw-steps">
        {upcoming.map((note) => (
          <li key={note.id}>
            <time dateTime={note.nextStepDate}>{note.nextStepDate ? format.dayMonth(note.nextStepDate) : ''}</time> {note.nextStep || note.text.slice(0, 80)}
            {note.recordTitle ? <span class="hw-muted"> · {note.recordTitle}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
