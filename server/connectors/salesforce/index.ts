import { ConnectorError } from '../errors';
import type { ConnectorHttp } from '../http';
import { nextPosition, startPosition, wholeSecond, type KeysetPosition } from '../keyset';
import { noteBody, noteSubject, referenceOf } from '../note-text';
import type { ConnectionCredential, ConnectorFactory, ConnectorOptions, CrmConnector, CrmDeal, DealPage, ListPosition, NoteForCrm, TaskForCrm } from '../types';
import { SalesforceApi } from './api';
import { dealFromOpportunity, isRecordId, opportunityFields, pipelineFromStages, userFromJson, type SfOpportunityJson, type SfStageJson, type SfUserJson } from './mapping';

// Salesforce over the REST API with a connected app's client-credentials flow. Opportunities are Headway's deals,
// read by SOQL in SystemModstamp order (keyset pages, keyset.ts); an incremental sync asks queryAll, which also
// answers opportunities deleted into the recycle bin (IsDeleted), and the reconciliation of ids catches purged ones.
// Notes are classic Notes on the record (one insert, ParentId; ContentNote would need a second call to link it),
// next steps Tasks on it, an approved move the opportunity's OwnerId. Salesforce takes no client id or idempotency
// key on insert, so every Note and Task ends with a reference line derived from its key and is looked for on the
// record before it is written: a write repeated after a crash finds the one it made.

const idsPage = 2000;

interface OrgFacts {
  /** Organization.DefaultCurrencyIsoCode. */
  currency: string | null;
  /** Whether Opportunity has CurrencyIsoCode (multiple currencies enabled). */
  multiCurrency: boolean;
}

/** A record id checked before it goes into a SOQL literal or a path. */
function checkedId(id: string): string {
  if (!isRecordId(id)) throw new ConnectorError('rejected', `"${id}" is not a Salesforce record id.`);
  return id;
}

const quoted = (id: string) => `'${checkedId(id)}'`;

/** The Task field that names the record: WhatId for opportunities and accounts, WhoId for contacts and leads. */
function taskLink(recordType: TaskForCrm['record']['recordType']): 'WhatId' | 'WhoId' {
  return recordType === 'contact' || recordType === 'lead' ? 'WhoId' : 'WhatId';
}

function noteFields(note: NoteForCrm) {
  // Note.Title holds 80 characters; the body holds 32 KB.
  return { Title: noteSubject(note).slice(0, 80), Body: `${noteBody(note)}\n${referenceOf(note.key)}` };
}

class SalesforceConnector implements CrmConnector {
  readonly abilities = { deletions: 'flags', tasks: true, ownerChange: true } as const;
  private org: OrgFacts | null = null;
  private readonly pageSize: number;

  constructor(
    private readonly api: SalesforceApi,
    private readonly origin: string,
    private readonly options: ConnectorOptions,
  ) {
    this.pageSize = Math.min(2000, options.pageSize ?? 500);
  }

  async checkCredential(): Promise<{ account: string }> {
    const userId = await this.api.runAsUserId();
    // One opportunity and one user prove the rights a sync needs now, not at the first sync.
    await this.api.query('SELECT Id FROM Opportunity LIMIT 1');
    const users = userId && isRecordId(userId) ? (await this.api.query<{ Username?: string }>(`SELECT Username FROM User WHERE Id = '${userId}'`)).records : [];
    if (!users.length) await this.api.query('SELECT Id FROM User LIMIT 1');
    return { account: `${users[0]?.Username ?? 'the connected app'}${userId ? ` (user ${userId})` : ''}` };
  }

  async listChangedDeals(since: string | null, position: ListPosition | null): Promise<DealPage> {
    const stored = position?.keyset;
    const keyset: KeysetPosition = stored && stored.phase !== 'ids' ? stored : startPosition(since);
    const org = await this.orgFacts();
    const where =
      keyset.phase === 'tie'
        ? `WHERE SystemModstamp = ${wholeSecond(keyset.at)}${keyset.afterId === null ? '' : ` AND Id > ${quoted(keyset.afterId)}`} ORDER BY Id`
        : `${keyset.from === null ? '' : `WHERE SystemModstamp ${keyset.inclusive ? '>=' : '>'} ${wholeSecond(keyset.from)} `}ORDER BY SystemModstamp, Id`;
    // An incremental sync also reads what was deleted since (recycle bin, IsDeleted = true).
    const { records } = await this.api.query<SfOpportunityJson>(`SELECT ${this.fields(org)} FROM Opportunity ${where} LIMIT ${this.pageSize}`, since !== null);
    const deals = this.toDeals(records, org);
    const next = nextPosition(keyset, deals, records.length >= this.pageSize, (deal) => deal.modifiedAt, (deal) => deal.crmId);
    return { deals, next: next && { pass: 'deals', keyset: next } };
  }

  async readDeal(crmId: string): Promise<CrmDeal | null> {
    if (!isRecordId(crmId)) return null;
    const org = await this.orgFacts();
    const { records } = await this.api.query<SfOpportunityJson>(`SELECT ${this.fields(org)} FROM Opportunity WHERE Id = '${crmId}'`);
    return records[0] ? this.toDeals(records, org)[0]! : null;
  }

