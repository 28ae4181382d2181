import type { FailedMutation } from '../../core/sync/records';
import type { FailedItem } from './messages';

const NAMES: Record<FailedMutation['name'], string> = {
  'note.create': 'New note',
  'note.update': 'Edit of a note',
  'note.delete': 'Deleting a note',
  'deal.capture': 'Deal details read from the page',
  'escalation.create': 'Escalation',
};

function titleOf(args: unknown): string | null {
  if (typeof args !== 'object' || args === null) return null;
  const record = args as { recordTitle?: unknown; text?: unknown; content?: { text?: unknown } };
  if (typeof record.recordTitle === 'string' && record.recordTitle) return record.recordTitle;
  const text = typeof record.text === 'string' ? record.text : typeof record.content?.text === 'string' ? record.content.text : '';
  return text ? (text.length > 40 ? `${text.slice(0, 40)}…` : text) : null;
}

/** A refused mutation in words for the sidebar's list, with whether it is a stale edit (Reload, not Retry). */
export function describeFailed(entry: FailedMutation): FailedItem {
  const title = titleOf(entry.args);
  return {
    mutationId: entry.mutationId,
    label: title ? `${NAMES[entry.name]} — ${title}` : NAMES[entry.name],
    code: entry.error.code,
    message: entry.error.message,
    conflict: entry.error.code === 'conflict' && (entry.name === 'note.update' || entry.name === 'note.delete'),
  };
}
