import { randomUUID } from 'node:crypto';
import type { MutationArgsOf } from '../../../core/schema';
import type { DealsTable } from '../../store/tables';
import type { ChangeEntry } from '../change-log';
import type { MutationHandler } from './context';
import { mapOwner } from './owner-mapping';

type DealColumns = Pick<DealsTable, 'title' | 'kind' | 'amount' | 'currency' | 'stage' | 'probability' | 'owner_id' | 'owner_label' | 'segment' | 'expected_close' | 'status' | 'closed_at' | 'url'>;

/**
 * What a CRM page showed of a record. Upserted by its natural key; only fields the adapter actually read
 * overwrite, so a page that hides the amount never erases the amount an import brought.
 */
export const captureDeal: MutationHandler<MutationArgsOf<'deal.capture'>> = async (context, { record, fields, url }) => {
  const { tx } = context;
  const owner = fields.ownerLabel !== undefined ? mapOwner(await context.users(), record.crm, fields.ownerLabel) : undefined;

  const read: Partial<DealColumns> = {};
  if (fields.title !== undefined) read.title = fields.title;
  if (fields.kind !== undefined) read.kind = fields.kind;
  if (fields.amount !== undefined) read.amount = fields.amount;
  if (fields.currency !== undefined) read.currency = fields.currency;
  if (fields.stage !== undefined) read.stage = fields.stage;
  if (fields.probability !== undefined) read.probability = fields.probability;
  if (fields.ownerLabel !== undefined) {
    read.owner_label = fields.ownerLabel;
    read.owner_id = owner?.id ?? null;
  }
  if (fields.segment !== undefined) read.segment = fields.segment;
  if (fields.expectedClose !== undefined) read.expected_close = fields.expectedClose;
  if (fields.status !== undefined) read.status = fields.status;
  if (fields.closedAt !== undefined) read.closed_at = fields.closedAt;
  if (url !== null) read.url = url;

  const id = randomUUID();
  // ON CONFLICT DO NOTHING: two devices capturing the same new record at once both succeed, one inserts.
  const inserted = await tx
    .insertInto('deals')
    .values({
      id,
      crm: record.crm,
      crm_id: record.crmId,
      record_type: record.recordType,
      title: record.crmId,
      kind: 'sale',
      amount: null,
      currency: null,
      stage: null,
      probability: null,
      owner_id: null,
      owner_label: null,
      segment: null,
      expected_close: null,
      status: 'open',
      closed_at: null,
      url: null,
      account_crm_id: null,
      ...read,
      source: 'page',
      updated_at: context.now,
      version: 1,
    })
    .onConflict((conflict) => conflict.columns(['crm', 'crm_id', 'record_type']).doNothing())
    .returning(['id', 'owner_id'])
    .executeTakeFirst();
  if (inserted) return [{ entity: 'deal', entityId: inserted.id, version: 1, ownerId: inserted.owner_id }];

  let query = tx
    .selectFrom('deals')
    .selectAll()
    .where('crm', '=', record.crm)
    .where('crm_id', '=', record.crmId)
    .where('record_type', '=', record.recordType);
  if (context.kind === 'postgres') query = query.forUpdate();
  const current = await query.executeTakeFirstOrThrow();

  const changed = (Object.keys(read) as (keyof DealColumns)[]).filter((column) => read[column] !== current[column]);
  // Most page views show nothing new; they must not bump versions or flood everyone's pull.
  if (changed.length === 0) return [];
  const version = current.version + 1;
  await tx
    .updateTable('deals')
    .set({ ...read, source: 'page', updated_at: context.now, version })
    .where('id', '=', current.id)
    .execute();
  const ownerId = read.owner_id !== undefined ? read.owner_id : current.owner_id;
  const change: ChangeEntry = { entity: 'deal', entityId: current.id, version, ownerId, previousOwnerId: current.owner_id !== ownerId ? current.owner_id : null };
  return [change];
};
