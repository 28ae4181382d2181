import type { ConnectionStatus } from '../../core/schema';
import { listUsers } from '../store/users';
import type { Tx } from '../store/transaction';
import { listConnections, type Connection } from './connections';
import { ownerBook, readCrmUsers } from './sync/owners';

// What `crm status`, the dashboard panel and GET /api/crm/connections show of each connection: the same function,
// so the three never disagree. The sealed credential is not even read into this shape.

async function countOf(query: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> }): Promise<number> {
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export async function connectionStatus(db: Tx, connection: Connection, now: Date): Promise<ConnectionStatus> {
  const deals = await countOf(db.selectFrom('deals').select((eb) => eb.fn.countAll<number>().as('n')).where('crm', '=', connection.crm).where('instance', '=', connection.instance).where('record_type', '=', 'deal'));
  const writeBacks = await db
    .selectFrom('crm_writebacks')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('connection_id', '=', connection.id)
    .where('state', '!=', 'written')
    .groupBy('state')
    .execute();
  const pending = writeBacks.reduce((sum, row) => sum + Number(row.n), 0);
  const failed = Number(writeBacks.find((row) => row.state === 'failed')?.n ?? 0);
  // Unmapped owners worth naming: CRM users matching no Headway user who own deals here (unowned by anyone known).
  const book = ownerBook(connection, await readCrmUsers(db, connection.id), await listUsers(db));
  const labels = new Set(
    (await db.selectFrom('deals').select('owner_label').distinct().where('crm', '=', connection.crm).where('instance', '=', connection.instance).where('owner_id', 'is', null).where('owner_label', 'is not', null).execute())
      .map((row) => row.owner_label),
  );
  const unmapped = book.unmapped().filter((user) => labels.has(user.name));
  const leased = connection.leaseUntil !== null && connection.leaseUntil > now.toISOString();
  return {
    id: connection.id,
    origin: connection.instance,
    crm: connection.crm,
    api: connection.api,
    clientId: connection.clientId,
    username: connection.username,
    lastSuccessAt: connection.lastSuccessAt,
    lastError: connection.lastError,
    cursor: connection.cursor,
    syncing: leased || connection.run !== null,
    counts: { deals, unmappedOwners: unmapped.length, pendingWriteBacks: pending, failedWriteBacks: failed },
    unmappedOwners: unmapped.map((user) => ({ crmUserId: user.crmId, name: user.name, email: user.email })),
    settings: connection.settings,
  };
}

export async function allConnectionStatuses(db: Tx, now: Date): Promise<ConnectionStatus[]> {
  const statuses: ConnectionStatus[] = [];
  for (const connection of await listConnections(db)) statuses.push(await connectionStatus(db, connection, now));
  return statuses;
}
