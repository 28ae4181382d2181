import { ConnectorError } from '../errors';
import type { ConnectorHttp } from '../http';
import { nextPosition, startPosition, type KeysetPosition } from '../keyset';
import { noteBody, noteSubject, uuidFromKey } from '../note-text';
import type { ConnectionCredential, ConnectorFactory, ConnectorOptions, CrmConnector, CrmDeal, CrmUser, DealPage, ListPosition, NoteForCrm, TaskForCrm } from '../types';
import { dealFromLead, isoToOdooTime, leadFields, pipelineFromStages, userFromRecord, type OdooRecord } from './mapping';
import { OdooRpc } from './rpc';

// Odoo's CRM over the external JSON-RPC API, as a user with an API key. Opportunities (crm.lead of type
// "opportunity") are Headway's deals; a note is a message posted on the lead as an internal note (message_post,
// subtype mail.mt_note), a next step a To-Do activity, an approved move the lead's salesperson (user_id).
// - Listing: search_read ordered "write_date asc, id asc", so a page of one second goes on by id (keyset.ts).
//   Archived leads are listed too (active in [true, false]): Odoo archives a lead when it is marked lost.
// - Deletions: an unlinked lead leaves no trace and search_read lists only what exists, so deletions are seen by
//   reconciling ids; archived without being lost leaves the pipeline and is taken for deleted at once.
// - Exactly once: Odoo takes no id from a client, so each message and activity carries a reference line derived
//   from its key, searched for on the lead before writing.

const maxPage = 200;
const model = 'crm.lead';
/** Every opportunity, archived ones included (Odoo hides inactive records unless the domain names `active`). */
const opportunities = [['type', '=', 'opportunity'], ['active', 'in', [true, false]]];

function reference(key: string): string {
  return `Headway ref ${uuidFromKey(key)}`;
}

function noteText(note: NoteForCrm): string {
  return `${noteSubject(note)}\n\n${noteBody(note)}\n${reference(note.key)}`;
}

function domainOf(keyset: KeysetPosition): { domain: unknown[]; order: string } {
  if (keyset.phase === 'tie') {
    return { domain: [...opportunities, ['write_date', '=', isoToOdooTime(keyset.at)], ...(keyset.afterId === null ? [] : [['id', '>', Number(keyset.afterId)]])], order: 'id asc' };
  }
  const range = keyset.from === null ? [] : [['write_date', keyset.inclusive ? '>=' : '>', isoToOdooTime(keyset.from)]];
  return { domain: [...opportunities, ...range], order: 'write_date asc, id asc' };
}

class OdooConnector implements CrmConnector {
  readonly abilities = { deletions: 'reconcile', tasks: true, ownerChange: true } as const;
  private readonly fields: string[];
  private readonly pageSize: number;
  private todo: { modelId: number; typeId: number } | null = null;

  constructor(
    private readonly rpc: OdooRpc,
    private readonly origin: string,
    private readonly options: ConnectorOptions,
  ) {
    this.fields = [...new Set([...leadFields, ...options.ruleFields])];
    this.pageSize = Math.min(maxPage, options.pageSize ?? maxPage);
  }

  async checkCredential(): Promise<{ account: string }> {
    const uid = await this.rpc.userId();
    const [user] = await this.rpc.execute<OdooRecord[]>('res.users', 'read', [[uid]], { fields: ['name', 'login'] });
    // One opportunity proves the rights a sync needs now, not at the first sync.
    await this.rpc.execute(model, 'search_read', [opportunities], { fields: ['id'], limit: 1 });
    return { account: `${String(user?.name ?? user?.login ?? uid)} (user ${uid})` };
  }

  async listChangedDeals(since: string | null, position: ListPosition | null): Promise<DealPage> {
    const stored = position?.keyset;
    const keyset: KeysetPosition = stored && stored.phase !== 'ids' ? stored : startPosition(since);
    const { domain, order } = domainOf(keyset);
    const records = await this.rpc.execute<OdooRecord[]>(model, 'search_read', [domain], { fields: this.fields, order, limit: this.pageSize, offset: 0 });
    const deals = records.map((record) => dealFromLead(record, { origin: this.origin, ruleFields: this.options.ruleFields }));
    const next = nextPosition(keyset, deals, records.length >= this.pageSize, (deal) => deal.modifiedAt, (deal) => deal.crmId, true);
    return { deals, next: next && { pass: 'deals', keyset: next } };
  }

  async readDeal(crmId: string): Promise<CrmDeal | null> {
    if (!/^\d+$/.test(crmId)) return null;
    const [record] = await this.rpc.execute<OdooRecord[]>(model, 'search_read', [[...opportunities, ['id', '=', Number(crmId)]]], { fields: this.fields, limit: 1 });
    return record ? dealFromLead(record, { origin: this.origin, ruleFields: this.options.ruleFields }) : null;
  }

  async listDealIds(position: ListPosition | null): Promise<{ ids: string[]; next: ListPosition | null }> {
    const afterId = position?.keyset.phase === 'ids' ? position.keyset.afterId : null;
    const domain = [...opportunities, ...(afterId === null ? [] : [['id', '>', Number(afterId)]])];
    const records = await this.rpc.execute<OdooRecord[]>(model, 'search_read', [domain], { fields: ['id'], order: 'id asc', limit: maxPage });
    const ids = records.map((record) => String(record.id));
    const last = ids.at(-1);
    return { ids, next: ids.length >= maxPage && last ? { pass: 'ids', keyset: { phase: 'ids', afterId: last } } : null };
  }

  async listUsers(): Promise<CrmUser[]> {
    // Archived users too (their opportunities still name them); internal users only, not portal ones.
    const users = await this.rpc.execute<OdooRecord[]>('res.users', 'search_read', [[['share', '=', false], ['active', 'in', [true, false]]]], { fields: ['id', 'name', 'login', 'email', 'active'], order: 'id asc' });
    return users.map(userFromRecord);
  }

