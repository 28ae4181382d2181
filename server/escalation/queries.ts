import type { Locale } from '../../core/i18n';
import { auditCsv, canSee, isAboveRecipients, mayAnswer, presetEscalation, snapshotContext } from '../../core/escalation';
import { EscalationCategory, Role, Severity } from '../../core/schema';
import type {
  EscalationAuditEntry,
  EscalationDetail,
  EscalationPresetQuery,
  EscalationPresetResponse,
  EscalationsQuery,
  EscalationView,
  User,
} from '../../core/schema';
import type { Tx } from '../store/transaction';
import { auditFromRow, auditOf, loadEscalation, storedFromRow } from './records';
import { loadWorkspace, readableRecord, toView } from './service';

const LIST_LIMIT = 500;

/** The names of everyone these escalations (and their audit entries) mention, for readers who cannot list users. */
function namesOf(escalations: readonly EscalationView[], audit: readonly EscalationAuditEntry[], usersById: ReadonlyMap<string, { name: string }>): Record<string, string> {
  const ids = new Set<string>();
  for (const e of escalations) {
    ids.add(e.fromId);
    if ('userId' in e.to) ids.add(e.to.userId);
    for (const id of e.participantIds ?? []) ids.add(id);
    for (const comment of e.comments) ids.add(comment.authorId);
  }
  for (const entry of audit) {
    ids.add(entry.actorId);
    // A hand-over or a move up names its recipients; the reader's side words them with these names.
    const details = entry.details;
    if (details !== null && typeof details === 'object' && details.kind === 'moved') for (const end of [details.from, details.to]) if ('userId' in end) ids.add(end.userId);
  }
  const names: Record<string, string> = {};
  for (const id of ids) {
    const name = usersById.get(id)?.name;
    if (name) names[id] = name;
  }
  return names;
}

export interface EscalationList {
  escalations: EscalationView[];
  names: Record<string, string>;
}

/** What the caller may see, newest first; inbox = what they may answer, sent = what they raised or joined. */
export async function listEscalations(db: Tx, user: User, query: EscalationsQuery, now: string): Promise<EscalationList> {
  const ws = await loadWorkspace(db);
  let select = db.selectFrom('escalations').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(LIST_LIMIT * 2);
  if (query.status) select = select.where('status', '=', query.status);
  const joinedByMe = `%${JSON.stringify(user.id)}%`;
  if (query.box === 'sent') select = select.where((eb) => eb.or([eb('from_id', '=', user.id), eb('participant_ids', 'like', joinedByMe)]));
  else if (user.role !== 'admin') {
    // Narrow in SQL to what canSee can accept: addressed to a role the caller holds or stands above, or to a person
    // holding one, or raised or joined by the caller. canSee below stays the judge.
    const roles = Role.options.filter((role) => role === user.role || isAboveRecipients({ to: { role } }, user, ws.usersById, ws.transition.rules));
    select = select.where((eb) =>
      eb.or([
        eb('from_id', '=', user.id),
        eb('participant_ids', 'like', joinedByMe),
        eb('to_user_id', '=', user.id),
        ...(roles.length > 0
          ? [eb('to_role', 'in', roles), eb('to_user_id', 'in', eb.selectFrom('users').select('id').where('role', 'in', roles))]
          : []),
      ]),
    );
  }
  const viewer = { id: user.id, role: user.role };
  const visible = [];
  // Visibility is decided by core's rules, which SQL cannot express (roles above the recipients, participants).
  for (const row of await select.execute()) {
    const stored = storedFromRow(row);
    const e = stored.escalation;
    if (!canSee(e, viewer, ws.transition.usersById, ws.transition.rules)) continue;
    if (query.box === 'inbox' && !mayAnswer(e, viewer, ws.transition.usersById, ws.transition.rules)) continue;
    if (query.box === 'sent' && e.fromId !== user.id && !(e.participantIds ?? []).includes(user.id)) continue;
    visible.push(toView(stored, now));
    if (visible.length >= LIST_LIMIT) break;
  }
  return { escalations: visible, names: namesOf(visible, [], ws.usersById) };
}

export async function escalationDetail(db: Tx, user: User, id: string, now: string): Promise<EscalationDetail | null> {
  const stored = await loadEscalation(db, id);
  if (!stored) return null;
  const ws = await loadWorkspace(db);
  const viewer = { id: user.id, role: user.role };
  if (!canSee(stored.escalation, viewer, ws.transition.usersById, ws.transition.rules)) return null;
  const escalation = toView(stored, now);
  const audit = await auditOf(db, id);
  return {
    escalation,
    audit,
    mayAnswer: mayAnswer(stored.escalation, viewer, ws.transition.usersById, ws.transition.rules),
    isRequester: stored.escalation.fromId === user.id,
    names: namesOf([escalation], audit, ws.usersById),
  };
}

/** What the one-click button sends for this record: the deal as the caller may see it, their notes, their habit. */
export async function escalationPreset(db: Tx, user: User, query: EscalationPresetQuery, today: string, locale: Locale = 'en'): Promise<EscalationPresetResponse> {
  const ws = await loadWorkspace(db);
  const { deal, notes } = await readableRecord(db, user, query);
  const last = await db
    .selectFrom('escalations')
    .select(['category', 'severity'])
    .where('from_id', '=', user.id)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const preset = presetEscalation({
    deal,
    notes,
    settings: ws.settings,
    sender: user,
    lastChoice: last ? { category: EscalationCategory.parse(last.category), severity: Severity.parse(last.severity) } : null,
    today,
    locale,
  });
  return { preset, context: snapshotContext(deal, notes, null), deal };
}

/** The audit trail of escalations the caller may see, between two dates (inclusive, UTC), as CSV. */
export async function auditExport(db: Tx, user: User, from: string | undefined, to: string | undefined, locale: Locale): Promise<string> {
  const ws = await loadWorkspace(db);
  let select = db.selectFrom('escalation_audit').selectAll().orderBy('at').orderBy('escalation_id').orderBy('version');
  if (from) select = select.where('at', '>=', `${from}T00:00:00.000Z`);
  if (to) select = select.where('at', '<', new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString());
  const rows = await select.execute();
  const ids = [...new Set(rows.map((r) => r.escalation_id))];
  const visible = new Set<string>();
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = await db.selectFrom('escalations').selectAll().where('id', 'in', ids.slice(start, start + 500)).execute();
    for (const row of chunk) if (canSee(storedFromRow(row).escalation, user, ws.transition.usersById, ws.transition.rules)) visible.add(row.id);
  }
  const entries: EscalationAuditEntry[] = rows.filter((r) => visible.has(r.escalation_id)).map(auditFromRow);
  return auditCsv(entries, ws.transition.usersById, locale);
}
