import type { RecordType } from '../../../core/schema';
import { ConnectorError } from '../errors';
import type { ConnectorHttp } from '../http';
import { nextPosition, startPosition, type IdPosition, type KeysetPosition } from '../keyset';
import { noteBody, noteSubject, uuidFromKey } from '../note-text';
import type { ConnectionCredential, ConnectorFactory, ConnectorOptions, CrmConnector, CrmDeal, CrmUser, DealPage, ListPosition, NoteForCrm, TaskForCrm } from '../types';
import { dealFields, dealFromRecord, isoToB24Time, pipelineFromStatuses, stageEntityOf, userFromRecord, type B24Record } from './mapping';
import { B24Rest } from './rest';

/** Every list method answers pages of 50, whatever is asked (crm-deal-list.md, "start"). */
const pageSize = 50;
const dealsPass = 'deals';
const idsPass = 'ids';

/** CRM object type ids (api-reference/crm/data-types.md, object_type) and the ENTITY_TYPE names of timeline comments. */
const ownerTypeId: Record<RecordType, number> = { lead: 1, deal: 2, contact: 3, account: 4 };
const entityType: Record<RecordType, string> = { lead: 'lead', deal: 'deal', contact: 'contact', account: 'company' };

/**
 * Bitrix24 has no idempotency key and no client-chosen ids, so each comment and to-do Headway writes carries a
 * reference derived from the write-back's key; before writing, the record's comments (or to-dos) are searched for
 * it, so a write whose answer was lost (a crash, a timeout) finds what it made instead of making it twice.
 */
function reference(key: string): string {
  return `Headway ref: ${uuidFromKey(key)}`;
}

function commentText(note: NoteForCrm): string {
  return `${noteSubject(note)}\n\n${noteBody(note)}\n${reference(note.key)}`;
}

/** A due date as a Bitrix24 deadline: noon UTC keeps the day in every zone a team is likely to sit in. */
function deadlineOf(dueDate: string | null, now: number): string {
  const day = dueDate ?? new Date(now + 24 * 3_600_000).toISOString().slice(0, 10);
  return `${day}T12:00:00+00:00`;
}

type Clauses = { filter: Record<string, string>; order: Record<string, 'ASC'> };

/** crm.deal.list's filter and order for a keyset position (keyset.ts): DATE_MODIFY order, ties walked by ID. */
export function listClauses(keyset: KeysetPosition | IdPosition): Clauses {
  if (keyset.phase === 'ids') return { filter: keyset.afterId === null ? {} : { '>ID': keyset.afterId }, order: { ID: 'ASC' } };
  if (keyset.phase === 'tie') {
    // One second as a closed range of the documented ">="/"<=" operators (DATE_MODIFY keeps whole seconds).
    const at = isoToB24Time(keyset.at);
    return { filter: { '>=DATE_MODIFY': at, '<=DATE_MODIFY': at, ...(keyset.afterId === null ? {} : { '>ID': keyset.afterId }) }, order: { ID: 'ASC' } };
  }
  const filter: Record<string, string> = keyset.from === null ? {} : { [keyset.inclusive ? '>=DATE_MODIFY' : '>DATE_MODIFY']: isoToB24Time(keyset.from) };
  return { filter, order: { DATE_MODIFY: 'ASC', ID: 'ASC' } };
}

class Bitrix24Connector implements CrmConnector {
  // crm.deal.list shows no deleted deals and Bitrix24 keeps none: deletions are seen by reconciling ids.
  readonly abilities = { deletions: 'reconcile', tasks: true, ownerChange: true } as const;
  private readonly select: string[];

  constructor(
    private readonly rest: B24Rest,
    private readonly origin: string,
    private readonly options: ConnectorOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.select = [...new Set([...dealFields, ...options.ruleFields])];
  }

  async checkCredential(): Promise<{ account: string }> {
    const profile = (await this.rest.call<B24Record>('profile')).result;
    // One page of deals and of users proves the crm and user scopes and the user's rights, now rather than at 3 a.m.
    await this.rest.call('crm.deal.list', { select: ['ID'], order: { ID: 'ASC' }, start: -1 });
    await this.rest.call('user.get', { sort: 'ID', order: 'ASC', FILTER: { ID: String(profile.ID ?? '') } });
    const name = [profile.NAME, profile.LAST_NAME].filter((part) => typeof part === 'string' && part !== '').join(' ');
    return { account: name || `user ${String(profile.ID)}` };
  }

  async listChangedDeals(since: string | null, position: ListPosition | null): Promise<DealPage> {
    const stored = position?.keyset;
    const keyset: KeysetPosition = stored && stored.phase !== 'ids' ? stored : startPosition(since);
    // start = -1: no COUNT(*) per page (settings/performance/huge-data.md); the keyset filter does the paging.
    const records = (await this.rest.call<B24Record[]>('crm.deal.list', { select: this.select, ...listClauses(keyset), start: -1 })).result;
    const deals = records.map((record) => dealFromRecord(record, { origin: this.origin, ruleFields: this.options.ruleFields }));
    const next = nextPosition(keyset, deals, records.length >= pageSize, (deal) => deal.modifiedAt, (deal) => deal.crmId);
    return { deals, next: next && { pass: dealsPass, keyset: next } };
  }

