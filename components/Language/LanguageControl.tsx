import { useSignal } from '@preact/signals';
import { browser } from 'wxt/browser';
import { LOCALES, readerLocale, type Locale } from '../../core/i18n';
import { askBackground } from '../../extension/client';
import type { ConnectionSnapshot } from '../../extension/messages';
import { useT } from '../locale';
import { LANGUAGE_NAMES, languageMessages } from './i18n';

const BROWSER = 'browser';

/**
 * "Language: browser default / English / Русский", stored on the server for the signed-in user (PUT /api/me/locale
 * through the background); the pages follow the snapshot the background publishes with the new user.
 */
export function LanguageControl({ snapshot, onChanged }: { snapshot: ConnectionSnapshot; onChanged: (snapshot: ConnectionSnapshot) => void }) {
  const t = useT(languageMessages);
  const busy = useSignal(false);
  const problem = useSignal<string | null>(null);
  const setting = snapshot.user?.locale ?? null;

  async function choose(value: string): Promise<void> {
    const locale = value === BROWSER ? null : (LOCALES.find((code) => code === value) ?? null);
    busy.value = true;
    problem.value = null;
    try {
      const answer = await askBackground(browser, { type: 'set-locale', locale });
      onChanged(answer.snapshot);
      if (!answer.ok) problem.value = answer.message;
    } catch (error) {
      problem.value = (error as Error).message;
    } finally {
      busy.value = false;
    }
  }

  return (
    <section class="hw-card" aria-labelledby="language-heading">
      <h2 id="language-heading" class="hw-card-title">
        {t('heading')}
      </h2>
      <div class="hw-field-group">
        <label for="language-select">{t('label')}</label>
        <select id="language-select" data-testid="language-select" value={setting ?? BROWSER} disabled={busy.value} onChange={(event) => void choose(event.currentTarget.value)}>
          <option value={BROWSER}>{t('browser', { language: LANGUAGE_NAMES[readerLocale(null)] })}</option>
          {LOCALES.map((code: Locale) => (
            <option value={code}>{LANGUAGE_NAMES[code]}</option>
          ))}
        </select>
      </div>
      {busy.value ? <p class="hw-hint">{t('saving')}</p> : <p class="hw-hint">{t('hint')}</p>}
      {problem.value ? (
        <p class="hw-error" role="alert">
          {problem.value}
        </p>
      ) : null}
    </section>
  );
}
