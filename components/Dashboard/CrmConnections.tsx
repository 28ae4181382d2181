import { useSignal } from '@preact/signals';
import { routes } from '../../core/api/routes';
import { adapterFor } from '../../core/crm';
import type { ConnectionStatus, CrmInstance } from '../../core/schema';
import { DealImportDialog } from '../DealImport/DealImportDialog';
import { useFormats, useT } from '../locale';
import { WithCommand } from '../WithCommand';
import { crmConnectionMessages } from './i18n';
import { readServer } from './server';
import { useServerRead } from './useServerRead';

/**
 * The CRM plugin half as the head and the admin see it (the same figures as `crm status`): is each CRM of record
 * read, when last, what failed, which CRM owners match nobody here, and how many notes wait to be written back.
 */
export function CrmConnections({ refreshKey, instances, onImported }: { refreshKey: number; instances: readonly CrmInstance[]; onImported: () => void }) {
  const t = useT(crmConnectionMessages);
  const read = useServerRead(() => readServer(routes.crmConnections, {}), [refreshKey]);
  const importing = useSignal(false);
  const { data, error, loading } = read.state.value;
  return (
    <section class="hw-section" aria-labelledby="crm-heading" aria-busy={loading} data-testid="crm-connections">
      <div class="hw-section-head">
        <h2 id="crm-heading" class="hw-h2">
          {t('heading')}
        </h2>
        <div class="hw-section-actions">
          <button type="button" class="hw-button hw-button--small" onClick={() => (importing.value = true)}>
            {t('importDeals')}
          </button>
        </div>
      </div>
      {importing.value ? <DealImportDialog instances={instances} onClose={() => (importing.value = false)} onImported={onImported} /> : null}
      {error ? (
        <p class="hw-error" role="alert">
          {t('loadFailed', { error })}
        </p>
      ) : null}
      {data && data.connections.length === 0 ? (
        <p class="hw-note" data-testid="crm-none">
          <WithCommand text={t('none')} command="npm run server -- crm connect <origin> <crm>" />
        </p>
      ) : null}
      {data?.connections.map((connection) => <ConnectionCard key={connection.id} connection={connection} />)}
    </section>
  );
}

function ConnectionCard({ connection }: { connection: ConnectionStatus }) {
  const name = adapterFor(connection.crm)?.label ?? connection.crm;
  const { counts } = connection;
  const t = useT(crmConnectionMessages);
  const format = useFormats();
  const state = [
    connection.syncing ? t('syncingNow') : null,
    connection.lastSuccessAt ? t('lastSynced', { time: format.dateTime(connection.lastSuccessAt) }) : t('notSynced'),
    t('deals', { count: counts.deals, deals: format.digits(counts.deals) }),
    counts.pendingWriteBacks > 0 ? t('pendingWriteBacks', { count: format.digits(counts.pendingWriteBacks), crm: name }) : null,
  ];
  return (
    <article class="hw-card hw-crm" aria-label={t('cardLabel', { crm: name, origin: connection.origin })} data-testid="crm-connection">
      <h3 class="hw-card-title">
        {name} <span class="hw-crm-origin">{connection.origin}</span>
      </h3>
      <p class="hw-crm-state" data-testid="crm-state">
        {state.filter((part) => part !== null).join(' · ')}
      </p>
      {connection.lastError ? (
        <p class="hw-error" role="alert" data-testid="crm-error">
          {t('lastFailed', { time: format.dateTime(connection.lastError.at), error: connection.lastError.message })}
        </p>
      ) : null}
      {counts.failedWriteBacks > 0 ? (
        <p class="hw-error" data-testid="crm-failed-writebacks">
          {t('failedWriteBacks', { count: counts.failedWriteBacks, crm: name })}
        </p>
      ) : null}
      {connection.unmappedOwners.length > 0 ? (
        <div class="hw-note" data-testid="crm-unmapped">
          <p>
            <WithCommand text={t('unmapped', { count: connection.unmappedOwners.length })} command="npm run server -- user add" />
          </p>
          <ul>
            {connection.unmappedOwners.map((owner) => (
              <li key={owner.crmUserId}>
                {owner.name}
                {' '}
                {owner.email ? `(${owner.email})` : t('noEmail')}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </article>
  );
}
