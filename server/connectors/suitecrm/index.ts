import { ConnectorError } from '../errors';
import type { ConnectorHttp } from '../http';
import { nextPosition, startPosition, type KeysetPosition } from '../keyset';
import { noteBody, noteSubject, uuidFromKey } from '../note-text';
import type { ConnectionCredential, ConnectorFactory, ConnectorOptions, CrmConnector, CrmDeal, DealPage, ListPosition, NoteForCrm } from '../types';
import { moduleOf, type SuiteApi } from './api';
import { SuiteLegacy } from './legacy';
import { dealFromOpportunity, defaultSalesStages, opportunityFields, pipelineFromStages, userFields, userFromRecord, type SuiteRecord } from './mapping';
import { SuiteV8 } from './v8';

const dealsPass = 'deals';

function noteFields(note: NoteForCrm): Record<string, string> {
  return {
    name: noteSubject(note),
    description: noteBody(note),
    parent_type: moduleOf[note.record.recordType],
    parent_id: note.record.crmId,
    ...(note.author.crmUserId ? { assigned_user_id: note.author.crmUserId } : {}),
  };
}
const idsPass = 'ids';

/** SuiteCRM 7.10+ and 8 over either API; everything API-specific is behind SuiteApi (v8.ts, legacy.ts). */
class SuiteConnector implements CrmConnector {
  readonly abilities;
  private currencies: Map<string, string> | null = null;
  private readonly pageSize: number;
  private readonly fields: string[];

  constructor(
    private readonly api: SuiteApi,
    private readonly origin: string,
    private readonly options: ConnectorOptions,
  ) {
    // V8 cannot list deleted records (see v8.ts); v4_1 can, with get_entry_list's `deleted` argument.
    this.abilities = { deletions: api.name === 'legacy' ? 'flags' : 'reconcile', tasks: true, ownerChange: true } as const;
    this.pageSize = options.pageSize ?? 200;
    this.fields = [...new Set([...opportunityFields, ...options.ruleFields])];
  }

  async checkCredential(): Promise<{ account: string }> {
    const account = await this.api.whoAmI();
    // Reading one deal and one user proves the rights a sync needs; a missing right says so now, not at 3 a.m.
    await this.api.list({ module: moduleOf.deal, fields: ['name'], keyset: startPosition(null), withDeleted: false, size: 1 });
    await this.api.list({ module: 'Users', fields: ['user_name'], keyset: { phase: 'ids', afterId: null }, withDeleted: false, size: 1 });
    return { account };
  }

  async listChangedDeals(since: string | null, position: ListPosition | null): Promise<DealPage> {
    const stored = position?.keyset;
    const keyset: KeysetPosition = stored && stored.phase !== 'ids' ? stored : startPosition(since);
    const records = await this.api.list({
      module: moduleOf.deal,
      fields: this.fields,
      keyset,
      // An incremental sync on v4_1 reads deleted records too (their date_modified is when they were deleted).
      withDeleted: this.api.name === 'legacy' && since !== null,
      size: this.pageSize,
    });
    const deals = await this.toDeals(records);
    const next = nextPosition(keyset, deals, records.length >= this.pageSize, (d) => d.modifiedAt, (d) => d.crmId);
    return { deals, next: next && { pass: dealsPass, keyset: next } };
  }

  async readDeal(crmId: string): Promise<CrmDeal | null> {
    const record = await this.api.get(moduleOf.deal, crmId, this.fields);
    return record ? (await this.toDeals([record]))[0] ?? null : null;
  }

  async listDealIds(position: ListPosition | null): Promise<{ ids: string[]; next: ListPosition | null }> {
    const afterId = position?.keyset.phase === 'ids' ? position.keyset.afterId : null;
    const size = this.pageSize * 5;
    const records = await this.api.list({ module: moduleOf.deal, fields: ['name'], keyset: { phase: 'ids', afterId }, withDeleted: false, size });
    const last = records.at(-1);
    const next = records.length >= size && last ? { pass: idsPass, keyset: { phase: 'ids' as const, afterId: last.id } } : null;
    return { ids: records.map((record) => record.id), next };
  }

  async listUsers() {
    const users = [];
    let afterId: string | null = null;
    for (;;) {
      const page = await this.api.list({ module: 'Users', fields: userFields, keyset: { phase: 'ids', afterId }, withDeleted: false, size: 200 });
      users.push(...page.map(userFromRecord));
      if (page.length < 200) return users;
      afterId = page.at(-1)?.id ?? null;
    }
  }

  async listPipelines() {
    return [pipelineFromStages((await this.api.salesStages()) ?? defaultSalesStages)];
  }

  countDeals() {
    return this.api.count(moduleOf.deal);
  }

  /** A SuiteCRM Note under the record (parent_type/parent_id), with an id derived from the note: created once. */
  async createNote(note: NoteForCrm) {
    const id = uuidFromKey(note.key);
    await this.api.create('Notes', id, noteFields(note));
    return { crmId: id };
  }

  async updateNote(crmId: string, note: NoteForCrm) {
    await this.api.update('Notes', crmId, noteFields(note));
  }

  async createTask(task: Parameters<CrmConnector['createTask']>[0]) {
    const id = uuidFromKey(task.key);
    await this.api.create('Tasks', id, {
      name: task.title.slice(0, 50),
      description: task.description,
      status: 'Not Started',
      priority: 'Medium',
      parent_type: moduleOf[task.record.recordType],
      parent_id: task.record.crmId,
      // Noon UTC keeps the due day the same in every time zone a team is likely to sit in.
      ...(task.dueDate ? { date_due: `${task.dueDate} 12:00:00`, date_due_flag: '0' } : {}),
      ...(task.assigneeCrmId ? { assigned_user_id: task.assigneeCrmId } : {}),
    });
    return { crmId: id };
  }

  async setDealOwner(crmId: string, ownerCrmId: string) {
    await this.api.update(moduleOf.deal, crmId, { assigned_user_id: ownerCrmId });
  }

  private async toDeals(records: SuiteRecord[]): Promise<CrmDeal[]> {
    this.currencies ??= await this.api.currencies();
    const context = { origin: this.origin, currencies: this.currencies, ruleFields: this.options.ruleFields };
    return records.map((record) => dealFromOpportunity(record, context));
  }
}

export const suitecrm: ConnectorFactory = {
  crm: 'suitecrm',
  apis: ['v8', 'legacy'],
  needs: (api) => (api === 'legacy' ? { clientId: false, username: true } : { clientId: true, username: false }),
  hookCaller: 'a SuiteCRM workflow or after_save logic hook',
  create(credential: ConnectionCredential, http: ConnectorHttp, options: ConnectorOptions): CrmConnector {
    if (credential.api !== 'v8' && credential.api !== 'legacy') throw new ConnectorError('rejected', `SuiteCRM has the APIs v8 and legacy, not ${credential.api}.`);
    const api = credential.api === 'v8' ? new SuiteV8(credential, http) : new SuiteLegacy(credential, http);
    return new SuiteConnector(api, credential.origin, options);
  },
};
