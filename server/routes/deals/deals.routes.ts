import { Hono } from 'hono';
import { DealImportQuery, DealIngest, DealKeyParams, type DealIngestResponse } from '../../../core/schema';
import { apiError } from '../../http/errors';
import { jsonBody, paramsOf, queryOf } from '../../http/validate';
import { csvBody } from '../../import/csv-body';
import { importDeals } from '../../import/deal-import';
import { importAnswer } from '../../import/import-answer';
import { DealRejected, upsertDeal } from '../../import/deal-upsert';
import { dealFromRow } from '../../store/deals';
import { writeTransaction } from '../../store/transaction';
import { listUsers } from '../../store/users';
import { appendChanges } from '../../sync/change-log';
import { requireFeeder, type IngestEnv } from './ingest-auth';

/**
 * Deals fed in by a CRM's own automation (JSON, one record, idempotent) or by a CSV export. Service tokens,
 * heads and admins only; managers' deals arrive through the pages they open.
 */
export const dealsRoutes = new Hono<IngestEnv>()
  .post('/api/deals/import', requireFeeder, queryOf(DealImportQuery), csvBody, async (c) => {
    const { store, clock } = c.var.deps;
    const { dryRun, map, crm } = c.req.valid('query');
    return importAnswer(c, await importDeals(store, c.var.csv, { map, crm, dryRun }, clock.now().toISOString()));
  })
  .put('/api/deals/:crm/:crmId', requireFeeder, paramsOf(DealKeyParams), jsonBody(DealIngest), async (c) => {
    const { store, clock } = c.var.deps;
    const { crm, crmId } = c.req.valid('param');
    const { recordType, ...fields } = c.req.valid('json');
    const now = clock.now().toISOString();
    try {
      const result = await writeTransaction(store, async (tx) => {
        const written = await upsertDeal(tx, store.kind, await listUsers(tx), { crm, crmId, recordType, fields, source: 'api' }, now);
        if (written.change) await appendChanges(tx, [written.change], now);
        return written;
      });
      const body: DealIngestResponse = { deal: dealFromRow(result.row), outcome: result.outcome };
      return c.json(body, result.outcome === 'created' ? 201 : 200);
    } catch (error) {
      if (error instanceof DealRejected) return apiError(c, 400, 'invalid_deal', `${crm} ${crmId}: ${error.message}.`);
      throw error;
    }
  });
