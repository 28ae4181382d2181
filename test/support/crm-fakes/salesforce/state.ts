import { FakeTraffic } from '../http-util';
import type { SoqlValue } from './soql';

// What the Salesforce contract fake holds: one org (its currency, whether it has several), the connected app whose
// client-credentials flow Headway uses, and records of the objects Headway reads and writes, each as its fields by
// API name (datetimes as ms since the epoch, whole seconds as Salesforce keeps them). Field lists follow the Object
// Reference for Salesforce (Opportunity, OpportunityStage, User, Note, Task, Organization).

export type SfRecord = Record<string, SoqlValue>;

type FieldType = 'id' | 'string' | 'textarea' | 'currency' | 'percent' | 'picklist' | 'reference' | 'date' | 'datetime' | 'boolean' | 'int';

/** Each object's fields and their types (what describe answers and what SOQL may name). */
export const objectFields: Record<string, Record<string, FieldType>> = {
  Opportunity: {
    Id: 'id', Name: 'string', Amount: 'currency', StageName: 'picklist', Probability: 'percent', OwnerId: 'reference', CloseDate: 'date', Type: 'picklist',
    IsClosed: 'boolean', IsWon: 'boolean', IsDeleted: 'boolean', CreatedDate: 'datetime', LastModifiedDate: 'datetime', SystemModstamp: 'datetime', CurrencyIsoCode: 'picklist',
  },
  OpportunityStage: { Id: 'id', ApiName: 'string', MasterLabel: 'string', IsActive: 'boolean', IsClosed: 'boolean', IsWon: 'boolean', SortOrder: 'int', DefaultProbability: 'percent', IsDeleted: 'boolean' },
  User: { Id: 'id', Username: 'string', Name: 'string', Email: 'string', IsActive: 'boolean', IsDeleted: 'boolean' },
  Organization: { Id: 'id', Name: 'string', DefaultCurrencyIsoCode: 'picklist', IsDeleted: 'boolean' },
  Note: { Id: 'id', ParentId: 'reference', Title: 'string', Body: 'textarea', OwnerId: 'reference', IsPrivate: 'boolean', IsDeleted: 'boolean', SystemModstamp: 'datetime' },
  Task: { Id: 'id', WhatId: 'reference', WhoId: 'reference', Subject: 'string', Description: 'textarea', Status: 'picklist', Priority: 'picklist', ActivityDate: 'date', OwnerId: 'reference', IsDeleted: 'boolean', SystemModstamp: 'datetime' },
};

/** Key prefixes of the objects (the first three characters of every id). */
const prefixes: Record<string, string> = { Opportunity: '006', OpportunityStage: '01J', User: '005', Organization: '00D', Note: '002', Task: '00T' };

export interface LogEntry {
  method: string;
  path: string;
  status: number;
  /** "list" for a page of opportunities, "create" for an insert. */
  kind?: 'list' | 'create';
}

export class SalesforceFake extends FakeTraffic<LogEntry> {
  readonly orgId = '00DHw0000000001AAA';
  readonly app = { clientId: '3MVG9fe4g9fhX0E5_headway.consumer.key', clientSecret: 'C9A1E5D3F7B2A8E4C6D0F1A3B5C7D9E1F3A5B7C9D1E3F5A7B9C1D3E5F7A9B1C3' };
  /** The connected app's "Run As" user. */
  runAsUserId = '';
  readonly records = new Map<string, Map<string, SfRecord>>(Object.keys(objectFields).map((object) => [object, new Map()]));
  readonly tokens = new Set<string>();
  /** Query locators (nextRecordsUrl) and the rows still to answer. */
  readonly locators = new Map<string, { object: string; rows: Record<string, unknown>[]; totalSize: number; list: boolean }>();
  settings = {
    multiCurrency: true,
    /** The rows a query batch holds at most: 2000 unless a Sforce-Query-Options batchSize asks fewer (200 at least). */
    batchSize: 2000,
    /** Every nth API request answered 403 REQUEST_LIMIT_EXCEEDED (concurrent requests); null: none. */
    rateLimit: null as { everyNth: number } | null,
    /** The org used its rolling 24-hour API allowance (403 REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded."). */
    dailyAllowanceUsed: false,
    /** The org's edition has no API (403 API_DISABLED_FOR_ORG). */
    apiDisabled: false,
    /** The Run As user may not write notes (400 INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY). */
    notesDenied: false,
  };
  private sequence = 0;

  constructor() {
    super();
    this.insert('Organization', { Name: 'Acme Trading GmbH', DefaultCurrencyIsoCode: 'EUR' }, this.orgId);
  }

  table(object: string): Map<string, SfRecord> {
    const table = this.records.get(object);
    if (!table) throw new Error(`no object ${object}`);
    return table;
  }

  /** A new id of the object's key prefix; 18 characters, in creation order. */
  newId(object: string): string {
    this.sequence += 1;
    return `${prefixes[object]}Hw${String(this.sequence).padStart(10, '0')}AAA`;
  }

  /** Whole seconds, as Salesforce keeps datetimes. */
  static second(ms: number): number {
    return Math.floor(ms / 1000) * 1000;
  }

  insert(object: string, fields: SfRecord, id = this.newId(object)): SfRecord {
    const now = SalesforceFake.second(Date.now());
    const record: SfRecord = { Id: id, IsDeleted: false, ...(objectFields[object]!.SystemModstamp ? { CreatedDate: now, LastModifiedDate: now, SystemModstamp: now } : {}), ...fields };
    this.table(object).set(id, record);
    return record;
  }

  /** A user's edit: new values and a new SystemModstamp (unless the test sets one). */
  update(object: string, id: string, fields: SfRecord): SfRecord {
    const record = this.table(object).get(id);
    if (!record) throw new Error(`no ${object} ${id}`);
    const now = SalesforceFake.second(Date.now());
    Object.assign(record, 'SystemModstamp' in objectFields[object]! ? { LastModifiedDate: now, SystemModstamp: now } : {}, fields);
    return record;
  }

  /** The stage's IsClosed and IsWon, which Salesforce copies onto the opportunity when its StageName is set. */
  stageFlags(stageName: string): { IsClosed: boolean; IsWon: boolean } {
    const stage = [...this.table('OpportunityStage').values()].find((row) => row.ApiName === stageName);
    return { IsClosed: stage?.IsClosed === true, IsWon: stage?.IsWon === true };
  }
}
