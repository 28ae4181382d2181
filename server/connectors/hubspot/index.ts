import type { RecordType } from '../../../core/schema';
import { ConnectorError } from '../errors';
import type { ConnectorHttp } from '../http';
import { nextPosition, startPosition, type KeysetPosition } from '../keyset';
import { noteBody, noteSubject, referenceOf, textAsHtml } from '../note-text';
import type { ConnectionCredential, ConnectorFactory, ConnectorOptions, CrmConnector, CrmDeal, CrmUser, DealPage, ListPosition, NoteForCrm, TaskForCrm } from '../types';
import { HubSpotApi, portalOf } from './api';
import { dealFromObject, dealProperties, hubSpotTimeToIso, pipelineFromJson, userFromOwner, type HubSpotObject, type HubSpotOwner, type HubSpotPipeline } from './mapping';

// HubSpot through a private app's access token, CRM API v3. Deals are read by the search endpoint in
// hs_lastmodifieddate order. Every page is a new search from the last modification time seen (keyset.ts) rather
// than the search's `after` offset: a search pages no further than 10,000 results (after + limit ≤ 10,000, else
// HTTP 400), and restarting the window at each page never comes near it, however many deals changed. Deleted
// (archived) deals are listed in a second pass (GET /crm/v3/objects/deals?archived=true, kept 90 days); purged ones
// are caught by reconciling ids. Notes and tasks are engagements associated with the deal (association types 214
// note→deal, 216 task→deal); HubSpot takes no idempotency key, so each carries a reference line derived from its
// key and the record's associated notes (or tasks) are searched for it before one is created.

const maxSearchPage = 200;
const maxListPage = 100;
const dealsPass = 'deals';
const archivedPass = 'archived';
const idsPass = 'ids';

interface Page<T> {
  results: T[];
  total?: number;
  paging?: { next?: { after?: string } };
}

interface AccountDetails {
  portalId: number;
  companyCurrency?: string;
  uiDomain?: string;
}

/** The CRM object a record type is, and the association type ids (HUBSPOT_DEFINED) of a note and a task on it. */
const objectOf: Partial<Record<RecordType, { path: 'deals' | 'contacts' | 'companies'; note: number; task: number }>> = {
  deal: { path: 'deals', note: 214, task: 216 },
  contact: { path: 'contacts', note: 202, task: 204 },
  account: { path: 'companies', note: 190, task: 192 },
};

function objectFor(recordType: RecordType) {
  const object = objectOf[recordType];
  if (!object) throw new ConnectorError('rejected', `Headway writes HubSpot notes and tasks on deals, contacts and companies, not on ${recordType} records.`);
  return object;
}

/** The search body for a keyset position: hs_lastmodifieddate order, ties walked by hs_object_id. */
export function searchBody(keyset: KeysetPosition, properties: readonly string[], limit: number) {
  const base = { properties, limit };
  if (keyset.phase === 'tie') {
    const at = String(Date.parse(keyset.at));
    const filters = [{ propertyName: 'hs_lastmodifieddate', operator: 'EQ', value: at }, ...(keyset.afterId === null ? [] : [{ propertyName: 'hs_object_id', operator: 'GT', value: keyset.afterId }])];
    return { ...base, filterGroups: [{ filters }], sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }] };
  }
  const filters = keyset.from === null ? [] : [{ propertyName: 'hs_lastmodifieddate', operator: keyset.inclusive ? 'GTE' : 'GT', value: String(Date.parse(keyset.from)) }];
  return { ...base, ...(filters.length ? { filterGroups: [{ filters }] } : {}), sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }] };
}

/** Noon UTC of the due day keeps the day in every zone a team is likely to sit in; no date: due in a day. */
function dueTimestamp(dueDate: string | null, now: number): string {
  return dueDate ? `${dueDate}T12:00:00.000Z` : new Date(now + 86_400_000).toISOString();
}

class HubSpotConnector implements CrmConnector {
  readonly abilities = { deletions: 'flags', tasks: true, ownerChange: true } as const;
  private readonly properties: string[];
  private readonly pageSize: number;
  private account: AccountDetails | null = null;

  constructor(
    private readonly api: HubSpotApi,
    private readonly instance: string,
    private readonly options: ConnectorOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.properties = [...new Set([...dealProperties, ...options.ruleFields])];
    this.pageSize = Math.min(maxSearchPage, options.pageSize ?? maxSearchPage);
  }

  async checkCredential(): Promise<{ account: string }> {
    const account = await this.accountDetails();
    const named = portalOf(this.instance);
    if (named !== null && named !== String(account.portalId)) {
      throw new ConnectorError('bad_credential', `The access token belongs to HubSpot portal ${account.portalId}, not to portal ${named} of ${this.instance}. Use a private app of portal ${named}, or connect https://app.hubspot.com/contacts/${account.portalId}.`);
    }
    // One deal and one owner prove the scopes a sync needs now, not at the first sync.
    await this.api.call('POST', '/crm/v3/objects/deals/search', { properties: ['hs_object_id'], limit: 1 });
    await this.api.call('GET', '/crm/v3/owners?limit=1');
    return { account: `HubSpot portal ${account.portalId}${account.uiDomain ? ` (${account.uiDomain})` : ''}` };
  }

