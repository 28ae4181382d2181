import type { MutationArgsOf } from '../../../core/schema';
import { DealRejected, upsertDeal, type DealWrite } from '../../import/deal-upsert';
import { rereadByConnector } from '../../deals/connector-seam';
import { refusal } from '../../refusal/refused';
import type { MutationHandler } from './context';
import { refusalOfForeignRecord } from './tenants';

/**
 * What a CRM page showed of a record, written through the same path as ingest and import (upsertDeal →
 * writeDeal): by natural key, only fields the adapter actually read overwrite (a page that hides the amount
 * never erases the amount an import brought), a view that shows nothing new bumps no version, and the won and
 * pipeline totals and approved moves (owner now the move's target → done) follow in the same transaction.
 * A page read is no authority of its own: upsertDeal lets it change only a deal of one of the workspace's tenants,
 * only what its author may change through the API, and keeps who changed what (server/deals/). Where a CRM
 * connector serves the tenant, the capture writes nothing and the connector re-reads the record instead.
 */
export const captureDeal: MutationHandler<MutationArgsOf<'deal.capture'>> = async (context, { record, fields, url }) => {
  if (record.recordType !== 'deal') throw refusal('invalid', 'notADealPage', { recordType: record.recordType });
  const foreign = refusalOfForeignRecord(record, await context.tenants());
  if (foreign) throw foreign;
  if (await rereadByConnector(context.tx, record, context.now)) return [];
  const write: DealWrite = {
    crm: record.crm,
    instance: record.instance,
    crmId: record.crmId,
    recordType: record.recordType,
    fields: url === null ? fields : { ...fields, url },
    source: 'page',
    author: { user: context.user },
  };
  // Users are read (once per batch) only when the page showed an owner to map.
  const users = fields.ownerLabel !== undefined ? await context.users() : [];
  try {
    const { change } = await upsertDeal(context.tx, context.kind, { users, tenants: await context.tenants() }, write, context.now);
    return change ? [change] : [];
  } catch (error) {
    if (error instanceof DealRejected) {
      throw error.reason === 'forbidden' ? refusal('forbidden', 'captureForbidden', { reason: error.text }) : refusal('invalid', 'captureInvalid', { reason: error.text });
    }
    throw error;
  }
};
