import { formatDayMonth } from '../../core/format/date-time';
import type { NoteView } from '../../core/sync/records';

/** Agreed next steps in the coming week, on any record, soonest first. */
export function NextSteps({ upcoming }: { upcoming: NoteView[] }) {
  if (upcoming.length === 0) return null;
  return (
    <section class="hw-section" aria-label="Next steps this week" data-testid="next-steps">
      <p class="hw-eyebrow">Next steps · 7 days</p>
      <ul class="hw-steps">
        {upcoming.map((note) => (
          <li key={note.id}>
            <time dateTime={note.nextStepDate}>{note.nextStepDate ? formatDayMonth(note.nextStepDate) : ''}</time> {note.nextStep || note.text.slice(0, 80)}
            {note.recordTitle ? <span class="hw-muted"> · {note.recordTitle}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
