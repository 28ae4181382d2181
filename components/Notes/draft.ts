import type { RecordRef } from '../../core/schema';
import type { StorageAreaLike } from '../../extension/session';
import { parseFormValues, type NoteFormValues } from './form-model';

/**
 * An unsent note survives closing the tab: kept in storage.local per record (per page for a page that is
 * not a record), removed when the note is saved. The id travels with it, so a save retried later is the same note.
 */
export const draftKey = (record: RecordRef | null, pageKey: string) =>
  `headway.draft:${record ? `${record.crm}|${record.recordType}|${record.crmId}` : `page|${pageKey}`}`;

export interface StoredDraft {
  id: string;
  values: NoteFormValues;
}

export async function loadDraft(storage: StorageAreaLike, key: string): Promise<StoredDraft | null> {
  const stored = (await storage.get(key))[key] as { id?: unknown; values?: unknown } | undefined;
  const values = parseFormValues(stored?.values);
  if (!stored || typeof stored.id !== 'string' || !/^n_[0-9a-f]{32}$/.test(stored.id) || !values) return null;
  return { id: stored.id, values };
}

export const saveDraft = (storage: StorageAreaLike, key: string, draft: StoredDraft) => storage.set({ [key]: draft });

export const clearDraft = (storage: StorageAreaLike, key: string) => storage.remove(key);
