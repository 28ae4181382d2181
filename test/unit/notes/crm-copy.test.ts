import { describe, expect, it } from 'vitest';
import { crmCopyLine } from '../../../components/Notes/crm-copy';

const at = '2026-12-07T09:05:00.000Z';

describe('a note’s state in the CRM of record', () => {
  it('says nothing where no connector writes notes back', () => {
    expect(crmCopyLine(null, 'suitecrm')).toBeNull();
  });

  it('names the CRM the note went to, or waits for', () => {
    expect(crmCopyLine({ state: 'written', crmNoteId: 'n-1', message: null, at }, 'suitecrm')).toMatchObject({ text: 'In SuiteCRM', tone: 'written' });
    expect(crmCopyLine({ state: 'pending', crmNoteId: null, message: null, at }, 'suitecrm')).toMatchObject({ text: 'Waiting to go to SuiteCRM', tone: 'waiting' });
    expect(crmCopyLine({ state: 'pending', crmNoteId: null, message: null, at }, null)?.text).toBe('Waiting to go to the CRM');
  });

  it('says why a note is not in the CRM yet and that it is retried', () => {
    const line = crmCopyLine({ state: 'failed', crmNoteId: null, message: 'SuiteCRM refused the credential', at }, 'suitecrm');
    expect(line).toMatchObject({ tone: 'failing', text: 'Not in SuiteCRM yet (SuiteCRM refused the credential); retrying' });
    expect(line?.detail).toContain('nothing is lost');
    expect(crmCopyLine({ state: 'failed', crmNoteId: null, message: '  ', at }, 'suitecrm')?.text).toContain('no reason given');
  });

  it('speaks Russian in a Russian browser, the CRM’s own reason as it came', () => {
    expect(crmCopyLine({ state: 'pending', crmNoteId: null, message: null, at }, 'suitecrm', 'ru')?.text).toBe('Ждёт отправки в SuiteCRM');
    expect(crmCopyLine({ state: 'failed', crmNoteId: null, message: 'quota', at }, null, 'ru')?.text).toBe('Пока не в CRM (quota); пробуем снова');
    expect(crmCopyLine({ state: 'written', crmNoteId: 'n-1', message: null, at }, 'suitecrm', 'ru')?.detail).toMatch(/^Записана в SuiteCRM 7 дек\. 2026, \d\d:\d\d$/);
  });
});
