import { ConnectorError } from '../errors';
import type { ConnectorHttp } from '../http';
import { nextPosition, startPosition, wholeSecond, type KeysetPosition } from '../keyset';
import { noteBody, noteSubject, uuidFromKey } from '../note-text';
import type { ConnectionCredential, ConnectorFactory, ConnectorOptions, CrmConnector, CrmDeal, DealPage, ListPosition, NoteForCrm, TaskForCrm } from '../types';
import { DataverseApi } from './api';
import { dealFromOpportunity, entityOf, isGuid, opportunityFields, pipelineFromStatusReasons, userFromJson, type DvOpportunityJson, type DvStatusOption, type DvUserJson } from './mapping';

// Dynamics 365 Sales over the Dataverse Web API. Opportunities are Headway's deals, read in modifiedon order by
// keyset pages ($filter on modifiedon and opportunityid, one page of `Prefer: odata.maxpagesize` each, so a page
// cut short resumes from what was committed); users through @odata.nextLink paging. Won/lost by each status
// reason's state (statecode 1 won, 2 lost). The Web API shows no deleted records (change tracking would, where an
// admin switched it on), so deletions are seen by reconciling ids. Notes are annotations on the record, next steps
// tasks regarding it, an approved move its ownerid. Dataverse lets a client choose a record's id: every note and
// task Headway writes gets an id derived from its key and is created with If-None-Match: *, so a replay creates
// nothing.

const idsPage = 5000;
const formattedValues = 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"';

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

function checkedId(id: string): string {
  if (!isGuid(id)) throw new ConnectorError('rejected', `"${id}" is not a Dynamics 365 record id.`);
  return id.toLowerCase();
}

/** An OData query string; spaces as %20 (not "+"), `$` names as they are. */
function odataQuery(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
}

function noteFields(note: NoteForCrm) {
  return { subject: noteSubject(note).slice(0, 500), notetext: noteBody(note) };
}

class DynamicsConnector implements CrmConnector {
  readonly abilities = { deletions: 'reconcile', tasks: true, ownerChange: true } as const;
  private currencies: Map<string, string> | null = null;
  private readonly pageSize: number;
  private readonly select: string;

  constructor(
    private readonly api: DataverseApi,
    private readonly origin: string,
    private readonly options: ConnectorOptions,
  ) {
    this.pageSize = Math.min(5000, options.pageSize ?? 500);
    this.select = [...new Set([...opportunityFields, ...options.ruleFields])].join(',');
  }

  async checkCredential(): Promise<{ account: string }> {
    const who = (await this.api.call('GET', '/WhoAmI')) as { UserId?: string; OrganizationId?: string };
    // One opportunity and one user prove the rights a sync needs now, not at the first sync.
    await this.api.call('GET', '/opportunities?$select=opportunityid&$top=1');
    const me = who.UserId && isGuid(who.UserId) ? ((await this.api.call('GET', `/systemusers(${who.UserId.toLowerCase()})?$select=fullname`)) as { fullname?: string }) : {};
    return { account: `${me.fullname ?? 'the application user'}${who.UserId ? ` (user ${who.UserId.toLowerCase()})` : ''}` };
  }

  async listChangedDeals(since: string | null, position: ListPosition | null): Promise<DealPage> {
    const stored = position?.keyset;
    const keyset: KeysetPosition = stored && stored.phase !== 'ids' ? stored : startPosition(since);
    const query =
      keyset.phase === 'tie'
        ? { $filter: `modifiedon eq ${wholeSecond(keyset.at)}${keyset.afterId === null ? '' : ` and opportunityid gt ${checkedId(keyset.afterId)}`}`, $orderby: 'opportunityid asc' }
        : { ...(keyset.from === null ? {} : { $filter: `modifiedon ${keyset.inclusive ? 'ge' : 'gt'} ${wholeSecond(keyset.from)}` }), $orderby: 'modifiedon asc,opportunityid asc' };
    const { rows, more } = await this.firstPage<DvOpportunityJson>(`/opportunities?${odataQuery({ $select: this.select, ...query })}`, this.pageSize);
    const deals = await this.toDeals(rows);
    const next = nextPosition(keyset, deals, more, (deal) => deal.modifiedAt, (deal) => deal.crmId);
    return { deals, next: next && { pass: 'deals', keyset: next } };
  }

