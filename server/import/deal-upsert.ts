import { randomUUID } from 'node:crypto';
import { detectRecord } from '../../core/crm';
import type { CrmId, CrmInstance, DealIngest, DealSource, RecordType, User } from '../../core/schema';
import { approvedMoveTarget, refusalOfDealChange, type DealAuthor } from '../deals/deal-authority';
import { dealColumns, historyRow, recordDealChange } from '../deals/deal-history';
import type { StoreKind } from '../store/store';
import type { DealHistoryTable, DealsTable } from '../store/tables';
import type { Tx } from '../store/transaction';
import { writeDeal } from '../store/deals';
import { said, type Said } from '../../core/i18n';
import { importMessages } from './i18n';
import type { ChangeEntry } from '../sync/change-log';
import { mapOwner } from '../sync/mutations/owner-mapping';

/**
 * A deal the server will not store as sent; the message says why, in words an admin can act on. `forbidden`: the
 * author may not make this change, or the record is not on one of the workspace's tenants; `invalid`: bad data.
 */
export class DealRejected extends Error {
  constructor(readonly text: Said, readonly reason: 'invalid' | 'forbidden' = 'invalid') {
    super(text.render('en'));
  }
}

export interface DealWrite {
  crm: CrmId;
  /** The record's tenant (RecordRef.instance): one of the workspace's, or the write is refused. */
  instance: string;
  crmId: string;
  recordType: RecordType;
  fields: Omit<DealIngest, 'recordType' | 'instance'>;
  source: DealSource;
  /** Who writes it; what they may change is refusalOfDealChange's answer (server/deals/deal-authority.ts). */
  author: DealAuthor;
}

/** What every deal write is checked against, read once per request or batch. */
export interface DealWorkspace {
  users: readonly User[];
  tenants: readonly CrmInstance[];
}

export interface DealWriteResult {
  row: DealsTable;
  outcome: 'created' | 'updated' | 'unchanged';
  change: ChangeEntry | null;
  /** The owner label (or e-mail) sent that matched no Headway user; the deal is kept without an owner. */
  unmatchedOwner: string | null;
}

/** The user an ingest names: by e-mail first (exact), else by the CRM's owner label (see mapOwner). */
export function resolveOwner(users: readonly User[], crm: CrmId, fields: Pick<DealIngest, 'ownerEmail' | 'ownerLabel'>): User | null {
  if (fields.ownerEmail !== undefined) {
    const email = fields.ownerEmail.trim().toLowerCase();
    return users.find((user) => user.email === email) ?? null;
  }
  if (fields.ownerLabel === undefined) return null;
  const mapped = mapOwner([...users], crm, fields.ownerLabel);
  if (mapped) return mapped;
  // A label that is simply a Headway user's e-mail needs no CRM identity to be understood.
  const label = fields.ownerLabel.trim().toLowerCase();
  return users.find((user) => user.email === label) ?? null;
}

