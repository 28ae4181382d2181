import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { adapterFor, tenantHosts } from '../../core/crm';
import type { CrmInstance } from '../../core/schema';
import { askBackground } from '../../extension/client';
import { ungrantedInstances } from '../../extension/host-permissions';
import { useT } from '../locale';
import { connectionMessages } from './i18n';

/** The CRM instances the workspace configured, and whether this browser lets Headway onto each. */
export function InstanceList({ instances }: { instances: CrmInstance[] }) {
  const t = useT(connectionMessages);
  const missing = useSignal<Set<string> | null>(null);
  const error = useSignal<string | null>(null);

  useEffect(() => {
    const check = () =>
      void ungrantedInstances(browser, instances).then((list) => (missing.value = new Set(list.map((instance) => instance.instance))));
    check();
    browser.permissions.onAdded.addListener(check);
    browser.permissions.onRemoved.addListener(check);
    return () => {
      browser.permissions.onAdded.removeListener(check);
      browser.permissions.onRemoved.removeListener(check);
    };
  }, [JSON.stringify(instances)]);

  async function grant(instance: CrmInstance): Promise<void> {
    error.value = null;
    const granted = await browser.permissions.request({ origins: tenantHosts(instance) }).catch(() => false);
    if (!granted) {
      error.value = t('accessRefused', { instance: instance.instance });
      return;
    }
    await askBackground(browser, { type: 'permissions-changed' }).catch((failure: Error) => (error.value = failure.message));
  }

  if (instances.length === 0) {
    return <p class="hw-hint">{t('noInstances')}</p>;
  }
  return (
    <>
      <ul class="hw-instances" data-testid="instance-list">
        {instances.map((instance) => {
          const needsGrant = missing.value?.has(instance.instance) ?? false;
          return (
            <li key={instance.instance} class="hw-instance">
              <span class="hw-instance-text">
                <span class="hw-instance-crm">{adapterFor(instance.crm)?.label ?? instance.crm}</span>
                <span class="hw-instance-origin">{instance.instance}</span>
              </span>
              {missing.value === null ? null : needsGrant ? (
                <button type="button" class="hw-button hw-button--small" onClick={() => void grant(instance)}>
                  {t('grantAccess')}
                </button>
              ) : (
                <span class="hw-granted">{t('accessGranted')}</span>
              )}
            </li>
          );
        })}
      </ul>
      {error.value ? (
        <p class="hw-error" role="alert">
          {error.value}
        </p>
      ) : null}
    </>
  );
}
