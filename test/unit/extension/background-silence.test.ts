import { afterEach, describe, expect, it, vi } from 'vitest';
import { askBackground } from '../../../extension/client';
import { listNotes } from '../../../extension/sync/notes-client';

const silent = { runtime: { sendMessage: () => Promise.reject(new Error('Could not establish connection. Receiving end does not exist.')) } };
const odd = { runtime: { sendMessage: () => Promise.resolve({ surprise: true }) } };
const pageIn = (lang: string) => vi.stubGlobal('document', { documentElement: { lang } });

describe('a background that does not answer is said in the page’s language', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('in Russian on a page rendered in Russian, in English on an English one', async () => {
    pageIn('ru');
    await expect(askBackground(silent as never, { type: 'get-state' })).rejects.toThrow('Фоновая часть Headway не отвечает. Перезагрузите расширение или браузер.');
    await expect(askBackground(odd as never, { type: 'get-state' })).rejects.toThrow('Фоновая часть Headway ответила непонятно. Перезагрузите расширение.');
    await expect(listNotes(silent as never, null)).rejects.toThrow('Фоновая часть Headway не отвечает. Обновите страницу.');
    pageIn('en');
    await expect(askBackground(silent as never, { type: 'get-state' })).rejects.toThrow('Headway’s background is not answering. Reload the extension or the browser.');
    await expect(listNotes(odd as never, null)).rejects.toThrow('Headway’s background is not answering. Reload the page.');
  });
});
