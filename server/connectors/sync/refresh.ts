import type { Tx } from '../../store/transaction';
import { writeTransaction } from '../../store/transaction';
import type { Connection } from '../connections';
import type { ConnectorEnv } from '../open';
import type { CrmConnector } from '../types';
import { removeDeals, writeDealPage, type DealWriteContext } from './deal-writes';
import { fenceLease } from './lease';

// Single records read again at once: for a tenant with a connector a page capture writes no deal fields, it asks
// for its record here, so an edit the user just made in the CRM reaches plan and sidebar within seconds.

export async function requestRefresh(tx: Tx, connectionId: string, crmId: string, now: string): Promise<void> {
  await tx
    .insertInto('crm_refresh')
    .values({ connection_id: connectionId, crm_id: crmId, requested_at: now })
    .onConflict((conflict) => conflict.columns(['connection_id', 'crm_id']).doUpdateSet({ requested_at: now }))
    .execute();
}

export async function pendingRefreshes(db: Tx, connectionId: string): Promise<number> {
  const row = await db.selectFrom('crm_refresh').select((eb) => eb.fn.countAll<number>().as('n')).where('connection_id', '=', connectionId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Reads every requested record of the connection and writes it (or removes it, when the CRM no longer has it). */
export async function processRefreshes(
  env: ConnectorEnv,
  connection: Connection,
  connector: CrmConnector,
  context: Omit<DealWriteContext, 'tx' | 'kind' | 'now'>,
): Promise<{ fetched: number; upserted: number; removed: number }> {
  const totals = { fetched: 0, upserted: 0, removed: 0 };
  for (;;) {
    const requests = await env.store.db.selectFrom('crm_refresh').selectAll().where('connection_id', '=', connection.id).orderBy('requested_at').limit(50).execute();
    if (requests.length === 0) return totals;
    for (const request of requests) {
      const deal = await connector.readDeal(request.crm_id);
      const now = env.clock.now();
      await writeTransaction(env.store, async (tx) => {
        await fenceLease(tx, connection.id, env.process, now, env.leaseMs);
        const write = { ...context, tx, kind: env.store.kind, now: now.toISOString() };
        if (deal) {
          const outcome = await writeDealPage(write, [deal]);
          totals.upserted += outcome.upserted;
        } else {
          const stored = await tx.selectFrom('deals').selectAll().where('crm', '=', connection.crm).where('crm_id', '=', request.crm_id).where('record_type', '=', 'deal').execute();
          totals.removed += await removeDeals(write, stored);
        }
        // Only the request read here goes: one made again meanwhile (a newer requested_at) stays for the next round.
        await tx.deleteFrom('crm_refresh').where('connection_id', '=', connection.id).where('crm_id', '=', request.crm_id).where('requested_at', '=', request.requested_at).execute();
      });
      totals.fetched += deal ? 1 : 0;
    }
  }
}
