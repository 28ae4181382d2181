import type { RecordType } from '../../../core/schema';
import { ConnectorError } from '../errors';
import type { ConnectorHttp } from '../http';
import { noteBody, noteSubject, referenceOf, textAsHtml } from '../note-text';
import type { ConnectionCredential, ConnectorFactory, ConnectorOptions, CrmConnector, CrmDeal, CrmUser, DealPage, ListPosition, NoteForCrm, TaskForCrm } from '../types';
import { PipedriveApi } from './api';
import { dealFromJson, pipelineFromJson, userFromJson, type PipedriveDealJson, type PipedrivePipelineJson, type PipedriveStageJson, type PipedriveUserJson } from './mapping';

// Pipedrive through a user's API token. Deals are read through API v2's GET /api/v2/deals, the listing Pipedrive
// documents for incremental reads: `updated_since` (update_time ≥ T), `sort_by=update_time`, and `cursor`, "the
// marker representing the first item on the next page" — a position in the sorted list, not an offset, so a deal
// changed during the walk moves behind it and is read again rather than shifting a page and being skipped. API v1's
// GET /api/v1/deals has no time filter (only offset paging over a saved filter), so it cannot read changes alone.
// A listing after a first sync also asks for status=deleted: Pipedrive keeps deleted deals 30 days with that
// status, so deletions arrive as flags; purged ones are caught by reconciling ids. Notes are v1 notes on the deal
// (HTML content), tasks v2 activities of type "task"; Pipedrive takes no idempotency key, so each carries a
// reference line derived from its key and the record's notes (or activities) are searched for it first.

const maxPage = 500;
const dealsPass = 'deals';
const idsPass = 'ids';

/** The field of a note or activity that ties it to a record of each type. */
const linkOf: Record<RecordType, 'deal_id' | 'person_id' | 'org_id' | 'lead_id'> = { deal: 'deal_id', contact: 'person_id', account: 'org_id', lead: 'lead_id' };

/** A record id as Pipedrive takes it: a number, or a lead's UUID. */
function linkValue(recordType: RecordType, crmId: string): number | string {
  return recordType === 'lead' ? crmId : Number(crmId);
}

