import type { RecordType } from '../../../core/schema';
import { ConnectorError } from '../errors';
import type { ConnectorHttp } from '../http';
import { nextPosition, startPosition, type KeysetPosition } from '../keyset';
import { noteBody, noteSubject, referenceOf } from '../note-text';
import type { ConnectionCredential, ConnectorFactory, ConnectorOptions, CrmConnector, CrmDeal, CrmUser, DealPage, ListPosition, NoteForCrm, TaskForCrm } from '../types';
import { ZohoApi } from './api';
import { dealFields, dealFromRecord, dealQuery, deletedDeal, pipelineFromRecord, userFromRecord, type ZohoRecord } from './mapping';

const dealsPass = 'deals';
const deletedPass = 'deleted';
const idsPass = 'ids';
/** COQL answers at most 2,000 records a call (COQL-Limitations). */
const maxLimit = 2000;
/** Users, notes and deleted records page by `page` and `per_page` up to 200 (Get Records, Get Deleted Records). */
const perPage = 200;

const moduleOf: Record<RecordType, string> = { deal: 'Deals', lead: 'Leads', contact: 'Contacts', account: 'Accounts' };

interface ListAnswer {
  data?: ZohoRecord[];
  users?: ZohoRecord[];
  info?: { more_records?: boolean };
}

interface WriteAnswer {
  data?: { code?: string; status?: string; message?: string; details?: { id?: string } }[];
}

function writtenId(answer: unknown, what: string): string {
  const first = (answer as WriteAnswer | null)?.data?.[0];
  if (first?.status === 'success' && first.details?.id) return String(first.details.id);
  throw new ConnectorError('rejected', `Zoho CRM did not write the ${what}: ${[first?.code, first?.message].filter(Boolean).join(': ') || 'no answer'}`);
}

class ZohoConnector implements CrmConnector {
  // The Deals/deleted list shows deals sent to the recycle bin and deleted for good (type=all), with their time.
  readonly abilities = { deletions: 'flags', tasks: true, ownerChange: true } as const;
  private readonly fields: string[];
  private readonly limit: number;
  private homeCurrency: string | null | undefined;

  constructor(
    private readonly api: ZohoApi,
    private readonly instance: string,
    private readonly options: ConnectorOptions,
  ) {
    this.fields = [...new Set([...dealFields, ...options.ruleFields])];
    this.limit = Math.min(options.pageSize ?? perPage, maxLimit);
  }

  async checkCredential(): Promise<{ account: string }> {
    const me = ((await this.api.call('GET', '/users?type=CurrentUser')) as ListAnswer | null)?.users?.[0];
    // One COQL call proves the coql and deals scopes now rather than at the first sync.
    await this.coql(dealQuery(['id'], { phase: 'ids', afterId: null }, 1));
    return { account: me ? `${String(me.full_name ?? me.id)}${me.email ? ` <${String(me.email)}>` : ''}` : 'Zoho CRM user' };
  }

  async listChangedDeals(since: string | null, position: ListPosition | null): Promise<DealPage> {
    if (position?.pass === deletedPass) return this.listDeleted(since!, position);
    const stored = position?.keyset;
    const keyset: KeysetPosition = stored && stored.phase !== 'ids' ? stored : startPosition(since);
    const records = await this.coql(dealQuery(this.fields, keyset, this.limit));
    const homeCurrency = await this.orgCurrency();
    const deals = records.map((record) => dealFromRecord(record, { instance: this.instance, ruleFields: this.options.ruleFields, homeCurrency }));
    const next = nextPosition(keyset, deals, records.length >= this.limit, (deal) => deal.modifiedAt, (deal) => deal.crmId, true);
    if (next) return { deals, next: { pass: dealsPass, keyset: next } };
    // Deletions since the listing began come after the changes (an incremental sync only; a full one sweeps).
    return { deals, next: since === null ? null : { pass: deletedPass, keyset: { phase: 'ids', afterId: null }, page: 1 } };
  }

  /**
   * GET /Deals/deleted by page, newest first; the pages are read until one reaches back past `since`. A deletion
   * made meanwhile pushes the list down (a deal read twice), never up, so nothing is skipped.
   */
  private async listDeleted(since: string, position: ListPosition): Promise<DealPage> {
    const page = position.page ?? 1;
    const answer = (await this.api.call('GET', `/Deals/deleted?type=all&page=${page}&per_page=${perPage}`)) as ListAnswer | null;
    const deals = (answer?.data ?? []).map((record) => deletedDeal(record, this.instance));
    const recent = deals.filter((deal) => deal.modifiedAt >= since);
    const more = answer?.info?.more_records === true && recent.length === deals.length;
    return { deals: recent, next: more ? { pass: deletedPass, keyset: { phase: 'ids', afterId: null }, page: page + 1 } : null };
  }

  async readDeal(crmId: string): Promise<CrmDeal | null> {
    const records = await this.coql(`select ${this.fields.join(', ')} from Deals where id = '${crmId.replace(/\D/g, '')}' limit 1`);
    if (records.length === 0) return null;
    return dealFromRecord(records[0]!, { instance: this.instance, ruleFields: this.options.ruleFields, homeCurrency: await this.orgCurrency() });
  }

  async listDealIds(position: ListPosition | null): Promise<{ ids: string[]; next: ListPosition | null }> {
    const afterId = position?.keyset.phase === 'ids' ? position.keyset.afterId : null;
    const ids = (await this.coql(dealQuery(['id'], { phase: 'ids', afterId }, maxLimit))).map((record) => String(record.id));
    const last = ids.at(-1);
    return { ids, next: ids.length >= maxLimit && last ? { pass: idsPass, keyset: { phase: 'ids', afterId: last } } : null };
  }

