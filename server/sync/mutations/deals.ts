import type { MutationArgsOf } from '../../../core/schema';
import { connectionForRecord } from '../../connectors/connections';
import { requestRefresh } from '../../connectors/sync/refresh';
import { DealRejected, upsertDeal, type DealWrite } from '../../import/deal-upsert';
import { MutationRejected, type MutationHandler } from './context';

/**
 * What a CRM page showed of a record, written through the same path as ingest and import (upsertDeal →
 * writeDeal): by natural key, only fields the adapter actually read overwrite (a page that hides the amount
 * never erases the amount an import brought), a view that shows nothing new bumps no version, and the won and
 * pipeline totals and approved moves (owner now the move's target → done) follow in the same transaction.
 */
export const captureDeal: MutationHandler<MutationArgsOf<'deal.capture'>> = async (context, { record, fields, url }) => {
  // A tenant with a connector has its CRM as the source of truth: the page only says which record to read again.
  const connection = await connectionForRecord(context.tx, record);
  if (connection) {
    if (record.recordType === 'deal') await requestRefresh(context.tx, connection.id, record.crmId, context.now);
    return [];
  }
  const write: DealWrite = {
    crm: record.crm,
    crmId: record.crmId,
    recordType: record.recordType,
    fields: url === null ? fields : { ...fields, url },
    source: 'page',
  };
  // Users are read (once per batch) only when the page showed an owner to map.
  const users = fields.ownerLabel !== undefined ? await context.users() : [];
  try {
    const { change } = await upsertDeal(context.tx, context.kind, users, write, context.now);
    return change ? [change] : [];
  } catch (error) {
    if (error instanceof DealRejected) throw new MutationRejected('invalid', `Invalid deal.capture: ${error.message}.`);
    throw error;
  }
};
