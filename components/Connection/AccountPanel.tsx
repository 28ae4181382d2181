import { useSignal } from '@preact/signals';
import { browser } from 'wxt/browser';
import { askBackground } from '../../extension/client';
import type { ConnectionSnapshot } from '../../extension/messages';
import { useLocale, useT } from '../locale';
import { initials, roleLabel } from '../Sidebar/status';
import { connectionMessages } from './i18n';
import { InstanceList } from './InstanceList';
import { ShortcutCard } from './ShortcutCard';
import { StatusLine } from './StatusLine';
import { WaitingElsewhereNotice } from './WaitingElsewhere';

/** Who this browser is signed in as, where, and the way out. */
export function AccountPanel({ snapshot, onChanged }: { snapshot: ConnectionSnapshot; onChanged: (snapshot: ConnectionSnapshot) => void }) {
  const t = useT(connectionMessages);
  const locale = useLocale();
  const busy = useSignal(false);
  const user = snapshot.user;
  if (!user) return null;

  async function disconnect(): Promise<void> {
    busy.value = true;
    try {
      onChanged(await askBackground(browser, { type: 'disconnect' }));
    } finally {
      busy.value = false;
    }
  }

  return (
    <>
      <section class="hw-card" aria-labelledby="account-heading">
        <div class="hw-account">
          <span class="hw-avatar hw-avatar--large" aria-hidden="true">{initials(user.name)}</span>
          <div>
            <h2 id="account-heading" class="hw-account-name" data-testid="account-name">
              {user.name}
            </h2>
            <p class="hw-account-meta">
              <span data-testid="account-email">{user.email}</span> <span aria-hidden="true">·</span> <span>{roleLabel(user.role, locale)}</span>
            </p>
          </div>
        </div>
        <dl class="hw-facts">
          <div>
            <dt>{t('server')}</dt>
            <dd data-testid="account-server">{snapshot.serverUrl}</dd>
          </div>
          {snapshot.workspaceName ? (
            <div>
              <dt>{t('workspace')}</dt>
              <dd>{snapshot.workspaceName}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('connection')}</dt>
            <dd>
              <StatusLine snapshot={snapshot} />
            </dd>
          </div>
        </dl>
        {snapshot.problem && snapshot.state !== 'online' ? <p class="hw-hint">{snapshot.problem}</p> : null}
      </section>
      <WaitingElsewhereNotice userId={user.id} />
      <section class="hw-card" aria-labelledby="instances-heading">
        <h2 id="instances-heading" class="hw-card-title">
          {t('instances')}
        </h2>
        <InstanceList instances={snapshot.instances} />
      </section>
      <ShortcutCard />
      <div class="hw-actions">
        <button type="button" class="hw-button hw-button--danger" disabled={busy.value} onClick={() => void disconnect()}>
          {busy.value ? t('disconnecting') : t('disconnect')}
        </button>
        <p class="hw-hint">{t('disconnectHint')}</p>
      </div>
    </>
  );
}
