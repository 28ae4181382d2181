import { parseHTML } from 'linkedom';
import { h, render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CsvFilePicker } from '../../../components/Dashboard/CsvFilePicker';
import { LocaleContext } from '../../../components/locale';
import type { Locale } from '../../../core/i18n';

function picker(locale: Locale, chosen: string | null) {
  const { document } = parseHTML('<html><body><div id="root"></div></body></html>');
  vi.stubGlobal('document', document);
  const root = document.getElementById('root')!;
  render(h(LocaleContext.Provider, { value: locale }, h(CsvFilePicker, { id: 'f', label: 'CSV', chosen, onChoose: () => undefined })), root);
  return root;
}

describe('the import dialogs’ file picker speaks the reader’s language, not the browser’s', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows a labelled button and the chosen file in Russian or English', () => {
    const ru = picker('ru', null);
    expect(ru.querySelector('button')?.textContent).toBe('Выбрать файл…');
    expect(ru.querySelector('#f-chosen')?.textContent).toBe('Файл не выбран');
    // The native input stays, labelled, out of sight: its own "Choose File" is never shown.
    expect(ru.querySelector('label[for="f"]')?.textContent).toBe('CSV');
    expect(ru.querySelector('input#f')?.getAttribute('class')).toBe('hw-sr-only');
    const en = picker('en', 'pipeline.csv');
    expect(en.querySelector('button')?.textContent).toBe('Choose file…');
    expect(en.querySelector('#f-chosen')?.textContent).toBe('pipeline.csv');
  });
});
