import { ConnectorError } from '../errors';
import type { ConnectorHttp } from '../http';
import { nextPosition, startPosition, type KeysetPosition } from '../keyset';
import { noteBody, noteSubject, uuidFromKey } from '../note-text';
import type { ConnectionCredential, ConnectorFactory, ConnectorOptions, CrmConnector, CrmDeal, CrmUser, DealPage, ListPosition, NoteForCrm, TaskForCrm } from '../types';
import { EspoApi, type EspoList, type WhereItem } from './api';
import { dealFromOpportunity, isoToEspoTime, opportunityFields, pipelineFromStageField, scopeOf, userFromRecord, type EspoRecord } from './mapping';

// EspoCRM over its REST API with an API user's key. Opportunities are Headway's deals; a note is a stream post on
// the record (a Note of type Post), a next step a Task, an approved move the record's assignedUserId.
// - Listing: `where` on modifiedAt, orderBy modifiedAt; EspoCRM adds id to every order that is not unique
//   (Core/Select/Order/Applier.php), so a page of one second goes on by id at once (keyset.ts, tiesById).
// - Deletions: EspoCRM deletes softly but its API lists and reads only live records, and admins empty the deleted
//   ones for good; nothing in the REST API lists what was deleted, so deletions are seen by reconciling ids.
// - Exactly once: EspoCRM drops a client's `id` on create (Core/Record/Service.php filterInputSystemAttributes), so
//   each post and task ends with a reference line derived from its key, looked for on the record before writing.

/** recordListMaxSizeLimit's default (Resources/defaults/config.php); a larger maxSize is refused with 403. */
const maxPage = 200;

function reference(key: string): string {
  return `Headway ref ${uuidFromKey(key)}`;
}

function postText(note: NoteForCrm): string {
  return `**${noteSubject(note)}**\n\n${noteBody(note)}\n${reference(note.key)}`;
}

/** The modifiedAt where-items of a keyset position (datetimes as EspoCRM stores them, "Y-m-d H:i:s" UTC). */
function whereOf(keyset: KeysetPosition): { where: WhereItem[]; orderBy: string } {
  if (keyset.phase === 'tie') {
    const at = isoToEspoTime(keyset.at);
    return {
      where: [{ type: 'equals', attribute: 'modifiedAt', value: at }, ...(keyset.afterId === null ? [] : [{ type: 'greaterThan' as const, attribute: 'id', value: keyset.afterId }])],
      orderBy: 'id',
    };
  }
  if (keyset.from === null) return { where: [], orderBy: 'modifiedAt' };
  return { where: [{ type: keyset.inclusive ? 'greaterThanOrEquals' : 'greaterThan', attribute: 'modifiedAt', value: isoToEspoTime(keyset.from) }], orderBy: 'modifiedAt' };
}

class EspoConnector implements CrmConnector {
  readonly abilities = { deletions: 'reconcile', tasks: true, ownerChange: true } as const;
  private readonly select: string[];
  private readonly pageSize: number;

  constructor(
    private readonly api: EspoApi,
    private readonly origin: string,
    private readonly options: ConnectorOptions,
  ) {
    this.select = [...new Set([...opportunityFields, ...options.ruleFields])];
    this.pageSize = Math.min(maxPage, options.pageSize ?? maxPage);
  }

  async checkCredential(): Promise<{ account: string }> {
    const app = await this.api.call<{ user?: EspoRecord }>('GET', 'App/user');
    const user = app?.user;
    if (!user?.id) throw new ConnectorError('bad_response', 'EspoCRM answered GET /api/v1/App/user without the user.');
    // One opportunity and one user prove the rights a sync needs now, not at the first sync.
    await this.api.list('Opportunity', { select: ['id'], maxSize: 1 });
    await this.api.list('User', { select: ['id'], maxSize: 1 });
    return { account: `${String(user.name ?? user.userName ?? user.id)} (user ${String(user.id)})` };
  }

  async listChangedDeals(since: string | null, position: ListPosition | null): Promise<DealPage> {
    const stored = position?.keyset;
    const keyset: KeysetPosition = stored && stored.phase !== 'ids' ? stored : startPosition(since);
    const { where, orderBy } = whereOf(keyset);
    const page = await this.api.list<EspoRecord>('Opportunity', { select: this.select, where, orderBy, order: 'asc', maxSize: this.pageSize });
    const deals = page.list.map((record) => dealFromOpportunity(record, { origin: this.origin, ruleFields: this.options.ruleFields }));
    const next = nextPosition(keyset, deals, page.list.length >= this.pageSize, (deal) => deal.modifiedAt, (deal) => deal.crmId, true);
    return { deals, next: next && { pass: 'deals', keyset: next } };
  }

  async readDeal(crmId: string): Promise<CrmDeal | null> {
    const record = await this.api.call<EspoRecord>('GET', `Opportunity/${encodeURIComponent(crmId)}`, undefined, true);
    return record ? dealFromOpportunity(record, { origin: this.origin, ruleFields: this.options.ruleFields }) : null;
  }

