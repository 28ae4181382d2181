import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { NoteContent } from '../../../core/schema';
import { syncStatus } from '../../../components/Sidebar/status';
import { clearDraft, draftKey, loadDraft, saveDraft } from '../../../components/Notes/draft';
import { EMPTY_FORM, fromNote, parseAmount, parseFormValues, problemText, toContent } from '../../../components/Notes/form-model';
import { describeFailed } from '../../../extension/background/sync/failed-label';

describe('capture form values', () => {
  it('reads amounts typed the usual ways, and nothing else', () => {
    expect(parseAmount('')).toBeNull();
    expect(parseAmount('12500')).toBe(12500);
    expect(parseAmount('12 500,50')).toBe(12500.5);
    expect(parseAmount('12,500.50')).toBe(12500.5);
    expect(parseAmount('7,5')).toBe(7.5);
    expect(parseAmount('twelve')).toBeNaN();
    expect(parseAmount('1.2.3')).toBeNaN();
  });

  it('turns the form into note content the core schema accepts, leaving empty fields out', () => {
    const { content, problems } = toContent({ ...EMPTY_FORM, side: 'seller', contact: ' Jane ', text: ' Wants Q1 ', price: '12 500', discountPct: '8%', nextStepDate: '2026-12-01' });
    expect(problems).toEqual([]);
    expect(content).toEqual({ side: 'seller', contact: 'Jane', text: 'Wants Q1', price: 12500, discountPct: 8, nextStepDate: '2026-12-01' });
    expect(NoteContent.safeParse(content).success).toBe(true);
    expect(fromNote(NoteContent.parse(content))).toEqual({ ...EMPTY_FORM, side: 'seller', contact: 'Jane', text: 'Wants Q1', price: '12500', discountPct: '8', nextStepDate: '2026-12-01' });
  });

  it('names the field for what is not a number or a date', () => {
    const { problems } = toContent({ ...EMPTY_FORM, text: 'x', price: 'lots', discountPct: 'ten', nextStepDate: 'tomorrow' });
    expect(problems.map((problem) => problem.field)).toEqual(['price', 'discountPct', 'nextStepDate']);
    expect(problemText(problems[0]!)).toBe('Price: Enter the price as a number, such as 12500 or 12 500,50.');
    expect(problemText({ field: 'form', message: 'Something else.' })).toBe('Something else.');
    const russian = toContent({ ...EMPTY_FORM, text: 'x', price: 'много' }, 'ru').problems;
    expect(problemText(russian[0]!, 'ru')).toBe('Цена: Укажите цену числом, например 12500 или 12 500,50.');
  });

  it('reads back a damaged draft as far as it is sound', () => {
    expect(parseFormValues(null)).toBeNull();
    expect(parseFormValues({ side: 'admin', text: 42, contact: 'Jane' })).toEqual({ ...EMPTY_FORM, contact: 'Jane' });
  });

  it('keeps drafts per record in storage.local and forgets them on clear', async () => {
    fakeBrowser.reset();
    const storage = fakeBrowser.storage.local;
    const key = draftKey({ crm: 'hubspot', instance: 'https://app.hubspot.com/contacts/1234567', recordType: 'deal', crmId: '9' }, 'https://app.hubspot.com/x');
    expect(key).toBe('headway.draft:hubspot|deal|9');
    expect(draftKey(null, 'https://crm.example/list')).toBe('headway.draft:page|https://crm.example/list');
    const id = `n_${'ab'.repeat(16)}`;
    await saveDraft(storage, key, { id, values: { ...EMPTY_FORM, text: 'half typed' } });
    expect(await loadDraft(storage, key)).toEqual({ id, values: { ...EMPTY_FORM, text: 'half typed' } });
    await storage.set({ [key]: { id: '<script>', values: {} } });
    expect(await loadDraft(storage, key)).toBeNull();
    await clearDraft(storage, key);
    expect(await storage.get(null)).toEqual({});
  });
});

describe('sync line with the outbox known', () => {
  const base = { serverUrl: null, user: null, instances: [], disabledAdapters: [], workspaceName: null, lastContactAt: null, problem: null };
  it('says what waits and whether all is saved', () => {
    expect(syncStatus({ ...base, state: 'online' }, { pending: 0, failed: 0 })).toEqual({ text: 'Online · all saved', tone: 'online' });
    expect(syncStatus({ ...base, state: 'online' }, { pending: 3, failed: 0 }).text).toBe('3 waiting to sync');
    expect(syncStatus({ ...base, state: 'offline' }, { pending: 3, failed: 0 }).text).toBe('Offline — 3 waiting to sync');
    expect(syncStatus({ ...base, state: 'offline' }, { pending: 0, failed: 0 }).text).toBe('Offline — changes wait here');
    expect(syncStatus({ ...base, state: 'online' }, { pending: 0, failed: 2 })).toEqual({ text: 'Online · 2 not accepted — see above', tone: 'alert' });
    expect(syncStatus({ ...base, state: 'unauthorized' }, { pending: 3, failed: 0 }).text).toBe('Signed out — connect again');
  });

  it('words refused changes, and marks a stale edit as a conflict to reload', () => {
    const failed = { mutationId: 7, createdAt: '2026-11-27T09:00:00Z', failedAt: '2026-11-27T09:01:00Z' };
    expect(describeFailed({ ...failed, name: 'note.update', args: { id: 'n', baseVersion: 1, content: { text: 'a long text that goes well beyond forty characters' } }, error: { code: 'conflict', message: 'changed' } })).toEqual({
      mutationId: 7,
      label: 'Edit of a note — a long text that goes well beyond forty …',
      code: 'conflict',
      message: 'changed',
      conflict: true,
    });
    expect(describeFailed({ ...failed, name: 'note.create', args: { recordTitle: 'Acme' }, error: { code: 'forbidden', message: 'no' } })).toMatchObject({ label: 'New note — Acme', conflict: false });
  });
});