  async readDeal(crmId: string): Promise<CrmDeal | null> {
    if (!isGuid(crmId)) return null;
    try {
      const record = (await this.api.call('GET', `/opportunities(${checkedId(crmId)})?$select=${this.select}`, { headers: { Prefer: formattedValues } })) as DvOpportunityJson;
      return (await this.toDeals([record]))[0]!;
    } catch (error) {
      if (error instanceof ConnectorError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  async listDealIds(position: ListPosition | null): Promise<{ ids: string[]; next: ListPosition | null }> {
    const afterId = position?.keyset.phase === 'ids' ? position.keyset.afterId : null;
    const query = { $select: 'opportunityid', $orderby: 'opportunityid asc', ...(afterId === null ? {} : { $filter: `opportunityid gt ${checkedId(afterId)}` }) };
    const { rows, more } = await this.firstPage<{ opportunityid: string }>(`/opportunities?${odataQuery(query)}`, idsPage);
    const ids = rows.map((row) => row.opportunityid.toLowerCase());
    const last = ids.at(-1);
    return { ids, next: more && last ? { pass: 'ids', keyset: { phase: 'ids', afterId: last } } : null };
  }

  async listUsers() {
    const users = [];
    let path: string | undefined = '/systemusers?$select=systemuserid,fullname,internalemailaddress,isdisabled';
    while (path) {
      const page = (await this.api.call('GET', path, { headers: { Prefer: 'odata.maxpagesize=5000' } })) as Page<DvUserJson>;
      users.push(...(page.value ?? []).map(userFromJson));
      path = page['@odata.nextLink'];
    }
    return users;
  }

  async listPipelines() {
    const body = (await this.api.call('GET', "/EntityDefinitions(LogicalName='opportunity')/Attributes(LogicalName='statuscode')/Microsoft.Dynamics.CRM.StatusAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)")) as {
      OptionSet?: { Options?: DvStatusOption[] };
    };
    return [pipelineFromStatusReasons(body.OptionSet?.Options ?? [])];
  }

  /** $count stops at 5,000 and RetrieveTotalRecordCount is a daily snapshot: no cheap, true count to show. */
  async countDeals() {
    return null;
  }

  async createNote(note: NoteForCrm) {
    const id = uuidFromKey(note.key);
    const entity = entityOf[note.record.recordType];
    await this.api.createOnce(`/annotations(${id})`, {
      ...noteFields(note),
      [`objectid_${entity.logical}@odata.bind`]: `/${entity.set}(${checkedId(note.record.crmId)})`,
      ...(note.author.crmUserId && isGuid(note.author.crmUserId) ? { 'ownerid@odata.bind': `/systemusers(${note.author.crmUserId})` } : {}),
    });
    return { crmId: id };
  }

  async updateNote(crmId: string, note: NoteForCrm) {
    await this.api.call('PATCH', `/annotations(${checkedId(crmId)})`, { body: noteFields(note), headers: { 'If-Match': '*' } });
  }

  async createTask(task: TaskForCrm) {
    const id = uuidFromKey(task.key);
    const entity = entityOf[task.record.recordType];
    await this.api.createOnce(`/tasks(${id})`, {
      subject: task.title.slice(0, 200),
      description: task.description,
      // Noon UTC of the due day keeps the day the same in every time zone a team is likely to sit in.
      ...(task.dueDate ? { scheduledend: `${task.dueDate}T12:00:00Z` } : {}),
      [`regardingobjectid_${entity.logical}_task@odata.bind`]: `/${entity.set}(${checkedId(task.record.crmId)})`,
      ...(task.assigneeCrmId && isGuid(task.assigneeCrmId) ? { 'ownerid@odata.bind': `/systemusers(${task.assigneeCrmId})` } : {}),
    });
    return { crmId: id };
  }

  async setDealOwner(crmId: string, ownerCrmId: string) {
    await this.api.call('PATCH', `/opportunities(${checkedId(crmId)})`, { body: { 'ownerid@odata.bind': `/systemusers(${checkedId(ownerCrmId)})` }, headers: { 'If-Match': '*' } });
  }

  /**
   * The first page of a query (the keyset asks again from where it ended, rather than keep a nextLink that cannot
   * outlive a crash), and whether more rows follow: a nextLink says so even when Dataverse gave fewer than asked.
   */
  private async firstPage<T>(path: string, size: number): Promise<{ rows: T[]; more: boolean }> {
    const page = (await this.api.call('GET', path, { headers: { Prefer: `odata.maxpagesize=${size},${formattedValues}` } })) as Page<T>;
    const rows = page.value ?? [];
    return { rows, more: Boolean(page['@odata.nextLink']) || rows.length >= size };
  }

  private async toDeals(records: DvOpportunityJson[]): Promise<CrmDeal[]> {
    if (!this.currencies) {
      const page = (await this.api.call('GET', '/transactioncurrencies?$select=transactioncurrencyid,isocurrencycode')) as Page<{ transactioncurrencyid: string; isocurrencycode: string }>;
      this.currencies = new Map((page.value ?? []).map((row) => [row.transactioncurrencyid.toLowerCase(), row.isocurrencycode.toUpperCase()]));
    }
    const context = { origin: this.origin, currencies: this.currencies, ruleFields: this.options.ruleFields };
    return records.map((record) => dealFromOpportunity(record, context));
  }
}

export const dynamics365: ConnectorFactory = {
  crm: 'dynamics365',
  apis: ['webapi'],
  needs: () => ({ clientId: true, username: false }),
  create(credential: ConnectionCredential, http: ConnectorHttp, options: ConnectorOptions): CrmConnector {
    if (credential.api !== 'webapi') throw new ConnectorError('rejected', `Dynamics 365 has the Web API, not ${credential.api}.`);
    return new DynamicsConnector(new DataverseApi(credential, http), credential.origin, options);
  },
};