  async listPipelines() {
    const stages = await this.rpc.execute<OdooRecord[]>('crm.stage', 'search_read', [[]], { fields: ['id', 'name', 'is_won', 'sequence'], order: 'sequence asc, id asc' });
    return [pipelineFromStages(stages)];
  }

  async countDeals(): Promise<number | null> {
    const count = await this.rpc.execute<unknown>(model, 'search_count', [opportunities]);
    return typeof count === 'number' ? count : null;
  }

  /** An internal note on the lead, posted once per note key (its reference is looked for first). */
  async createNote(note: NoteForCrm): Promise<{ crmId: string }> {
    const leadId = this.leadId(note.record);
    const existing = await this.rpc.execute<OdooRecord[]>('mail.message', 'search_read', [[['model', '=', model], ['res_id', '=', leadId], ['body', 'ilike', reference(note.key)]]], { fields: ['id'], limit: 1 });
    if (existing[0]) return { crmId: String(existing[0].id) };
    const author = note.author.crmUserId ? await this.partnerOf(note.author.crmUserId) : null;
    const made = await this.rpc.execute<unknown>(model, 'message_post', [[leadId]], {
      body: noteText(note), message_type: 'comment', subtype_xmlid: 'mail.mt_note', ...(author ? { author_id: author } : {}),
    });
    // message_post answers the message's id (@api.returns('mail.message')); some versions wrap it in a list.
    const id = Array.isArray(made) ? made[0] : made;
    if (typeof id !== 'number') throw new ConnectorError('bad_response', 'Odoo answered message_post without the message id.');
    return { crmId: String(id) };
  }

  async updateNote(crmId: string, note: NoteForCrm): Promise<void> {
    await this.rpc.execute('mail.message', 'write', [[Number(crmId)], { body: noteText(note) }]);
  }

  /** A To-Do activity on the lead, once per key like notes. */
  async createTask(task: TaskForCrm): Promise<{ crmId: string }> {
    const leadId = this.leadId(task.record);
    const ref = reference(task.key);
    const existing = await this.rpc.execute<OdooRecord[]>('mail.activity', 'search_read', [[['res_model', '=', model], ['res_id', '=', leadId], ['note', 'ilike', ref]]], { fields: ['id'], limit: 1 });
    if (existing[0]) return { crmId: String(existing[0].id) };
    const todo = await this.todoType();
    const made = await this.rpc.execute<unknown>('mail.activity', 'create', [{
      res_model_id: todo.modelId, res_id: leadId, activity_type_id: todo.typeId, summary: task.title, note: `${task.description}\n${ref}`,
      // An activity is due on a day (a Date field): the day stays the day in every time zone.
      date_deadline: task.dueDate ?? new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
      ...(task.assigneeCrmId ? { user_id: Number(task.assigneeCrmId) } : {}),
    }]);
    if (typeof made !== 'number') throw new ConnectorError('bad_response', 'Odoo answered mail.activity create without the activity id.');
    return { crmId: String(made) };
  }

  async setDealOwner(crmId: string, ownerCrmId: string): Promise<void> {
    await this.rpc.execute(model, 'write', [[Number(crmId)], { user_id: Number(ownerCrmId) }]);
  }

  private leadId(record: { recordType: string; crmId: string }): number {
    if (record.recordType !== 'deal' || !/^\d+$/.test(record.crmId)) throw new ConnectorError('rejected', `Headway writes to Odoo opportunities only, not to ${record.recordType} ${record.crmId}.`);
    return Number(record.crmId);
  }

  private async partnerOf(userId: string): Promise<number | null> {
    const [user] = await this.rpc.execute<OdooRecord[]>('res.users', 'read', [[Number(userId)]], { fields: ['partner_id'] });
    const partner = Array.isArray(user?.partner_id) ? user.partner_id[0] : null;
    return typeof partner === 'number' ? partner : null;
  }

  /** crm.lead's ir.model id and the To-Do activity type (xml id mail.mail_activity_data_todo), looked up once. */
  private async todoType(): Promise<{ modelId: number; typeId: number }> {
    if (this.todo) return this.todo;
    const [modelRow] = await this.rpc.execute<OdooRecord[]>('ir.model', 'search_read', [[['model', '=', model]]], { fields: ['id'], limit: 1 });
    const [typeRow] = await this.rpc.execute<OdooRecord[]>('ir.model.data', 'search_read', [[['module', '=', 'mail'], ['name', '=', 'mail_activity_data_todo']]], { fields: ['res_id'], limit: 1 });
    if (typeof modelRow?.id !== 'number' || typeof typeRow?.res_id !== 'number') throw new ConnectorError('missing_rights', 'Odoo did not show Headway the crm.lead model or the To-Do activity type; the user may not read them.');
    this.todo = { modelId: modelRow.id, typeId: typeRow.res_id };
    return this.todo;
  }
}

export const odoo: ConnectorFactory = {
  crm: 'odoo',
  apis: ['jsonrpc'],
  needs: () => ({ clientId: true, username: true }),
  flagValues: { clientId: 'database', username: 'login' },
  create(credential: ConnectionCredential, http: ConnectorHttp, options: ConnectorOptions): CrmConnector {
    if (credential.api !== 'jsonrpc') throw new ConnectorError('rejected', `Odoo is connected through its external JSON-RPC API (--api jsonrpc), not ${credential.api}.`);
    const login = { origin: credential.origin, database: credential.clientId ?? '', login: credential.username ?? '', key: credential.secret };
    return new OdooConnector(new OdooRpc(login, http), credential.origin, options);
  },
};
