import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { CommandName } from '../../extension/messages';
import { useT } from '../locale';
import { connectionMessages } from './i18n';

/** The sidebar's keyboard shortcut as the browser has it now (the user may have changed the suggested one). */
export function ShortcutCard() {
  const t = useT(connectionMessages);
  const shortcut = useSignal<string | null>(null);
  useEffect(() => {
    void browser.commands
      .getAll()
      .then((commands) => (shortcut.value = commands.find((command) => command.name === ('toggle-sidebar' satisfies CommandName))?.shortcut || ''))
      .catch(() => (shortcut.value = ''));
  }, []);
  if (shortcut.value === null) return null;
  return (
    <section class="hw-card" aria-labelledby="shortcuts-heading">
      <h2 id="shortcuts-heading" class="hw-card-title">
        {t('keyboard')}
      </h2>
      <div class="hw-shortcut">
        <span>{t('toggleSidebar')}</span>
        {shortcut.value ? <kbd>{shortcut.value}</kbd> : <span class="hw-hint">{t('noShortcut')}</span>}
      </div>
      <p class="hw-hint">{t('changeShortcut')}</p>
    </section>
  );
}
