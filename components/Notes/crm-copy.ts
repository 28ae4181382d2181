import { adapterFor } from '../../core/crm';
import type { CrmId, NoteCrmCopy } from '../../core/schema';
import { formatDateTime } from '../../core/format/date-time';

export interface CrmCopyLine {
  text: string;
  /** written: nothing to do; waiting: the server will send it; failing: it is being retried, here is why. */
  tone: 'written' | 'waiting' | 'failing';
  /** More than the line says, for a tooltip. */
  detail: string | null;
}

/**
 * Where a note stands in the CRM of record, in a few words for the note list (null: no connector serves its
 * record, so the note lives only in Headway). A failure says it is retried, so no one types the note twice.
 */
export function crmCopyLine(copy: NoteCrmCopy | null, crm: CrmId | null): CrmCopyLine | null {
  if (!copy) return null;
  const name = (crm && adapterFor(crm)?.label) || 'the CRM';
  if (copy.state === 'written') return { text: `In ${name}`, tone: 'written', detail: `Written to ${name} ${formatDateTime(copy.at)}` };
  if (copy.state === 'pending') return { text: `Waiting to go to ${name}`, tone: 'waiting', detail: null };
  const reason = copy.message?.trim() || 'no reason given';
  return { text: `Not in ${name} yet (${reason}); retrying`, tone: 'failing', detail: `${name} refused the note: ${reason}. Headway retries it; nothing is lost.` };
}