  async listDealIds(position: ListPosition | null): Promise<{ ids: string[]; next: ListPosition | null }> {
    const afterId = position?.keyset.phase === 'ids' ? position.keyset.afterId : null;
    const where: WhereItem[] = afterId === null ? [] : [{ type: 'greaterThan', attribute: 'id', value: afterId }];
    const page = await this.api.list<EspoRecord>('Opportunity', { select: ['id'], where, orderBy: 'id', order: 'asc', maxSize: maxPage });
    const ids = page.list.map((record) => String(record.id));
    const last = ids.at(-1);
    return { ids, next: ids.length >= maxPage && last ? { pass: 'ids', keyset: { phase: 'ids', afterId: last } } : null };
  }

  async listUsers(): Promise<CrmUser[]> {
    // Inactive users too: their opportunities still name them.
    const users = await this.all<EspoRecord>('User', { select: ['id', 'name', 'userName', 'emailAddress', 'isActive'], orderBy: 'id' });
    return users.map(userFromRecord);
  }

  async listPipelines() {
    const field = await this.api.call<{ options?: unknown; probabilityMap?: unknown }>('GET', 'Metadata?key=entityDefs.Opportunity.fields.stage');
    return [pipelineFromStageField(field)];
  }

  async countDeals(): Promise<number | null> {
    const page = await this.api.list('Opportunity', { select: ['id'], maxSize: 1 });
    return typeof page.total === 'number' && page.total >= 0 ? page.total : null;
  }

  /** A stream post on the record, once per note key: the record's posts are searched for its reference first. */
  async createNote(note: NoteForCrm): Promise<{ crmId: string }> {
    const scope = scopeOf[note.record.recordType];
    const ref = reference(note.key);
    const existing = (await this.all<EspoRecord>(`${scope}/${encodeURIComponent(note.record.crmId)}/posts`, {})).find((post) => String(post.post ?? '').includes(ref));
    if (existing) return { crmId: String(existing.id) };
    const made = await this.api.call<EspoRecord>('POST', 'Note', { type: 'Post', parentType: scope, parentId: note.record.crmId, post: postText(note) });
    return { crmId: this.madeId(made, 'post') };
  }

  async updateNote(crmId: string, note: NoteForCrm): Promise<void> {
    await this.api.call('PUT', `Note/${encodeURIComponent(crmId)}`, { post: postText(note) });
  }

  async createTask(task: TaskForCrm): Promise<{ crmId: string }> {
    const scope = scopeOf[task.record.recordType];
    const ref = reference(task.key);
    const existing = (await this.all<EspoRecord>(`${scope}/${encodeURIComponent(task.record.crmId)}/tasks`, { select: ['id', 'description'] })).find((found) => String(found.description ?? '').includes(ref));
    if (existing) return { crmId: String(existing.id) };
    const made = await this.api.call<EspoRecord>('POST', 'Task', {
      name: task.title,
      status: 'Not Started',
      parentType: scope,
      parentId: task.record.crmId,
      // A date-only due date (Task.dateEnd is "datetimeOptional"): the day stays the day in every time zone.
      ...(task.dueDate ? { dateEndDate: task.dueDate } : {}),
      description: `${task.description}\n${ref}`,
      ...(task.assigneeCrmId ? { assignedUserId: task.assigneeCrmId } : {}),
    });
    return { crmId: this.madeId(made, 'task') };
  }

  async setDealOwner(crmId: string, ownerCrmId: string): Promise<void> {
    await this.api.call('PUT', `Opportunity/${encodeURIComponent(crmId)}`, { assignedUserId: ownerCrmId });
  }

  /** Every page of a short list (users, one record's posts or tasks) by offset. */
  private async all<T>(path: string, params: { select?: string[]; orderBy?: string }): Promise<T[]> {
    const rows: T[] = [];
    for (let offset = 0; ; offset += maxPage) {
      const page: EspoList<T> = await this.api.list<T>(path, { ...params, ...(params.orderBy ? { order: 'asc' } : {}), offset, maxSize: maxPage });
      rows.push(...page.list);
      if (page.list.length < maxPage) return rows;
    }
  }

  private madeId(made: EspoRecord | null, what: string): string {
    if (typeof made?.id !== 'string' || made.id === '') throw new ConnectorError('bad_response', `EspoCRM answered the new ${what} without its id.`);
    return made.id;
  }
}

export const espocrm: ConnectorFactory = {
  crm: 'espocrm',
  apis: ['apikey'],
  needs: () => ({ clientId: false, username: false }),
  create(credential: ConnectionCredential, http: ConnectorHttp, options: ConnectorOptions): CrmConnector {
    if (credential.api !== 'apikey') throw new ConnectorError('rejected', `EspoCRM is connected with an API user's key (--api apikey), not ${credential.api}.`);
    return new EspoConnector(new EspoApi(credential.origin, credential.secret, http), credential.origin, options);
  },
};
