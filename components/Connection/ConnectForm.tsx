import { useSignal } from '@preact/signals';
import { browser } from 'wxt/browser';
import { hostPattern, tenantHosts } from '../../core/crm';
import { normalizeServerUrl } from '../../extension/api';
import { askBackground } from '../../extension/client';
import { ungrantedInstances } from '../../extension/host-permissions';
import type { ConnectionSnapshot } from '../../extension/messages';
import { useLocale, useT } from '../locale';
import { connectionMessages } from './i18n';

/**
 * Server URL + pairing code. Host access is requested first, straight from the click: browsers grant
 * permissions only during a user gesture, so it cannot wait for the pairing round trip.
 */
export function ConnectForm({ initialServerUrl, onConnected }: { initialServerUrl: string; onConnected: (snapshot: ConnectionSnapshot) => void }) {
  const t = useT(connectionMessages);
  const locale = useLocale();
  const serverUrl = useSignal(initialServerUrl);
  const code = useSignal('');
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    if (busy.value) return;
    error.value = null;
    const server = normalizeServerUrl(serverUrl.value, locale);
    if (!server.ok) {
      error.value = server.message;
      return;
    }
    busy.value = true;
    try {
      const origin = new URL(server.url).origin;
      const granted = await browser.permissions.request({ origins: [hostPattern(origin)] }).catch(() => false);
      if (!granted) {
        error.value = t('needsAccess', { origin });
        return;
      }
      const result = await askBackground(browser, { type: 'connect', serverUrl: server.url, code: code.value });
      if (!result.ok) {
        error.value = result.message;
        return;
      }
      code.value = '';
      onConnected(result.snapshot);
      await requestInstanceAccess(result.snapshot);
    } catch (failure) {
      error.value = failure instanceof Error ? failure.message : t('connectFailed');
    } finally {
      busy.value = false;
    }
  }

  return (
    <form class="hw-form" onSubmit={submit} noValidate>
      <div class="hw-field-group">
        <label for="server-url">{t('serverUrl')}</label>
        <input
          id="server-url"
          name="server-url"
          type="url"
          inputMode="url"
          autoComplete="url"
          placeholder={t('serverUrlExample')}
          required
          value={serverUrl.value}
          onInput={(event) => (serverUrl.value = event.currentTarget.value)}
          aria-describedby="server-url-hint"
        />
        <p id="server-url-hint" class="hw-hint">{t('serverUrlHint')}</p>
      </div>
      <div class="hw-field-group">
        <label for="pairing-code">{t('pairingCode')}</label>
        <input
          id="pairing-code"
          name="pairing-code"
          class="hw-code"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellcheck={false}
          placeholder={t('pairingCodeExample')}
          required
          value={code.value}
          onInput={(event) => (code.value = event.currentTarget.value)}
          aria-describedby="pairing-code-hint"
          aria-invalid={error.value ? 'true' : undefined}
        />
        <p id="pairing-code-hint" class="hw-hint">{t('pairingCodeHint')}</p>
      </div>
      {error.value ? (
        <p class="hw-error" role="alert" data-testid="connect-error">
          {error.value}
        </p>
      ) : null}
      <button type="submit" class="hw-button hw-button--primary" disabled={busy.value}>
        {busy.value ? t('connecting') : t('connect')}
      </button>
    </form>
  );
}

/** Still inside the click's activation window when pairing was quick; otherwise the instance list offers buttons. */
async function requestInstanceAccess(snapshot: ConnectionSnapshot): Promise<void> {
  const missing = await ungrantedInstances(browser, snapshot.instances);
  if (missing.length === 0) return;
  const granted = await browser.permissions
    .request({ origins: missing.flatMap(tenantHosts) })
    .catch(() => false);
  if (granted) await askBackground(browser, { type: 'permissions-changed' }).catch(() => undefined);
}