  async readDeal(crmId: string): Promise<CrmDeal | null> {
    try {
      const record = (await this.rest.call<B24Record>('crm.deal.get', { id: crmId })).result;
      return dealFromRecord(record, { origin: this.origin, ruleFields: this.options.ruleFields });
    } catch (error) {
      if (error instanceof ConnectorError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  async listDealIds(position: ListPosition | null): Promise<{ ids: string[]; next: ListPosition | null }> {
    const afterId = position?.keyset.phase === 'ids' ? position.keyset.afterId : null;
    const records = (await this.rest.call<B24Record[]>('crm.deal.list', { select: ['ID'], ...listClauses({ phase: 'ids', afterId }), start: -1 })).result;
    const ids = records.map((record) => String(record.ID));
    const last = ids.at(-1);
    return { ids, next: records.length >= pageSize && last ? { pass: idsPass, keyset: { phase: 'ids', afterId: last } } : null };
  }

  async listUsers(): Promise<CrmUser[]> {
    // Dismissed users too (no ACTIVE filter): their deals still name them as owners.
    return (await this.all<B24Record>('user.get', { sort: 'ID', order: 'ASC' })).map(userFromRecord);
  }

  async listPipelines() {
    const { categories } = (await this.rest.call<{ categories: B24Record[] }>('crm.category.list', { entityTypeId: ownerTypeId.deal })).result;
    const pipelines = [];
    for (const category of categories) {
      const id = String(category.id);
      const statuses = await this.all<B24Record>('crm.status.list', { order: { SORT: 'ASC' }, filter: { ENTITY_ID: stageEntityOf(id) } });
      pipelines.push(pipelineFromStatuses({ id, name: String(category.name ?? id) }, statuses));
    }
    return pipelines;
  }

  async countDeals(): Promise<number | null> {
    const answer = await this.rest.call<B24Record[]>('crm.deal.list', { select: ['ID'], start: 0 });
    return typeof answer.total === 'number' ? answer.total : null;
  }

  /** A timeline comment on the record, written once per note key (see `reference`). */
  async createNote(note: NoteForCrm): Promise<{ crmId: string }> {
    const ref = reference(note.key);
    const filter = { ENTITY_ID: note.record.crmId, ENTITY_TYPE: entityType[note.record.recordType] };
    const existing = (await this.all<B24Record>('crm.timeline.comment.list', { filter, select: ['ID', 'COMMENT'], order: { ID: 'DESC' } }))
      .find((comment) => String(comment.COMMENT ?? '').includes(ref));
    if (existing) return { crmId: String(existing.ID) };
    const fields = { ...filter, COMMENT: commentText(note), ...(note.author.crmUserId ? { AUTHOR_ID: note.author.crmUserId } : {}) };
    return { crmId: String((await this.rest.call<number>('crm.timeline.comment.add', { fields })).result) };
  }

  async updateNote(crmId: string, note: NoteForCrm): Promise<void> {
    await this.rest.call('crm.timeline.comment.update', {
      id: crmId, ownerTypeId: ownerTypeId[note.record.recordType], ownerId: note.record.crmId, fields: { COMMENT: commentText(note) },
    });
  }

  /** A to-do on the record (crm.activity.todo.add), written once per key like notes. */
  async createTask(task: TaskForCrm): Promise<{ crmId: string }> {
    const ref = reference(task.key);
    const owner = { ownerTypeId: ownerTypeId[task.record.recordType], ownerId: task.record.crmId };
    const existing = (await this.all<B24Record>('crm.activity.list', {
      filter: { OWNER_TYPE_ID: owner.ownerTypeId, OWNER_ID: task.record.crmId, PROVIDER_ID: 'CRM_TODO' }, select: ['ID', 'DESCRIPTION'], order: { ID: 'DESC' },
    })).find((activity) => String(activity.DESCRIPTION ?? '').includes(ref));
    if (existing) return { crmId: String(existing.ID) };
    const answer = await this.rest.call<{ id: number }>('crm.activity.todo.add', {
      ...owner,
      title: task.title,
      description: `${task.description}\n${ref}`,
      deadline: deadlineOf(task.dueDate, this.now()),
      ...(task.assigneeCrmId ? { responsibleId: task.assigneeCrmId } : {}),
    });
    return { crmId: String(answer.result.id) };
  }

  async setDealOwner(crmId: string, ownerCrmId: string): Promise<void> {
    await this.rest.call('crm.deal.update', { id: crmId, fields: { ASSIGNED_BY_ID: ownerCrmId } });
  }

  /** Every page of a list method, by its `next` (lists that are short: users, stages, one record's comments). */
  private async all<T>(method: string, params: Record<string, unknown>): Promise<T[]> {
    const rows: T[] = [];
    for (let start = 0; ; ) {
      const answer = await this.rest.call<T[]>(method, { ...params, start });
      rows.push(...answer.result);
      if (typeof answer.next !== 'number' || answer.next <= start) return rows;
      start = answer.next;
    }
  }
}

export const bitrix24: ConnectorFactory = {
  crm: 'bitrix24',
  // An inbound webhook (a key with no lifetime), or an OAuth app's token whose refresh token rotates (oauth.ts).
  apis: ['webhook', 'oauth'],
  needs: (api) => (api === 'oauth' ? { clientId: true, username: false } : { clientId: false, username: true }),
  flagValues: { username: 'webhook user id', clientId: 'app client_id' },
  create(credential: ConnectionCredential, http: ConnectorHttp, options: ConnectorOptions): CrmConnector {
    if (credential.api !== 'webhook' && credential.api !== 'oauth') throw new ConnectorError('rejected', `Bitrix24 is connected through an inbound webhook (--api webhook) or an OAuth app (--api oauth), not ${credential.api}.`);
    return new Bitrix24Connector(new B24Rest(credential, http, options), credential.origin, options);
  },
};