/** RFC 3339 in whole seconds, as updated_since takes it (rounded down: "≥ T" over a superset). */
function rfc3339(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}Z`;
}

function query(params: Record<string, string | number | undefined>): string {
  return new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string | number] => entry[1] !== undefined).map(([key, value]) => [key, String(value)])).toString();
}

class PipedriveConnector implements CrmConnector {
  readonly abilities = { deletions: 'flags', tasks: true, ownerChange: true } as const;
  private readonly pageSize: number;

  constructor(
    private readonly api: PipedriveApi,
    private readonly origin: string,
    private readonly options: ConnectorOptions,
  ) {
    this.pageSize = Math.min(maxPage, options.pageSize ?? maxPage);
  }

  async checkCredential(): Promise<{ account: string }> {
    const me = (await this.api.call<{ id: number; name?: string; company_name?: string; company_domain?: string }>('GET', '/api/v1/users/me'))!.data;
    const host = new URL(this.origin).hostname;
    const company = /^([^.]+)\.pipedrive\.com$/.exec(host)?.[1];
    if (company && me.company_domain && me.company_domain !== company) {
      throw new ConnectorError('bad_credential', `The API token belongs to the Pipedrive company ${me.company_domain}.pipedrive.com, not ${host}. Use a token of a user of ${host}, or connect https://${me.company_domain}.pipedrive.com.`);
    }
    // One deal and the user list prove the rights a sync needs now, not at the first sync.
    await this.api.call('GET', '/api/v2/deals?limit=1');
    await this.api.call('GET', '/api/v1/users');
    return { account: `${me.name ?? `user ${me.id}`}${me.company_name ? ` at ${me.company_name}` : ''}` };
  }

  async listChangedDeals(since: string | null, position: ListPosition | null): Promise<DealPage> {
    const cursor = position?.pass === dealsPass ? position.cursor : undefined;
    const answer = (await this.api.call<PipedriveDealJson[] | null>('GET', `/api/v2/deals?${query({
      ...(since === null ? {} : { updated_since: rfc3339(since), status: 'open,won,lost,deleted' }),
      sort_by: 'update_time', sort_direction: 'asc', limit: this.pageSize, cursor,
    })}`))!;
    const deals = (answer.data ?? []).map((deal) => dealFromJson(deal, { origin: this.origin, ruleFields: this.options.ruleFields }));
    const next = answer.additional_data?.next_cursor;
    return { deals, next: next ? { pass: dealsPass, keyset: { phase: 'range', from: since, inclusive: true }, cursor: next } : null };
  }

  async readDeal(crmId: string): Promise<CrmDeal | null> {
    if (!/^\d+$/.test(crmId)) return null;
    const answer = await this.api.call<PipedriveDealJson>('GET', `/api/v2/deals/${crmId}`, undefined, { missingIsNull: true });
    if (!answer?.data) return null;
    const deal = dealFromJson(answer.data, { origin: this.origin, ruleFields: this.options.ruleFields });
    return deal.deleted ? null : deal;
  }

  async listDealIds(position: ListPosition | null): Promise<{ ids: string[]; next: ListPosition | null }> {
    const cursor = position?.pass === idsPass ? position.cursor : undefined;
    const answer = (await this.api.call<{ id: number }[] | null>('GET', `/api/v2/deals?${query({ sort_by: 'id', sort_direction: 'asc', limit: maxPage, cursor })}`))!;
    const ids = (answer.data ?? []).map((deal) => String(deal.id));
    const next = answer.additional_data?.next_cursor;
    return { ids, next: next ? { pass: idsPass, keyset: { phase: 'ids', afterId: ids.at(-1) ?? null }, cursor: next } : null };
  }

  /** Every user, deactivated ones too: their deals still name them. */
  async listUsers(): Promise<CrmUser[]> {
    return ((await this.api.call<PipedriveUserJson[] | null>('GET', '/api/v1/users'))!.data ?? []).map(userFromJson);
  }

  async listPipelines() {
    const pipelines = await this.all<PipedrivePipelineJson>('/api/v2/pipelines');
    const stages = await this.all<PipedriveStageJson>('/api/v2/stages');
    return pipelines.filter((pipeline) => pipeline.is_deleted !== true).map((pipeline) => pipelineFromJson(pipeline, stages));
  }

  /** API v2 lists carry no total. */
  async countDeals(): Promise<number | null> {
    return null;
  }

  async createNote(note: NoteForCrm): Promise<{ crmId: string }> {
    const link = linkOf[note.record.recordType];
    const reference = referenceOf(note.key);
    for (let start = 0; ; ) {
      const page = (await this.api.call<{ id: number; content?: string }[] | null>('GET', `/api/v1/notes?${query({ [link]: note.record.crmId, start, limit: maxPage })}`))!;
      const found = (page.data ?? []).find((existing) => existing.content?.includes(reference));
      if (found) return { crmId: String(found.id) };
      const pagination = page.additional_data?.pagination;
      if (!pagination?.more_items_in_collection || pagination.next_start === undefined) break;
      start = pagination.next_start;
    }
    const made = (await this.api.call<{ id: number }>('POST', '/api/v1/notes', {
      content: this.noteHtml(note), [link]: linkValue(note.record.recordType, note.record.crmId), ...(note.author.crmUserId ? { user_id: Number(note.author.crmUserId) } : {}),
    }))!;
    return { crmId: String(made.data.id) };
  }

  async updateNote(crmId: string, note: NoteForCrm): Promise<void> {
    await this.api.call('PUT', `/api/v1/notes/${crmId}`, { content: this.noteHtml(note) });
  }

  async createTask(task: TaskForCrm): Promise<{ crmId: string }> {
    const link = linkOf[task.record.recordType];
    const reference = referenceOf(task.key);
    const existing = (await this.all<{ id: number; note?: string | null }>(`/api/v2/activities?${query({ [link]: task.record.crmId })}`)).find((activity) => activity.note?.includes(reference));
    if (existing) return { crmId: String(existing.id) };
    const made = (await this.api.call<{ id: number }>('POST', '/api/v2/activities', {
      subject: task.title,
      type: 'task',
      [link]: linkValue(task.record.recordType, task.record.crmId),
      note: textAsHtml(`${task.description}\n${reference}`),
      ...(task.dueDate ? { due_date: task.dueDate } : {}),
      ...(task.assigneeCrmId ? { owner_id: Number(task.assigneeCrmId) } : {}),
    }))!;
    return { crmId: String(made.data.id) };
  }

  async setDealOwner(crmId: string, ownerCrmId: string): Promise<void> {
    await this.api.call('PATCH', `/api/v2/deals/${crmId}`, { owner_id: Number(ownerCrmId) });
  }

  private noteHtml(note: NoteForCrm): string {
    return textAsHtml(`${noteSubject(note)}\n\n${noteBody(note)}\n${referenceOf(note.key)}`);
  }

  /** Every page of an API v2 list, by its next_cursor (short lists: pipelines, stages, one record's activities). */
  private async all<T>(path: string): Promise<T[]> {
    const rows: T[] = [];
    for (let cursor: string | undefined; ; ) {
      const answer = (await this.api.call<T[] | null>('GET', `${path}${path.includes('?') ? '&' : '?'}${query({ limit: maxPage, cursor })}`))!;
      rows.push(...(answer.data ?? []));
      cursor = answer.additional_data?.next_cursor ?? undefined;
      if (!cursor) return rows;
    }
  }
}

export const pipedrive: ConnectorFactory = {
  crm: 'pipedrive',
  apis: ['v2'],
  needs: () => ({ clientId: false, username: false }),
  create(credential: ConnectionCredential, http: ConnectorHttp, options: ConnectorOptions): CrmConnector {
    if (credential.api !== 'v2') throw new ConnectorError('rejected', `Pipedrive is connected through its API v2 (with v1 for notes and users), not ${credential.api}.`);
    return new PipedriveConnector(new PipedriveApi(credential.origin, credential.secret.trim(), http), credential.origin, options);
  },
};
