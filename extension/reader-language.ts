import { readerLocale, translator, type Locale, type Params } from '../core/i18n';
import { clientMessages } from './i18n';
import type { ConnectionSnapshot } from './messages';

/**
 * The language the background words its own texts in (notifications, the toolbar badge's title, its answers to
 * pages): the signed-in user's setting, else the browser's, by the rule every page follows (core/i18n
 * readerLocale). Kept from the connection's last snapshot: the hub passes each one here, and at every worker start
 * it reads the stored session before it wires anything that speaks.
 */
let setting: Locale | null = null;

export function followReader(snapshot: Pick<ConnectionSnapshot, 'user'>): void {
  setting = snapshot.user?.locale ?? null;
}

export const backgroundLocale = (): Locale => readerLocale(setting);

/** A text of the extension's own (extension/i18n.ts) in the background's reader's language. */
export const clientSays = (key: keyof typeof clientMessages.en, params?: Params): string => translator(clientMessages, backgroundLocale())(key, params);