  async listUsers(): Promise<CrmUser[]> {
    // AllUsers: deactivated users too, since their deals still name them as owners.
    return (await this.pages<ZohoRecord>('/users?type=AllUsers', 'users')).map(userFromRecord);
  }

  async listPipelines() {
    const layouts = ((await this.api.call('GET', '/settings/layouts?module=Deals')) as { layouts?: ZohoRecord[] } | null)?.layouts ?? [];
    const pipelines = new Map<string, ReturnType<typeof pipelineFromRecord>>();
    for (const layout of layouts) {
      const answer = (await this.api.call('GET', `/settings/pipeline?layout_id=${encodeURIComponent(String(layout.id))}`)) as { pipeline?: ZohoRecord[] } | null;
      for (const record of answer?.pipeline ?? []) pipelines.set(String(record.id), pipelineFromRecord(record));
    }
    return [...pipelines.values()];
  }

  async countDeals(): Promise<number | null> {
    const [row] = await this.coql('select COUNT(id) from Deals where id is not null');
    const count = row ? Number(Object.values(row)[0]) : NaN;
    return Number.isFinite(count) ? count : null;
  }

  /**
   * A note on the record, written once per key: Zoho has no idempotency key, so the note carries a reference and the
   * record's notes are searched for it before writing (a write whose answer was lost finds what it made).
   */
  async createNote(note: NoteForCrm): Promise<{ crmId: string }> {
    const ref = referenceOf(note.key);
    const module = moduleOf[note.record.recordType];
    const existing = await this.writtenBefore(`/${module}/${note.record.crmId}/Notes`, 'Note_Content', ref);
    if (existing) return { crmId: existing };
    const answer = await this.api.call('POST', '/Notes', {
      data: [{
        Note_Title: noteSubject(note), Note_Content: `${noteBody(note)}\n${ref}`, Parent_Id: { module: { api_name: module }, id: note.record.crmId },
        ...(note.author.crmUserId ? { Owner: { id: note.author.crmUserId } } : {}),
      }],
    });
    return { crmId: writtenId(answer, 'note') };
  }

  async updateNote(crmId: string, note: NoteForCrm): Promise<void> {
    writtenId(await this.api.call('PUT', `/Notes/${crmId}`, { data: [{ Note_Title: noteSubject(note), Note_Content: `${noteBody(note)}\n${referenceOf(note.key)}` }] }), 'note');
  }

  async createTask(task: TaskForCrm): Promise<{ crmId: string }> {
    const ref = referenceOf(task.key);
    const module = moduleOf[task.record.recordType];
    const existing = await this.writtenBefore(`/${module}/${task.record.crmId}/Tasks`, 'Description', ref);
    if (existing) return { crmId: existing };
    const answer = await this.api.call('POST', '/Tasks', {
      data: [{
        Subject: task.title, Description: `${task.description}\n${ref}`, What_Id: { id: task.record.crmId }, $se_module: module,
        ...(task.dueDate ? { Due_Date: task.dueDate } : {}), ...(task.assigneeCrmId ? { Owner: { id: task.assigneeCrmId } } : {}),
      }],
    });
    return { crmId: writtenId(answer, 'task') };
  }

  async setDealOwner(crmId: string, ownerCrmId: string): Promise<void> {
    writtenId(await this.api.call('PUT', `/Deals/${crmId}`, { data: [{ Owner: { id: ownerCrmId } }] }), 'new owner');
  }

  /** The id of the record of a related list (a deal's notes or tasks) whose `field` carries `ref`, if one does. */
  private async writtenBefore(list: string, field: string, ref: string): Promise<string | null> {
    const found = (await this.pages<ZohoRecord>(`${list}?fields=${field}`, 'data')).find((record) => String(record[field] ?? '').includes(ref));
    return found ? String(found.id) : null;
  }

  private async coql(query: string): Promise<ZohoRecord[]> {
    return ((await this.api.call('POST', '/coql', { select_query: query })) as ListAnswer | null)?.data ?? [];
  }

  /** The org's home currency (GET /org, iso_code), for orgs whose deals carry no Currency field. */
  private async orgCurrency(): Promise<string | null> {
    if (this.homeCurrency === undefined) {
      const org = ((await this.api.call('GET', '/org')) as { org?: ZohoRecord[] } | null)?.org?.[0];
      this.homeCurrency = typeof org?.iso_code === 'string' ? org.iso_code : null;
    }
    return this.homeCurrency;
  }

  /** Every page of a list answered by `page` / `per_page` and info.more_records. */
  private async pages<T>(path: string, key: 'data' | 'users'): Promise<T[]> {
    const rows: T[] = [];
    for (let page = 1; ; page++) {
      const answer = (await this.api.call('GET', `${path}${path.includes('?') ? '&' : '?'}page=${page}&per_page=${perPage}`)) as ListAnswer | null;
      rows.push(...((answer?.[key] ?? []) as T[]));
      if (answer?.info?.more_records !== true) return rows;
    }
  }
}

export const zoho: ConnectorFactory = {
  crm: 'zoho',
  apis: ['v8'],
  needs: () => ({ clientId: true, username: false }),
  flagValues: { clientId: 'API client id' },
  create(credential: ConnectionCredential, http: ConnectorHttp, options: ConnectorOptions): CrmConnector {
    return new ZohoConnector(new ZohoApi(credential, http, options.authServer), credential.origin, options);
  },
};