async function currentRow(tx: Tx, kind: StoreKind, write: DealWrite): Promise<DealsTable | null> {
  let query = tx
    .selectFrom('deals')
    .selectAll()
    .where('crm', '=', write.crm)
    .where('instance', '=', write.instance)
    .where('crm_id', '=', write.crmId)
    .where('record_type', '=', write.recordType);
  // The row lock makes concurrent writers of one deal queue up, so each adjusts the won totals from the row as
  // the previous one left it. SQLite needs none: its write transactions never overlap.
  if (kind === 'postgres') query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

/** A write names one of the workspace's tenants, and a link it stores is an http(s) page of that tenant. */
function checkTenant(workspace: DealWorkspace, write: DealWrite): void {
  const tenant = workspace.tenants.find((candidate) => candidate.crm === write.crm && candidate.instance === write.instance);
  if (!tenant) throw new DealRejected(said(importMessages, 'foreignTenant', { instance: write.instance, crm: write.crm }), 'forbidden');
  const { url } = write.fields;
  if (url !== undefined && detectRecord(url, { instances: [tenant] })?.instance !== tenant.instance) {
    throw new DealRejected(said(importMessages, 'urlNotOfTenant', { instance: tenant.instance }));
  }
}

/**
 * What a write would do to its deal as the database stands: the row it would leave, its history entry and change,
 * or DealRejected. Nothing is written; `previous` is read (and locked on PostgreSQL) in `tx`. upsertDeal writes a
 * plan at once; a big import stages the plans of all its rows and applies them together (deal-import-apply.ts).
 */
export interface DealWritePlan {
  previous: DealsTable | null;
  row: DealsTable;
  outcome: DealWriteResult['outcome'];
  /** Null when the write changes nothing. */
  history: DealHistoryTable | null;
  change: ChangeEntry | null;
  unmatchedOwner: string | null;
}

export async function planDealWrite(tx: Tx, kind: StoreKind, workspace: DealWorkspace, write: DealWrite, now: string): Promise<DealWritePlan> {
  checkTenant(workspace, write);
  const previous = await currentRow(tx, kind, write);
  const next = merged(previous, workspace.users, write, now);
  validate(next.row);
  if (previous && dealColumns.every((column) => previous[column] === next.row[column])) {
    return { previous, row: previous, outcome: 'unchanged', history: null, change: null, unmatchedOwner: next.unmatchedOwner };
  }
  const row: DealsTable = previous ? { ...next.row, version: previous.version + 1 } : next.row;
  const refusal = await refusalOfDealChange(write.author, previous, row, () => approvedMoveTarget(tx, row.id));
  if (refusal) throw new DealRejected(refusal, 'forbidden');
  const change: ChangeEntry = {
    entity: 'deal',
    entityId: row.id,
    version: row.version,
    ownerId: row.owner_id,
    previousOwnerId: previous && previous.owner_id !== row.owner_id ? previous.owner_id : null,
  };
  const history = historyRow(previous, row, write.source, write.author, now);
  return { previous, row, outcome: previous ? 'updated' : 'created', history, change, unmatchedOwner: next.unmatchedOwner };
}

/**
 * Upserts a deal by its natural key. Only fields present in the write overwrite; the same write twice changes
 * nothing the second time (no version bump, no change-log entry), so a CRM may retry a webhook freely. Every path
 * that writes a deal comes here or applies planDealWrite's plans: it checks the tenant, the author's right to the
 * change, and keeps its provenance.
 */
export async function upsertDeal(tx: Tx, kind: StoreKind, workspace: DealWorkspace, write: DealWrite, now: string): Promise<DealWriteResult> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const plan = await planDealWrite(tx, kind, workspace, write, now);
    if (plan.history === null) return { row: plan.row, outcome: plan.outcome, change: null, unmatchedOwner: plan.unmatchedOwner };
    if (!(await writeDeal(tx, plan.previous, plan.row))) continue;
    await recordDealChange(tx, plan.history);
    return { row: plan.row, outcome: plan.outcome, change: plan.change, unmatchedOwner: plan.unmatchedOwner };
  }
  throw new Error(`deal ${write.crm} ${write.instance} ${write.crmId} kept changing under this write`);
}

function merged(previous: DealsTable | null, users: readonly User[], write: DealWrite, now: string): { row: DealsTable; unmatchedOwner: string | null } {
  const { fields } = write;
  const base: DealsTable = previous ?? {
    id: randomUUID(),
    crm: write.crm,
    instance: write.instance,
    crm_id: write.crmId,
    record_type: write.recordType,
    title: write.crmId,
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
    source: write.source,
    url: null,
    account_crm_id: null,
    updated_at: now,
    version: 1,
  };
  const row: DealsTable = { ...base };
  if (fields.title !== undefined) row.title = fields.title;
  if (fields.kind !== undefined) row.kind = fields.kind;
  if (fields.amount !== undefined) row.amount = fields.amount;
  if (fields.currency !== undefined) row.currency = fields.currency;
  if (fields.stage !== undefined) row.stage = fields.stage;
  if (fields.probability !== undefined) row.probability = fields.probability;
  if (fields.segment !== undefined) row.segment = fields.segment;
  if (fields.expectedClose !== undefined) row.expected_close = fields.expectedClose;
  if (fields.status !== undefined) row.status = fields.status;
  if (fields.closedAt !== undefined) row.closed_at = fields.closedAt;
  if (fields.url !== undefined) row.url = fields.url;
  let unmatchedOwner: string | null = null;
  if (fields.ownerEmail !== undefined || fields.ownerLabel !== undefined) {
    const owner = resolveOwner(users, write.crm, fields);
    row.owner_id = owner?.id ?? null;
    row.owner_label = fields.ownerLabel ?? owner?.name ?? fields.ownerEmail ?? null;
    if (!owner) unmatchedOwner = fields.ownerEmail ?? fields.ownerLabel ?? null;
  }
  // Only a write that changes something is stamped with its source and time (see the comparison in upsertDeal).
  row.source = write.source;
  row.updated_at = now;
  return { row, unmatchedOwner };
}

export function validate(row: DealsTable): void {
  // A won deal without a closing date could count in no period: it would vanish from every plan silently.
  if ((row.status === 'won' || row.status === 'lost') && row.closed_at === null) {
    throw new DealRejected(said(importMessages, row.status === 'won' ? 'closedAt.won' : 'closedAt.lost'));
  }
}