  async listChangedDeals(since: string | null, position: ListPosition | null): Promise<DealPage> {
    if (position?.pass === archivedPass) return this.archivedPage(since, position);
    const stored = position?.keyset;
    const keyset: KeysetPosition = stored && stored.phase !== 'ids' ? stored : startPosition(since);
    const page = (await this.api.call<Page<HubSpotObject>>('POST', '/crm/v3/objects/deals/search', searchBody(keyset, this.properties, this.pageSize)))!;
    const deals = await this.toDeals(page.results);
    const next = nextPosition(keyset, deals, page.results.length >= this.pageSize, (deal) => deal.modifiedAt, (deal) => deal.crmId);
    if (next) return { deals, next: { pass: dealsPass, keyset: next } };
    // A full listing needs no deleted deals (what it did not see is swept); an incremental one reads them next.
    return { deals, next: since === null ? null : { pass: archivedPass, keyset: { phase: 'ids', afterId: null } } };
  }

  /** Deals deleted (archived) at or after `since`, a page of the archived list at a time. */
  private async archivedPage(since: string | null, position: ListPosition): Promise<DealPage> {
    const after = position.keyset.phase === 'ids' ? position.keyset.afterId : null;
    const page = (await this.api.call<Page<HubSpotObject>>('GET', `/crm/v3/objects/deals?${new URLSearchParams({ archived: 'true', limit: String(maxListPage), properties: 'hs_lastmodifieddate', ...(after ? { after } : {}) })}`))!;
    const from = since === null ? null : Date.parse(since);
    const deleted = page.results.filter((deal) => from === null || Date.parse(deal.archivedAt ?? '') >= from);
    // A deal's deletion time is its last change: it moves the cursor like any other change.
    const deals = (await this.toDeals(deleted)).map((deal, index) => ({ ...deal, deleted: true, modifiedAt: hubSpotTimeToIso(deleted[index]!.archivedAt) ?? deal.modifiedAt }));
    const nextAfter = page.paging?.next?.after;
    return { deals, next: nextAfter ? { pass: archivedPass, keyset: { phase: 'ids', afterId: nextAfter } } : null };
  }

  async readDeal(crmId: string): Promise<CrmDeal | null> {
    if (!/^\d+$/.test(crmId)) return null;
    const deal = await this.api.call<HubSpotObject>('GET', `/crm/v3/objects/deals/${crmId}?properties=${this.properties.join(',')}`, undefined, { missingIsNull: true });
    return deal ? (await this.toDeals([deal]))[0]! : null;
  }

  async listDealIds(position: ListPosition | null): Promise<{ ids: string[]; next: ListPosition | null }> {
    const after = position?.keyset.phase === 'ids' ? position.keyset.afterId : null;
    const page = (await this.api.call<Page<HubSpotObject>>('GET', `/crm/v3/objects/deals?${new URLSearchParams({ limit: String(maxListPage), properties: 'hs_object_id', ...(after ? { after } : {}) })}`))!;
    const nextAfter = page.paging?.next?.after;
    return { ids: page.results.map((deal) => deal.id), next: nextAfter ? { pass: idsPass, keyset: { phase: 'ids', afterId: nextAfter } } : null };
  }

  /** Active owners and deactivated ones (archived): old deals still name them. */
  async listUsers(): Promise<CrmUser[]> {
    const owners: CrmUser[] = [];
    for (const archived of ['false', 'true']) {
      for (let after: string | undefined; ; ) {
        const page = (await this.api.call<Page<HubSpotOwner>>('GET', `/crm/v3/owners?${new URLSearchParams({ limit: '500', archived, ...(after ? { after } : {}) })}`))!;
        owners.push(...page.results.map(userFromOwner));
        after = page.paging?.next?.after;
        if (!after) break;
      }
    }
    return owners;
  }

  async listPipelines() {
    const answer = (await this.api.call<{ results: HubSpotPipeline[] }>('GET', '/crm/v3/pipelines/deals'))!;
    return answer.results.filter((pipeline) => pipeline.archived !== true).map(pipelineFromJson);
  }

  async countDeals(): Promise<number | null> {
    const page = await this.api.call<Page<HubSpotObject>>('POST', '/crm/v3/objects/deals/search', { properties: ['hs_object_id'], limit: 1 });
    return typeof page?.total === 'number' ? page.total : null;
  }

