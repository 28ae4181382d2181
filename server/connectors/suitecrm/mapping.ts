import type { DealStatus } from '../../../core/schema';
import type { CrmDeal, CrmPipeline, CrmUser } from '../types';
import { number, text } from '../field-values';

// Pure mapping from SuiteCRM's records to ours. Both APIs end up here: V8 gives `attributes` (dates as ISO 8601,
// Api/V8/JsonApi/Helper/AttributeObjectHelper.php), v4_1 gives `name_value_list` values (dates in the database
// format, service/core/SoapHelperWebService.php sets $disable_date_format). Every unset field is '' (SugarBean::toArray).

/** A record as either API answers it, flattened to field → value. */
export interface SuiteRecord {
  id: string;
  fields: Record<string, unknown>;
}

/** The Opportunities fields a sync reads (all exist in modules/Opportunities/vardefs.php). */
export const opportunityFields = [
  'name', 'amount', 'currency_id', 'sales_stage', 'probability', 'date_closed', 'assigned_user_id', 'assigned_user_name',
  'opportunity_type', 'date_modified', 'deleted',
] as const;

export const userFields = ['user_name', 'first_name', 'last_name', 'email1', 'status'] as const;

/**
 * SuiteCRM's won and lost stages are fixed keys of sales_stage_dom that its own code tests
 * (modules/Opportunities/metadata/SearchFields.php 'closed_values', Opportunity.php, ListViewTop.php).
 */
export const closedStages: Readonly<Record<string, DealStatus>> = { 'Closed Won': 'won', 'Closed Lost': 'lost' };

/** sales_stage_dom as shipped (include/language/en_us.lang.php), for the V8 API, which cannot list a dropdown. */
export const defaultSalesStages: readonly [string, string][] = [
  ['Prospecting', 'Prospecting'],
  ['Qualification', 'Qualification'],
  ['Needs Analysis', 'Needs Analysis'],
  ['Value Proposition', 'Value Proposition'],
  ['Id. Decision Makers', 'Identifying Decision Makers'],
  ['Perception Analysis', 'Perception Analysis'],
  ['Proposal/Price Quote', 'Proposal/Price Quote'],
  ['Negotiation/Review', 'Negotiation/Review'],
  ['Closed Won', 'Closed Won'],
  ['Closed Lost', 'Closed Lost'],
];

/** The system currency's id in every SuiteCRM (modules/Currencies/Currency.php retrieve('-99')). */
export const systemCurrencyId = '-99';

const dbTime = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

/** A SuiteCRM timestamp in either API's form (database "Y-m-d H:i:s" UTC, or ISO 8601 with offset) as ISO UTC. */
export function suiteTimeToIso(value: unknown): string | null {
  const s = text(value);
  if (s === null) return null;
  const db = dbTime.exec(s);
  if (db) return `${db[1]}T${db[2]}.000Z`;
  const parsed = Date.parse(s);
  return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
}

/** The database form SuiteCRM's filters compare against ("Y-m-d H:i:s", UTC). */
export function isoToSuiteDb(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
}

function isoDate(value: unknown): string | null {
  const s = text(value);
  return s !== null && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : null;
}

export interface OpportunityContext {
  origin: string;
  /** Currency id → ISO 4217 (the system currency under '-99'). */
  currencies: ReadonlyMap<string, string>;
  /** Raw fields a kind rule reads, copied into CrmDeal.fields. */
  ruleFields: readonly string[];
}

/** A SuiteCRM Opportunity as a CrmDeal. Pure: the same record and context always give the same deal. */
export function dealFromOpportunity(record: SuiteRecord, context: OpportunityContext): CrmDeal {
  const f = record.fields;
  const currencyId = text(f.currency_id) ?? systemCurrencyId;
  const modifiedAt = suiteTimeToIso(f.date_modified);
  if (modifiedAt === null) throw new Error(`Opportunity ${record.id} has no readable date_modified`);
  const fields: Record<string, string | null> = {};
  for (const name of context.ruleFields) fields[name] = text(f[name]);
  const url = new URL('/index.php', context.origin);
  url.search = new URLSearchParams({ module: 'Opportunities', action: 'DetailView', record: record.id }).toString();
  return {
    crmId: record.id,
    recordType: 'deal',
    title: text(f.name) ?? record.id,
    amount: number(f.amount),
    currency: context.currencies.get(currencyId) ?? null,
    stage: text(f.sales_stage),
    pipeline: null,
    probability: number(f.probability),
    ownerCrmId: text(f.assigned_user_id),
    ownerName: text(f.assigned_user_name),
    expectedClose: isoDate(f.date_closed),
    // SuiteCRM keeps one date: the expected close date, which a closed deal's owner sets to when it closed.
    closedAt: null,
    url: url.toString(),
    modifiedAt,
    deleted: text(f.deleted) === '1' || f.deleted === true,
    fields,
  };
}

export function userFromRecord(record: SuiteRecord): CrmUser {
  const f = record.fields;
  const name = [text(f.first_name), text(f.last_name)].filter(Boolean).join(' ') || text(f.user_name) || record.id;
  return { crmId: record.id, name, email: text(f.email1)?.toLowerCase() ?? null, active: (text(f.status) ?? 'Active') === 'Active' };
}

/** SuiteCRM has one pipeline, its sales stages; won and lost are its fixed closed keys. */
export function pipelineFromStages(stages: readonly [string, string][]): CrmPipeline {
  return {
    id: null,
    label: 'Opportunities',
    stages: stages.map(([id, label]) => ({ id, label, status: closedStages[id] ?? 'open' })),
  };
}
