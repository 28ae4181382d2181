import { randomUUID } from 'node:crypto';
import { pathOf } from '../../core/api/route';
import { routes } from '../../core/api/routes';
import { canSee, lastWeekOf, mondayOf, reportCsv, weeklyReport, WeeklyReport } from '../../core/escalation';
import { recipientLocale, type Locale } from '../../core/i18n';
import type { ReportLoadRow, ReportNotesRow, ReportProgressRow } from '../../core/escalation';
import type { StoredReport, User } from '../../core/schema';
import { departmentLoad } from '../balance/load-report';
import { reportHtml } from './report-html';
import { isoNow, type Clock } from '../clock';
import { isUniqueViolation } from '../plan/plans';
import { progressView } from '../plan/progress-view';
import type { Store } from '../store/store';
import { readJson, writeJson } from '../store/json-column';
import type { ReportsTable } from '../store/tables';
import { readSettings } from '../store/workspace';
import type { Tx } from '../store/transaction';
import { listUsers } from '../store/users';
import { storedFromRow } from './records';
import { readDeliverySettings } from './settings';
import { loadWorkspace } from './service';

const DAY = 86_400_000;

export { mondayOf };

/** The viewer a scheduled report is assembled for: the head of sales' view of the department. */
function departmentViewer(now: string): User {
  return {
    id: 'system',
    name: 'Headway',
    email: 'system@headway.invalid',
    role: 'head',
    team: null,
    capacity: 0,
    segments: { region: [], product: [], tier: [] },
    absences: [],
    crmIdentities: [],
    createdAt: now,
  };
}

/**
 * The week's figures from the server's own assemblies: month-to-date plan progress (server/plan), load per manager
 * (server/balance), notes captured in the week, and the escalations the viewer may see.
 */
export async function assembleWeeklyReport(db: Tx, viewer: User, week: string, today: string): Promise<WeeklyReport> {
  const weekStart = mondayOf(week);
  const weekEnd = new Date(Date.parse(`${weekStart}T00:00:00Z`) + 6 * DAY).toISOString().slice(0, 10);
  const asOf = today < weekEnd ? today : weekEnd;
  const [progress, load, users, ws] = await Promise.all([
    progressView(db, viewer, { period: 'month', date: asOf, kind: 'sale' }, asOf),
    departmentLoad(db, asOf),
    listUsers(db),
    loadWorkspace(db),
  ]);
  const progressRows: ReportProgressRow[] = progress.managers
    .filter((m) => m.planned)
    .map((m) => ({ managerName: m.name, target: Math.max(0, m.target), actual: Math.max(0, m.actual), attainmentPct: m.attainmentPct }));
  const loadRows: ReportLoadRow[] = load.managers.flatMap((m) =>
    m.utilisation === null ? [] : [{ managerName: m.name, openDeals: m.openDeals, loadPct: m.utilisation * 100 }],
  );
  const from = `${weekStart}T00:00:00.000Z`;
  const to = new Date(Date.parse(from) + 7 * DAY).toISOString();
  const noteCounts = await db
    .selectFrom('notes')
    .select(['author_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .where('deleted_at', 'is', null)
    .groupBy('author_id')
    .execute();
  const names = new Map(users.map((u) => [u.id, u.name]));
  const notesRows: ReportNotesRow[] = noteCounts.map((r) => ({ managerName: names.get(r.author_id) ?? r.author_id, notes: Number(r.n) }));
  // Escalations that were waiting at some point of the week or changed in it.
  const rows = await db.selectFrom('escalations').selectAll().where('created_at', '<', to).where('updated_at', '>=', from).execute();
  const stillWaiting = await db.selectFrom('escalations').selectAll().where('created_at', '<', to).where('status', 'in', ['open', 'acknowledged']).execute();
  const byId = new Map([...rows, ...stillWaiting].map((row) => [row.id, storedFromRow(row).escalation]));
  const escalations = [...byId.values()].filter((e) => canSee(e, viewer, ws.transition.usersById, ws.transition.rules));
  return weeklyReport({ progress: progressRows, load: loadRows, notes: notesRows, escalations, weekStart, currency: progress.reportingCurrency });
}

function storedView(row: Pick<ReportsTable, 'id' | 'week_start' | 'created_at' | 'created_by' | 'scheduled'>, baseUrl: string): StoredReport {
  return {
    id: row.id,
    weekStart: row.week_start,
    createdAt: row.created_at,
    createdBy: row.created_by,
    scheduled: row.scheduled === 1,
    link: `${baseUrl.replace(/\/+$/, '')}${pathOf(routes.report, { id: row.id })}`,
  };
}

/** Generates and stores a report, e.g. to attach to the answer of an exec's report request. */
export async function storeWeeklyReport(db: Tx, viewer: User, week: string, now: string, scheduled = false): Promise<StoredReport> {
  const report = await assembleWeeklyReport(db, viewer, week, now.slice(0, 10));
  const locale = recipientLocale(null, (await readSettings(db)).locale);
  const row: ReportsTable = {
    id: randomUUID(),
    week_start: report.weekStart,
    created_at: now,
    created_by: viewer.id,
    scheduled: scheduled ? 1 : 0,
    // The stored documents are in the workspace's language (a link opened outside Headway); readers who set
    // their own get the figures rendered again in it (GET /api/reports/:id).
    html: reportHtml(report, locale),
    csv: reportCsv(report, locale),
    figures: writeJson(report),
  };
  await db.insertInto('reports').values(row).execute();
  return storedView(row, (await readDeliverySettings(db)).baseUrl);
}

export async function listStoredReports(db: Tx): Promise<StoredReport[]> {
  const { baseUrl } = await readDeliverySettings(db);
  const rows = await db.selectFrom('reports').select(['id', 'week_start', 'created_at', 'created_by', 'scheduled']).orderBy('created_at', 'desc').limit(200).execute();
  return rows.map((row) => storedView(row, baseUrl));
}

export async function readStoredReport(db: Tx, id: string): Promise<ReportsTable | undefined> {
  return db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A stored report as one reader reads it: rendered again in their language from its figures when it kept them. */
export function storedReportIn(row: ReportsTable, locale: Locale): { html: string; csv: string } {
  if (row.figures === null) return { html: row.html, csv: row.csv };
  const report = WeeklyReport.parse(readJson(row.figures));
  return { html: reportHtml(report, locale), csv: reportCsv(report, locale) };
}

/** The address of a stored report, or null when there is none with this id. */
export async function reportLink(db: Tx, id: string): Promise<string | null> {
  const row = await db.selectFrom('reports').select(['id', 'week_start', 'created_at', 'created_by', 'scheduled']).where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return storedView(row, (await readDeliverySettings(db)).baseUrl).link;
}

/**
 * The weekly schedule: once the week is over, last week's report is stored for management to open. The unique
 * index on scheduled week starts makes a second process (or a second sweep) store nothing more.
 */
export async function generateScheduledReport(store: Store, clock: Clock): Promise<StoredReport | null> {
  const now = isoNow(clock);
  const lastWeek = lastWeekOf(now.slice(0, 10));
  const existing = await store.db.selectFrom('reports').select('id').where('week_start', '=', lastWeek).where('scheduled', '=', 1).executeTakeFirst();
  if (existing) return null;
  try {
    return await storeWeeklyReport(store.db, departmentViewer(now), lastWeek, now, true);
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}
