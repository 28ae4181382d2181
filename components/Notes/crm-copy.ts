import { adapterFor } from '../../core/crm';
import type { CrmId, NoteCrmCopy } from '../../core/schema';
import { formatsOf, translator, type Locale } from '../../core/i18n';
import { notesMessages } from '../../extension/sync/i18n';

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
export function crmCopyLine(copy: NoteCrmCopy | null, crm: CrmId | null, locale: Locale = 'en'): CrmCopyLine | null {
  if (!copy) return null;
  const t = translator(notesMessages, locale);
  const name = (crm && adapterFor(crm)?.label) || t('theCrm');
  if (copy.state === 'written') return { text: t('inCrm', { crm: name }), tone: 'written', detail: t('writtenTo', { crm: name, time: formatsOf(locale).dateTime(copy.at) }) };
  if (copy.state === 'pending') return { text: t('waitingForCrm', { crm: name }), tone: 'waiting', detail: null };
  // The reason is the CRM's (or the server's) own sentence, shown as it came.
  const reason = copy.message?.trim() || t('noReason');
  return { text: t('notInCrm', { crm: name, reason }), tone: 'failing', detail: t('crmRefused', { crm: name, reason }) };
}
