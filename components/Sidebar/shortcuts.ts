import { signal } from '@preact/signals';
import type { WxtBrowser } from 'wxt/browser';
import type { CommandName } from '../../extension/messages';

/**
 * The keyboard shortcuts as the browser has them now: the manifest only suggests keys (wxt.config.ts), a browser
 * may refuse one that its own shortcuts use, and the user may change any of them. Read once per page.
 */
export const shortcuts = signal<Partial<Record<CommandName, string>>>({});

export async function loadShortcuts(browser: Pick<WxtBrowser, 'commands'>): Promise<void> {
  const commands = await browser.commands.getAll().catch(() => []);
  shortcuts.value = Object.fromEntries(commands.filter((command) => command.name && command.shortcut).map((command) => [command.name, command.shortcut]));
}

/** " (Alt+Shift+E)" after a button's title, or nothing when the command has no key. */
export const shortcutHint = (command: CommandName) => (shortcuts.value[command] ? ` (${shortcuts.value[command]})` : '');
