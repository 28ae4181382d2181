import { slaCalendar } from '../calendar/calendars';
import { said } from '../../core/i18n';
import { httpMessages } from '../http/i18n';
import {
  applyTransition,
  canSee,
  findOpenDuplicate,
  isOverdue,
  openEscalation,
  routeByCategory,
  snapshotContext,
  type TransitionContext,
} from '../../core/escalation';
import type {
  Deal,
  EscalationAction,
  EscalationActionRequest,
  EscalationCreateRequest,
  EscalationInput,
  EscalationView,
  Note,
  RecordRef,
  User,
} from '../../core/schema';
import { EscalationCreateRequest as CreateSchema } from '../../core/schema';
import { dealFromRow } from '../store/deals';
import { noteFromRow } from '../store/notes';
import type { Tx } from '../store/transaction';
import { listUsers } from '../store/users';
import { foreignTenant, isWorkspaceTenant, readSettings } from '../store/workspace';
import { refusal, Refused } from '../refusal/refused';
import type { TransitionRefusal } from '../../core/escalation/refusal';
import type { ChangeEntry } from '../sync/change-log';
import { canSeeDeal, canSeeNote } from '../sync/visibility';
import { recordTransition, type EventContext } from './events';
import { insertEscalation, loadEscalation, storedFromRow, updateEscalation, type StoredEscalation } from './records';
import { readDeliverySettings, readEscalationSettings } from './settings';

/** Core's state machine refused: the same code and sentence, as the server's one refusal type. */
function refused(transition: TransitionRefusal): Refused {
  return new Refused(transition.code, transition.reason);
}

export function toView({ escalation, overdueAt }: StoredEscalation, now: string): EscalationView {
  return { ...escalation, overdue: isOverdue(escalation, now), overdueAt };
}

/** What every transition needs to know about the workspace, read once per request. */
export interface Workspace extends EventContext {
  transition: TransitionContext;
  usersById: Map<string, User>;
  settings: Awaited<ReturnType<typeof readEscalationSettings>>;
}

export async function loadWorkspace(db: Tx): Promise<Workspace> {
  const [settings, delivery, users, workspace] = await Promise.all([readEscalationSettings(db), readDeliverySettings(db), listUsers(db), readSettings(db)]);
  const usersById = new Map(users.map((u) => [u.id, u]));
  // SLA clocks run on the workspace's working calendar: its country's holidays and the company's days off too.
  const calendar = await slaCalendar(db, settings.calendar);
  return { settings, delivery, users, usersById, locale: workspace.locale, transition: { usersById, rules: settings.rules, calendar } };
}

export async function findDeal(db: Tx, record: RecordRef): Promise<Deal | null> {
  const row = await db
    .selectFrom('deals')
    .selectAll()
    .where('crm', '=', record.crm)
    .where('instance', '=', record.instance)
    .where('crm_id', '=', record.crmId)
    .where('record_type', '=', record.recordType)
    .executeTakeFirst();
  return row ? dealFromRow(row) : null;
}

export async function latestNotes(db: Tx, record: RecordRef, limit = 20): Promise<Note[]> {
  const rows = await db
    .selectFrom('notes')
    .selectAll()
    .where('crm', '=', record.crm)
    .where('instance', '=', record.instance)
    .where('crm_id', '=', record.crmId)
    .where('record_type', '=', record.recordType)
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(noteFromRow);
}

/** A record as this person may read it: the deal only when they may see it, only the notes they may see. */
export interface ReadableRecord {
  deal: Deal | null;
  notes: Note[];
}

/**
 * The one reading behind an escalation's context, for the preset and for a create alike, so that escalating a
 * colleague's deal attaches nothing its sender could not read (issue 13 §3).
 */
export async function readableRecord(db: Tx, user: User, record: RecordRef): Promise<ReadableRecord> {
  const found = await findDeal(db, record);
  const deal = found !== null && canSeeDeal(user, found) ? found : null;
  const notes = (await latestNotes(db, record)).filter((n) => canSeeNote(user, n));
  return { deal, notes };
}

export interface CreateOutcome {
  stored: StoredEscalation;
  /** false when the id was already stored for this sender (a retried request) or it joined another. */
  created: boolean;
  joined: boolean;
  notice: string | null;
  /** Change-log rows for the caller to append last in its transaction. */
  changes: ChangeEntry[];
}

/**
 * Opens an escalation from the caller, or joins the one already waiting on the same record and category. The sync
 * mutation `escalation.create` and `POST /api/escalations` both come here, so they cannot drift apart.
 */
