import { useSignal } from '@preact/signals';
import { adapterFor } from '../../core/crm';
import { formatDateTime } from '../../core/format/date-time';
import { groupDigits } from '../../core/format/money';
import type { ConnectionStatus, CrmInstance } from '../../core/schema';
import { DealImportDialog } from '../DealImport/DealImportDialog';
import { readServer } from './server';
import { useServerRead } from './useServerRead';

/**
 * The CRM plugin half as the head and the admin see it (the same figures as `crm status`): is each CRM of record
 * read, when last, what failed, which CRM owners match nobody here, and how many notes wait to be written back.
 */
export function CrmConnections({ refreshKey, instances, onImported }: { refreshKey: number; instances: readonly CrmInstance[]; onImported: () => void }) {
  const read = useServerRead(() => readServer('/api/crm/connections', {}), [refreshKey]);
  const importing = useSignal(false);
  const { data, error, loading } = read.state.value;
  return (
    <section class="hw-section" aria-labelledby="crm-heading" aria-busy={loading} data-testid="crm-connections">
      <div class="hw-section-head">
        <h2 id="crm-heading" class="hw-h2">
          CRM of record
        </h2>
        <div class="hw-section-actions">
          <button type="button" class="hw-button hw-button--small" onClick={() => (importing.value = true)}>
            Import deals…
          </button>
        </div>
      </div>
      {importing.value ? <DealImportDialog instances={instances} onClose={() => (importing.value = false)} onImported={onImported} /> : null}
      {error ? (
        <p class="hw-error" role="alert">
          The CRM connections could not be loaded: {error}
        </p>
      ) : null}
      {data && data.connections.length === 0 ? (
        <p class="hw-note" data-testid="crm-none">
          No CRM is connected: deals come only from CRM pages people open and from imports, so deals nobody opened are
          missing from the plan. An admin connects one with <code>npm run server -- crm connect &lt;origin&gt; &lt;crm&gt;</code> (see
          the README, “Connect a CRM’s API”).
        </p>
      ) : null}
      {data?.connections.map((connection) => <ConnectionCard key={connection.id} connection={connection} />)}
    </section>
  );
}

function ConnectionCard({ connection }: { connection: ConnectionStatus }) {
  const name = adapterFor(connection.crm)?.label ?? connection.crm;
  const { counts } = connection;
  return (
    <article class="hw-card hw-crm" aria-label={`${name} at ${connection.origin}`} data-testid="crm-connection">
      <h3 class="hw-card-title">
        {name} <span class="hw-crm-origin">{connection.origin}</span>
      </h3>
      <p class="hw-crm-state" data-testid="crm-state">
        {connection.syncing ? 'Syncing now · ' : ''}
        {connection.lastSuccessAt ? `Last synced ${formatDateTime(connection.lastSuccessAt)}` : 'Not synced yet'}
        {` · ${groupDigits(counts.deals)} ${counts.deals === 1 ? 'deal' : 'deals'}`}
        {counts.pendingWriteBacks > 0 ? ` · ${counts.pendingWriteBacks} waiting to be written to ${name}` : ''}
      </p>
      {connection.lastError ? (
        <p class="hw-error" role="alert" data-testid="crm-error">
          Last sync failed {formatDateTime(connection.lastError.at)}: {connection.lastError.message}
        </p>
      ) : null}
      {counts.failedWriteBacks > 0 ? (
        <p class="hw-error" data-testid="crm-failed-writebacks">
          {counts.failedWriteBacks === 1 ? '1 note or move' : `${counts.failedWriteBacks} notes or moves`} could not be written to {name} yet; Headway
          retries, and each note says why in the sidebar.
        </p>
      ) : null}
      {connection.unmappedOwners.length > 0 ? (
        <div class="hw-note" data-testid="crm-unmapped">
          <p>
            Deals owned by {connection.unmappedOwners.length === 1 ? 'this CRM user count' : 'these CRM users count'} for no one here: add
            them as Headway users with the same e-mail (<code>npm run server -- user add</code>).
          </p>
          <ul>
            {connection.unmappedOwners.map((owner) => (
              <li key={owner.crmUserId}>
                {owner.name}
                {owner.email ? ` (${owner.email})` : ' (no e-mail in the CRM)'}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </article>
  );
}
