import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import type { DealHistoryResponse, DealIngestResponse } from '../../../core/schema';
import { dealHistory } from '../../deals/deal-history';
import { guard } from '../../http/auth';
import { apiError, refuse, requestLocale } from '../../http/errors';
import { jsonBody, paramsOf, queryOf } from '../../http/validate';
import { csvStreamProblem } from '../../import/csv-body';
import { csvTextPieces } from '../../import/csv-text';
import { importDeals } from '../../import/deal-import';
import { importAnswer } from '../../import/import-answer';
import { DealRejected, upsertDeal } from '../../import/deal-upsert';
import { dealFromRow } from '../../store/deals';
import { writeTransaction } from '../../store/transaction';
import { listUsers } from '../../store/users';
import { listInstances } from '../../store/workspace';
import { appendChanges } from '../../sync/change-log';
import { feederGuard, type IngestEnv } from './ingest-auth';

/**
 * Deals fed in by a CRM's own automation (JSON, one record, idempotent) or by a CSV export, and each deal's history.
 * Every write goes through upsertDeal: the workspace's tenants only, and only what its author may change.
 */
export const dealsRoutes = new Hono<IngestEnv>()
  .post(routes.importDeals.path, feederGuard(routes.importDeals), queryOf(routes.importDeals.query), async (c) => {
    const { store, clock, config } = c.var.deps;
    const refused = csvStreamProblem(c, config.importBodyLimitBytes);
    if (refused) return refused;
    const { dryRun, map: mapping, crm, instance } = c.req.valid('query');
    const pieces = csvTextPieces(c.req.raw.body ?? [], config.importBodyLimitBytes);
    return importAnswer(c, await importDeals(store, pieces, { mapping, crm, instance, dryRun, author: c.var.author, applyAside: true, locale: requestLocale(c) }, clock.now().toISOString()));
  })
  .put(routes.ingestDeal.path, feederGuard(routes.ingestDeal), paramsOf(routes.ingestDeal.params), jsonBody(routes.ingestDeal.body), async (c) => {
    const { store, clock } = c.var.deps;
    const { crm, crmId } = c.req.valid('param');
    const { recordType, instance, ...fields } = c.req.valid('json');
    const now = clock.now().toISOString();
    try {
      const result = await writeTransaction(store, async (tx) => {
        const workspace = { users: await listUsers(tx), tenants: await listInstances(tx) };
        const written = await upsertDeal(tx, store.kind, workspace, { crm, instance, crmId, recordType, fields, source: 'api', author: c.var.author }, now);
        if (written.change) await appendChanges(tx, [written.change], now);
        return written;
      });
      const body: DealIngestResponse = { deal: dealFromRow(result.row), outcome: result.outcome };
      return c.json(body, result.outcome === 'created' ? 201 : 200);
    } catch (error) {
      if (!(error instanceof DealRejected)) throw error;
      const reason = error.text.render(requestLocale(c));
      return error.reason === 'forbidden' ? apiError(c, 403, 'forbidden', `${crm} ${crmId}: ${reason}.`) : apiError(c, 400, 'invalid_deal', `${crm} ${crmId}: ${reason}.`);
    }
  })
  .get(routes.dealHistory.path, guard(routes.dealHistory), queryOf(routes.dealHistory.query), async (c) => {
    const { store } = c.var.deps;
    const { id } = c.req.valid('query');
    const row = await store.db.selectFrom('deals').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return refuse(c, 404, 'not-found', 'noDeal');
    return c.json({ deal: dealFromRow(row), history: await dealHistory(store.db, id) } satisfies DealHistoryResponse, 200);
  });
