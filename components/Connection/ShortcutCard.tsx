import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';

/** The sidebar's keyboard shortcut as the browser has it now (the user may have changed the suggested one). */
export function ShortcutCard() {
  const shortcut = useSignal<string | null>(null);
  useEffect(() => {
    void browser.commands
      .getAll()
      .then((commands) => (shortcut.value = commands.find((command) => command.name === 'toggle-sidebar')?.shortcut || ''))
      .catch(() => (shortcut.value = ''));
  }, []);
  if (shortcut.value === null) return null;
  return (
    <section class="hw-card" aria-labelledby="shortcuts-heading">
      <h2 id="shortcuts-heading" class="hw-card-title">
        Keyboard
      </h2>
      <div class="hw-shortcut">
        <span>Show or collapse the sidebar on a CRM page</span>
        {shortcut.value ? <kbd>{shortcut.value}</kbd> : <span class="hw-hint">No shortcut set</span>}
      </div>
      <p class="hw-hint">Change it in your browser’s extension shortcut settings.</p>
    </section>
  );
}
