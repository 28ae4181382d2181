import { ConnectorError } from '../errors';
import type { ConnectorHttp } from '../http';
import { noteBody, noteSubject, referenceOf } from '../note-text';
import type { ConnectionCredential, ConnectorFactory, ConnectorOptions, CrmConnector, CrmDeal, DealPage, ListPosition, NoteForCrm, TaskForCrm } from '../types';
import { AmoApi } from './api';
import { listChangedLeads, listLeadIds } from './listing';
import { dealFromLead, entityOf, pipelineFromJson, userFromJson, type AmoLeadJson, type AmoPipelineJson, type AmoUserJson } from './mapping';

// amoCRM / Kommo over API v4 with a long-lived token. Leads are Headway's deals; notes are "common" notes on the
// lead, tasks are tasks on it, an approved move is the lead's responsible_user_id. amoCRM takes no id or
// idempotency key from a client, so every note and task Headway writes carries a reference derived from its key
// (the last line of its text) and is looked up by it before it is created: a write repeated after a crash finds
// the one it made. Deleted leads vanish from every listing: they are seen by reconciling ids.

const maxPage = 250;

interface Account {
  id: number;
  name: string;
  currency?: string | null;
  current_user_id?: number;
}


function noteText(note: NoteForCrm): string {
  return `${noteSubject(note)}\n\n${noteBody(note)}\n${referenceOf(note.key)}`;
}

function embedded<T>(body: unknown, key: string): T[] {
  return ((body as { _embedded?: Record<string, T[]> } | null)?._embedded?.[key] ?? []) as T[];
}

function hasNext(body: unknown): boolean {
  return Boolean((body as { _links?: { next?: unknown } } | null)?._links?.next);
}

function entityPath(recordType: NoteForCrm['record']['recordType']): string {
  const entity = entityOf[recordType];
  if (!entity) throw new ConnectorError('rejected', `amoCRM has no ${recordType} records: a note or task goes on a lead, contact or company.`);
  return entity;
}

class AmoConnector implements CrmConnector {
  readonly abilities = { deletions: 'reconcile', tasks: true, ownerChange: true } as const;
  private account: Account | null = null;
  private readonly pageSize: number;

  constructor(
    private readonly api: AmoApi,
    private readonly origin: string,
    private readonly options: ConnectorOptions,
  ) {
    this.pageSize = Math.min(maxPage, options.pageSize ?? maxPage);
  }

  async checkCredential(): Promise<{ account: string }> {
    const account = await this.accountInfo();
    // One lead and one user prove the rights a sync needs now, not at the first sync.
    await this.api.call('GET', '/api/v4/leads?limit=1&page=1');
    await this.api.call('GET', '/api/v4/users?limit=1&page=1');
    return { account: `${account.name} (user ${account.current_user_id ?? '?'})` };
  }

  async listChangedDeals(since: string | null, position: ListPosition | null): Promise<DealPage> {
    const page = await listChangedLeads(this.api, since, position, this.pageSize);
    return { deals: await this.toDeals(page.leads), next: page.next };
  }

  async readDeal(crmId: string): Promise<CrmDeal | null> {
    if (!/^\d+$/.test(crmId)) return null;
    const lead = (await this.api.call('GET', `/api/v4/leads/${crmId}`)) as AmoLeadJson | null;
    return lead ? (await this.toDeals([lead]))[0]! : null;
  }

  listDealIds(position: ListPosition | null) {
    return listLeadIds(this.api, position, maxPage);
  }

  async listUsers() {
    const users = [];
    for (let page = 1; ; page++) {
      const body = await this.api.call('GET', `/api/v4/users?limit=${maxPage}&page=${page}`);
      users.push(...embedded<AmoUserJson>(body, 'users').map(userFromJson));
      if (!hasNext(body)) return users;
    }
  }

  async listPipelines() {
    return embedded<AmoPipelineJson>(await this.api.call('GET', '/api/v4/leads/pipelines'), 'pipelines').map(pipelineFromJson);
  }

  /** API v4 lists carry no total. */
  async countDeals() {
    return null;
  }