export async function createEscalation(tx: Tx, user: User, request: EscalationCreateRequest, now: string): Promise<CreateOutcome> {
  const parsed = CreateSchema.safeParse(request);
  if (!parsed.success) throw refusal('invalid', 'escalationInvalid', { details: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  const input = parsed.data;
  if (input.record && !(await isWorkspaceTenant(tx, input.record))) throw foreignTenant(input.record);
  const existing = await loadEscalation(tx, input.id);
  if (existing) {
    if (existing.escalation.fromId === user.id) return { stored: existing, created: false, joined: false, notice: null, changes: [] };
    throw refusal('conflict', 'escalationIdTaken');
  }
  const ws = await loadWorkspace(tx);
  const to = input.to ?? routeByCategory(user, input.category, ws.settings.rules);
  if ('userId' in to && !ws.usersById.has(to.userId)) {
    throw refusal('not-found', 'noAddressee');
  }
  const readable = input.record ? await readableRecord(tx, user, input.record) : null;
  const deal = readable?.deal ?? null;
  let context = input.context;
  if (readable && Object.keys(context).length === 0) {
    // The one-click button may send no snapshot; the server attaches what the sender may read of the deal.
    context = snapshotContext(readable.deal, readable.notes, null);
  }
  const full: EscalationInput = { ...input, to, context };

  const joined = input.record ? await joinDuplicate(tx, user, full, deal, now, ws) : null;
  if (joined) return joined;

  const opened = openEscalation(full, user.id, now, ws.transition.calendar);
  if (!opened.ok) throw refused(opened);
  await insertEscalation(tx, opened.escalation);
  const changes = await recordTransition(tx, null, opened.escalation, opened.audit, ws);
  return { stored: { escalation: opened.escalation, overdueAt: null }, created: true, joined: false, notice: null, changes };
}

/**
 * Joining reveals the waiting thread, so it needs the right to see it already or to see the deal it is about;
 * otherwise the sender's escalation is opened on its own and nothing about the other one is said.
 */
async function joinDuplicate(tx: Tx, user: User, input: EscalationInput, deal: Deal | null, now: string, ws: Workspace): Promise<CreateOutcome | null> {
  const record = input.record!;
  const rows = await tx
    .selectFrom('escalations')
    .selectAll()
    .where('crm', '=', record.crm)
    .where('instance', '=', record.instance)
    .where('crm_id', '=', record.crmId)
    .where('record_type', '=', record.recordType)
    .where('category', '=', input.category)
    .where('status', 'in', ['open', 'acknowledged'])
    .execute();
  const stored = rows.map(storedFromRow);
  const match = findOpenDuplicate(input, stored.map((s) => s.escalation));
  if (!match) return null;
  const target = stored.find((s) => s.escalation.id === match.escalation.id)!;
  // `deal` is already what the sender may read: null when it is a colleague's.
  const entitled = canSee(target.escalation, user, ws.transition.usersById, ws.transition.rules) || deal !== null;
  if (!entitled) return null;
  // A retried request that already joined (its id became the comment id) answers the same, writing nothing.
  if (target.escalation.comments.some((comment) => comment.id === input.id && comment.authorId === user.id)) {
    return { stored: target, created: false, joined: true, notice: match.notice, changes: [] };
  }
  const body = [input.title, input.body].map((t) => t.trim()).filter((t) => t !== '').join('\n\n');
  const action: EscalationAction = { type: 'join', record, category: input.category, commentId: input.id, body };
  const result = applyTransition(target.escalation, action, { id: user.id, role: user.role }, now, ws.transition);
  if (!result.ok) throw refused(result);
  if (!(await updateEscalation(tx, result.escalation, target.escalation.version, target.overdueAt))) {
    throw refusal('conflict', 'waitingChanged');
  }
  const changes = await recordTransition(tx, target.escalation, result.escalation, result.audit, ws);
  // The sender's client already shows its would-be escalation under input.id (the outbox's optimistic copy). A
  // change under that id, told only to the sender, makes their next pull drop it (it loads as nothing); the joined
  // one arrives in the same pull, and the client finds it by the comment that carries input.id.
  changes.push({ entity: 'escalation', entityId: input.id, version: 1, ownerId: user.id, audienceRole: null, audienceUserId: user.id });
  return { stored: { escalation: result.escalation, overdueAt: target.overdueAt }, created: false, joined: true, notice: match.notice, changes };
}

export interface ActOptions {
  /** Link to a stored report, appended to a resolution that attaches one. */
  reportLink?: (reportId: string) => Promise<string | null>;
  newId: () => string;
}

/** One action by a person on an escalation they can see, validated by core's state machine. */
export async function actOnEscalation(tx: Tx, user: User, id: string, request: EscalationActionRequest, now: string, options: ActOptions): Promise<StoredEscalation & { changes: ChangeEntry[] }> {
  const current = await loadEscalation(tx, id);
  const ws = await loadWorkspace(tx);
  // Not found and not visible answer alike, so ids cannot be probed.
  if (!current || !canSee(current.escalation, user, ws.transition.usersById, ws.transition.rules)) {
    throw new Refused('not-found', said(httpMessages, 'noEscalation'));
  }
  let action: EscalationAction;
  switch (request.type) {
    case 'comment':
    case 'request-info':
      action = { ...request, commentId: request.commentId ?? options.newId() };
      break;
    case 'resolve': {
      let decision = request.decision;
      if (request.reportId !== undefined) {
        const link = options.reportLink ? await options.reportLink(request.reportId) : null;
        if (link === null) throw refusal('invalid', 'noReportToAttach');
        decision = `${decision.trim()}\n\nReport: ${link}`.trim();
      }
      action = { type: 'resolve', decision, ...(request.reportId !== undefined ? { reportId: request.reportId } : {}) };
      break;
    }
    default:
      action = request;
  }
  const result = applyTransition(current.escalation, action, { id: user.id, role: user.role }, now, ws.transition);
  if (!result.ok) throw refused(result);
  if (!(await updateEscalation(tx, result.escalation, current.escalation.version, current.overdueAt))) {
    throw refusal('conflict', 'escalationChanged');
  }
  const changes = await recordTransition(tx, current.escalation, result.escalation, result.audit, ws);
  return { escalation: result.escalation, overdueAt: current.overdueAt, changes };
}