  async createNote(note: NoteForCrm): Promise<{ crmId: string }> {
    const object = objectFor(note.record.recordType);
    const reference = referenceOf(note.key);
    const existing = await this.findAssociated(object.path, note.record.crmId, 'notes', 'hs_note_body', reference);
    if (existing) return { crmId: existing };
    const made = (await this.api.call<HubSpotObject>('POST', '/crm/v3/objects/notes', {
      properties: { hs_timestamp: new Date(this.now()).toISOString(), hs_note_body: this.noteHtml(note), ...(note.author.crmUserId ? { hubspot_owner_id: note.author.crmUserId } : {}) },
      associations: [{ to: { id: note.record.crmId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: object.note }] }],
    }))!;
    return { crmId: made.id };
  }

  async updateNote(crmId: string, note: NoteForCrm): Promise<void> {
    await this.api.call('PATCH', `/crm/v3/objects/notes/${crmId}`, { properties: { hs_note_body: this.noteHtml(note) } });
  }

  async createTask(task: TaskForCrm): Promise<{ crmId: string }> {
    const object = objectFor(task.record.recordType);
    const reference = referenceOf(task.key);
    const existing = await this.findAssociated(object.path, task.record.crmId, 'tasks', 'hs_task_body', reference);
    if (existing) return { crmId: existing };
    const made = (await this.api.call<HubSpotObject>('POST', '/crm/v3/objects/tasks', {
      properties: {
        hs_timestamp: dueTimestamp(task.dueDate, this.now()),
        hs_task_subject: task.title,
        hs_task_body: textAsHtml(`${task.description}\n${reference}`),
        hs_task_status: 'NOT_STARTED',
        hs_task_type: 'TODO',
        ...(task.assigneeCrmId ? { hubspot_owner_id: task.assigneeCrmId } : {}),
      },
      associations: [{ to: { id: task.record.crmId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: object.task }] }],
    }))!;
    return { crmId: made.id };
  }

  async setDealOwner(crmId: string, ownerCrmId: string): Promise<void> {
    await this.api.call('PATCH', `/crm/v3/objects/deals/${crmId}`, { properties: { hubspot_owner_id: ownerCrmId } });
  }

  private noteHtml(note: NoteForCrm): string {
    return textAsHtml(`${noteSubject(note)}\n\n${noteBody(note)}\n${referenceOf(note.key)}`);
  }

  /**
   * The id of the note (or task) associated with a record whose body carries `reference`, or null. Associations
   * (v4, paged) are read rather than searched: the search index lags writes by seconds, associations do not.
   */
  private async findAssociated(path: string, recordId: string, kind: 'notes' | 'tasks', bodyProperty: string, reference: string): Promise<string | null> {
    for (let after: string | undefined; ; ) {
      const page = await this.api.call<{ results: { toObjectId: number | string }[]; paging?: Page<unknown>['paging'] }>(
        'GET', `/crm/v4/objects/${path}/${recordId}/associations/${kind}?${new URLSearchParams({ limit: '500', ...(after ? { after } : {}) })}`, undefined, { missingIsNull: true },
      );
      if (!page) throw new ConnectorError('rejected', `HubSpot has no ${path.slice(0, -1)} ${recordId} any more; the ${kind === 'notes' ? 'note' : 'task'} cannot be written.`);
      const ids = page.results.map((result) => String(result.toObjectId));
      for (let start = 0; start < ids.length; start += 100) {
        const batch = (await this.api.call<{ results: HubSpotObject[] }>('POST', `/crm/v3/objects/${kind}/batch/read`, { properties: [bodyProperty], inputs: ids.slice(start, start + 100).map((id) => ({ id })) }))!;
        const found = batch.results.find((item) => (item.properties[bodyProperty] ?? '').includes(reference));
        if (found) return found.id;
      }
      after = page.paging?.next?.after;
      if (!after) return null;
    }
  }

  private async accountDetails(): Promise<AccountDetails> {
    this.account ??= await this.api.call<AccountDetails>('GET', '/account-info/v3/details');
    if (!this.account) throw new ConnectorError('bad_response', 'HubSpot answered GET /account-info/v3/details with nothing.');
    return this.account;
  }

  private async toDeals(objects: HubSpotObject[]): Promise<CrmDeal[]> {
    const account = await this.accountDetails();
    // A portal's record pages: the instance itself on HubSpot's app hosts, else the portal's path on the API origin.
    const portalUrl = portalOf(this.instance) !== null ? this.instance : `${this.api.base}/contacts/${account.portalId}`;
    const context = { portalUrl, currency: account.companyCurrency?.toUpperCase() || null, ruleFields: this.options.ruleFields };
    return objects.map((object) => dealFromObject(object, context));
  }
}

export const hubspot: ConnectorFactory = {
  crm: 'hubspot',
  apis: ['v3'],
  needs: () => ({ clientId: false, username: false }),
  create(credential: ConnectionCredential, http: ConnectorHttp, options: ConnectorOptions): CrmConnector {
    if (credential.api !== 'v3') throw new ConnectorError('rejected', `HubSpot is connected through its CRM API v3, not ${credential.api}.`);
    return new HubSpotConnector(new HubSpotApi(credential.origin, credential.secret.trim(), http), credential.origin, options);
  },
};