  async createNote(note: NoteForCrm) {
    const entity = entityPath(note.record.recordType);
    const base = `/api/v4/${entity}/${note.record.crmId}/notes`;
    const existing = await this.findByReference(`${base}?filter[note_type]=common`, 'notes', referenceOf(note.key), (found: { id: number; params?: { text?: string } }) => found.params?.text);
    if (existing) return { crmId: existing };
    const body = await this.api.call('POST', base, [
      { note_type: 'common', params: { text: noteText(note) }, ...(note.author.crmUserId ? { responsible_user_id: Number(note.author.crmUserId) } : {}) },
    ]);
    return { crmId: this.madeId(body, 'notes') };
  }

  async updateNote(crmId: string, note: NoteForCrm) {
    await this.api.call('PATCH', `/api/v4/${entityPath(note.record.recordType)}/notes/${crmId}`, { note_type: 'common', params: { text: noteText(note) } });
  }

  async createTask(task: TaskForCrm) {
    const entity = entityPath(task.record.recordType);
    const reference = referenceOf(task.key);
    const existing = await this.findByReference(`/api/v4/tasks?filter[entity_type]=${entity}&filter[entity_id]=${task.record.crmId}`, 'tasks', reference, (found: { id: number; text?: string }) => found.text);
    if (existing) return { crmId: existing };
    // Noon UTC of the due day keeps the day the same in every time zone a team is likely to sit in; a next step
    // without a date is due in a day.
    const due = task.dueDate ? Math.floor(Date.parse(`${task.dueDate}T12:00:00Z`) / 1000) : Math.floor(Date.now() / 1000) + 86_400;
    const body = await this.api.call('POST', '/api/v4/tasks', [
      {
        text: `${task.title}\n${task.description}\n${reference}`,
        complete_till: due,
        entity_id: Number(task.record.crmId),
        entity_type: entity,
        task_type_id: 1,
        ...(task.assigneeCrmId ? { responsible_user_id: Number(task.assigneeCrmId) } : {}),
      },
    ]);
    return { crmId: this.madeId(body, 'tasks') };
  }

  async setDealOwner(crmId: string, ownerCrmId: string) {
    await this.api.call('PATCH', '/api/v4/leads', [{ id: Number(crmId), responsible_user_id: Number(ownerCrmId) }]);
  }

  private async findByReference<T extends { id: number }>(path: string, key: string, reference: string, textOf: (item: T) => string | undefined): Promise<string | null> {
    for (let page = 1; ; page++) {
      const body = await this.api.call('GET', `${path}&limit=${maxPage}&page=${page}`);
      const found = embedded<T>(body, key).find((item) => textOf(item)?.includes(reference));
      if (found) return String(found.id);
      if (!hasNext(body)) return null;
    }
  }

  private madeId(body: unknown, key: string): string {
    const id = embedded<{ id?: number }>(body, key)[0]?.id;
    if (typeof id !== 'number') throw new ConnectorError('bad_response', `amoCRM answered the new ${key.slice(0, -1)} without its id.`);
    return String(id);
  }

  private async accountInfo(): Promise<Account> {
    this.account ??= (await this.api.call('GET', '/api/v4/account')) as Account;
    if (!this.account) throw new ConnectorError('bad_response', 'amoCRM answered GET /api/v4/account with nothing.');
    return this.account;
  }

  private async toDeals(leads: AmoLeadJson[]): Promise<CrmDeal[]> {
    const account = await this.accountInfo();
    const context = { origin: this.origin, currency: account.currency?.toUpperCase() || null, ruleFields: this.options.ruleFields };
    return leads.map((lead) => dealFromLead(lead, context));
  }
}

export const amocrm: ConnectorFactory = {
  crm: 'amocrm',
  apis: ['v4'],
  needs: () => ({ clientId: false, username: false }),
  create(credential: ConnectionCredential, http: ConnectorHttp, options: ConnectorOptions): CrmConnector {
    if (credential.api !== 'v4') throw new ConnectorError('rejected', `amoCRM has the API v4, not ${credential.api}.`);
    return new AmoConnector(new AmoApi(credential.origin, credential.secret, http), credential.origin, options);
  },
};