  async listDealIds(position: ListPosition | null): Promise<{ ids: string[]; next: ListPosition | null }> {
    const afterId = position?.keyset.phase === 'ids' ? position.keyset.afterId : null;
    const { records } = await this.api.query<{ Id: string }>(`SELECT Id FROM Opportunity ${afterId === null ? '' : `WHERE Id > ${quoted(afterId)} `}ORDER BY Id LIMIT ${idsPage}`);
    const ids = records.map((record) => record.Id);
    const last = ids.at(-1);
    return { ids, next: ids.length >= idsPage && last ? { pass: 'ids', keyset: { phase: 'ids', afterId: last } } : null };
  }

  async listUsers() {
    return (await this.api.query<SfUserJson>('SELECT Id, Name, Email, IsActive FROM User ORDER BY Id')).records.map(userFromJson);
  }

  async listPipelines() {
    const { records } = await this.api.query<SfStageJson>('SELECT ApiName, MasterLabel, IsActive, IsClosed, IsWon FROM OpportunityStage ORDER BY SortOrder');
    return [pipelineFromStages(records)];
  }

  async countDeals() {
    return (await this.api.query('SELECT COUNT() FROM Opportunity')).totalSize;
  }

  async createNote(note: NoteForCrm) {
    const parent = quoted(note.record.crmId);
    const existing = await this.findByReference(`SELECT Id, Body FROM Note WHERE ParentId = ${parent}`, 'Body', note.key);
    if (existing) return { crmId: existing };
    const made = await this.api.call('POST', '/sobjects/Note', { ParentId: note.record.crmId, ...noteFields(note), ...(note.author.crmUserId ? { OwnerId: note.author.crmUserId } : {}) });
    return { crmId: this.madeId(made, 'Note') };
  }

  async updateNote(crmId: string, note: NoteForCrm) {
    await this.api.call('PATCH', `/sobjects/Note/${checkedId(crmId)}`, noteFields(note));
  }

  async createTask(task: TaskForCrm) {
    const link = taskLink(task.record.recordType);
    const existing = await this.findByReference(`SELECT Id, Description FROM Task WHERE ${link} = ${quoted(task.record.crmId)}`, 'Description', task.key);
    if (existing) return { crmId: existing };
    const made = await this.api.call('POST', '/sobjects/Task', {
      [link]: task.record.crmId,
      Subject: task.title.slice(0, 255),
      Description: `${task.description}\n${referenceOf(task.key)}`,
      Status: 'Not Started',
      Priority: 'Normal',
      // ActivityDate is a date without time: the due day as Headway holds it.
      ...(task.dueDate ? { ActivityDate: task.dueDate } : {}),
      ...(task.assigneeCrmId ? { OwnerId: task.assigneeCrmId } : {}),
    });
    return { crmId: this.madeId(made, 'Task') };
  }

  async setDealOwner(crmId: string, ownerCrmId: string) {
    await this.api.call('PATCH', `/sobjects/Opportunity/${checkedId(crmId)}`, { OwnerId: ownerCrmId });
  }

  /** What a page asks for: the standard fields, CurrencyIsoCode where the org has it, and the kind rule's field. */
  private fields(org: OrgFacts): string {
    return [...new Set([...opportunityFields, ...(org.multiCurrency ? ['CurrencyIsoCode'] : []), ...this.options.ruleFields])].join(', ');
  }

  private async findByReference(soql: string, field: string, key: string): Promise<string | null> {
    const reference = referenceOf(key);
    const { records } = await this.api.query<Record<string, unknown> & { Id: string }>(soql);
    return records.find((record) => typeof record[field] === 'string' && (record[field] as string).includes(reference))?.Id ?? null;
  }

  /** The id of a record just inserted: {id, success, errors} (REST API "Create a Record"). */
  private madeId(body: unknown, object: string): string {
    const id = (body as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') throw new ConnectorError('bad_response', `Salesforce answered the new ${object} without its id.`);
    return id;
  }

  private async orgFacts(): Promise<OrgFacts> {
    if (this.org) return this.org;
    const describe = (await this.api.call('GET', '/sobjects/Opportunity/describe')) as { fields?: { name: string }[] };
    const { records } = await this.api.query<{ DefaultCurrencyIsoCode?: string | null }>('SELECT DefaultCurrencyIsoCode FROM Organization');
    return (this.org = { currency: records[0]?.DefaultCurrencyIsoCode?.toUpperCase() ?? null, multiCurrency: (describe.fields ?? []).some((field) => field.name === 'CurrencyIsoCode') });
  }

  private toDeals(records: SfOpportunityJson[], org: OrgFacts): CrmDeal[] {
    const context = { origin: this.origin, orgCurrency: org.currency, ruleFields: this.options.ruleFields };
    return records.map((record) => dealFromOpportunity(record, context));
  }
}

export const salesforce: ConnectorFactory = {
  crm: 'salesforce',
  apis: ['rest'],
  needs: () => ({ clientId: true, username: false }),
  create(credential: ConnectionCredential, http: ConnectorHttp, options: ConnectorOptions): CrmConnector {
    if (credential.api !== 'rest') throw new ConnectorError('rejected', `Salesforce has the REST API, not ${credential.api}.`);
    return new SalesforceConnector(new SalesforceApi(credential, http), credential.origin, options);
  },
};
