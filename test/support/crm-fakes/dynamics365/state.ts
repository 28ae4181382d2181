import { randomUUID } from 'node:crypto';
import { FakeTraffic } from '../http-util';
import type { ODataValue } from './odata';

// What the Dynamics 365 contract fake holds: one Dataverse environment in one Microsoft Entra tenant, the app
// registration Headway signs in as (and whether it is an application user of the environment), and rows of the
// tables Headway reads and writes by entity set, each as its columns by logical name (datetimes as ms, whole
// seconds as Dataverse keeps them; lookups as `_{name}_value` GUIDs in lower case). Columns follow the Dataverse
// table reference (opportunity, systemuser, transactioncurrency, annotation, task).

export type DvRow = Record<string, ODataValue>;

/** Each entity set's primary key and its columns (what $select and $filter may name). */
export const entitySets: Record<string, { key: string; columns: readonly string[]; datetimes: readonly string[] }> = {
  opportunities: {
    key: 'opportunityid',
    columns: ['opportunityid', 'name', 'estimatedvalue', '_transactioncurrencyid_value', 'statecode', 'statuscode', 'closeprobability', '_ownerid_value', 'estimatedclosedate', 'actualclosedate', 'modifiedon', 'createdon', 'new_opportunitytype'],
    datetimes: ['modifiedon', 'createdon'],
  },
  systemusers: { key: 'systemuserid', columns: ['systemuserid', 'fullname', 'internalemailaddress', 'isdisabled', 'applicationid'], datetimes: [] },
  transactioncurrencies: { key: 'transactioncurrencyid', columns: ['transactioncurrencyid', 'isocurrencycode', 'currencyname'], datetimes: [] },
  annotations: { key: 'annotationid', columns: ['annotationid', 'subject', 'notetext', '_objectid_value', 'objecttypecode', '_ownerid_value', 'modifiedon'], datetimes: ['modifiedon'] },
  tasks: { key: 'activityid', columns: ['activityid', 'subject', 'description', 'scheduledend', '_regardingobjectid_value', '_ownerid_value', 'modifiedon'], datetimes: ['modifiedon', 'scheduledend'] },
};

/** The opportunity's status reasons (statuscode) and the state (statecode) each belongs to: a new org's defaults. */
export const statusReasons = [
  { Value: 1, State: 0, label: 'In Progress' },
  { Value: 2, State: 0, label: 'On Hold' },
  { Value: 3, State: 1, label: 'Won' },
  { Value: 4, State: 2, label: 'Canceled' },
  { Value: 5, State: 2, label: 'Out-Sold' },
] as const;

export interface LogEntry {
  method: string;
  path: string;
  status: number;
  kind?: 'list' | 'create';
}

export class DynamicsFake extends FakeTraffic<LogEntry> {
  readonly tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  readonly organizationId = 'c3a5e6f1-0b2d-4e8f-9a7c-1d2e3f4a5b6c';
  readonly app = { clientId: '51f81489-12ee-4a9e-aaae-a2591f45987d', secret: 'Xq8Q~headway.client.secret.value~9aZ' };
  /** The application user the app registration acts as in this environment. */
  applicationUserId = '';
  readonly rows = new Map<string, Map<string, DvRow>>(Object.keys(entitySets).map((set) => [set, new Map()]));
  /** Access tokens and when each expires (ms). */
  readonly tokens = new Map<string, number>();
  settings = {
    /** Every nth Web API request answered 429 with Retry-After; null: none. */
    rateLimit: null as { everyNth: number; retryAfterSeconds: number } | null,
    /** The environment is disabled or deleted: its host answers 404 pages. */
    disabled: false,
    /** The application user's role lacks prvCreateNote. */
    notesDenied: false,
    /** Rows a page holds at most, whatever odata.maxpagesize asks (Dataverse: 5,000). */
    maxPageSize: 5000,
  };
  /** Pages still to be read through @odata.nextLink, by $skiptoken. */
  readonly pages = new Map<string, { set: string; rows: Record<string, unknown>[]; size: number; list: boolean }>();

  table(set: string): Map<string, DvRow> {
    const table = this.rows.get(set);
    if (!table) throw new Error(`no entity set ${set}`);
    return table;
  }

  static second(ms: number): number {
    return Math.floor(ms / 1000) * 1000;
  }

  insert(set: string, columns: DvRow, id: string = randomUUID()): DvRow {
    const now = DynamicsFake.second(Date.now());
    const { key, datetimes } = entitySets[set]!;
    const row: DvRow = { [key]: id.toLowerCase(), ...(datetimes.includes('modifiedon') ? { modifiedon: now } : {}), ...(datetimes.includes('createdon') || set === 'opportunities' ? { createdon: now } : {}), ...columns };
    this.table(set).set(id.toLowerCase(), row);
    return row;
  }

  /** A change by a user: new values and a new modifiedon (unless the test sets one). */
  update(set: string, id: string, columns: DvRow): DvRow {
    const row = this.table(set).get(id.toLowerCase());
    if (!row) throw new Error(`no ${set} ${id}`);
    Object.assign(row, entitySets[set]!.datetimes.includes('modifiedon') ? { modifiedon: DynamicsFake.second(Date.now()) } : {}, columns);
    return row;
  }
}
