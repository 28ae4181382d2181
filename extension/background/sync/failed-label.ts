import { notesMessages } from '../../sync/i18n';
import { translator, type Locale } from '../../../core/i18n';
import type { FailedMutation } from '../../../core/sync/records';
import type { FailedItem } from '../../sync/messages';

const NAMES = {
  'note.create': 'failedCreate',
  'note.update': 'failedUpdate',
  'note.delete': 'failedDelete',
  'deal.capture': 'failedCapture',
  'escalation.create': 'failedEscalation',
} as const satisfies Record<FailedMutation['name'], keyof typeof notesMessages.en>;

function titleOf(args: unknown): string | null {
  if (typeof args !== 'object' || args === null) return null;
  const record = args as { recordTitle?: unknown; text?: unknown; content?: { text?: unknown } };
  if (typeof record.recordTitle === 'string' && record.recordTitle) return record.recordTitle;
  const text = typeof record.text === 'string' ? record.text : typeof record.content?.text === 'string' ? record.content.text : '';
  return text ? (text.length > 40 ? `${text.slice(0, 40)}…` : text) : null;
}

/** A refused mutation in words for the sidebar's list, with whether it is a stale edit (Reload, not Retry). */
export function describeFailed(entry: FailedMutation, locale: Locale = 'en'): FailedItem {
  const t = translator(notesMessages, locale);
  const title = titleOf(entry.args);
  const what = t(NAMES[entry.name]);
  return {
    mutationId: entry.mutationId,
    label: title ? t('failedWithTitle', { what, title }) : what,
    code: entry.error.code,
    message: entry.error.message,
    conflict: entry.error.code === 'conflict' && (entry.name === 'note.update' || entry.name === 'note.delete'),
  };
}
