import { z } from 'zod';
import { formatsOf, translator, type Locale } from '../i18n';
import { Escalation, IsoDate, type EscalationCategory, type Severity } from '../schema';
import { isOverdue } from './business-hours';
import { csvRows } from './csv';
import { escalationWords, weeklyReportMessages } from './i18n';

/*
 * The weekly report a head of sales sends upward. Its inputs are deliberately small row shapes local to this
 * module: plan progress and load balancing are computed elsewhere and only their figures are needed here.
 */

export const ReportProgressRow = z.object({
  managerName: z.string().max(200),
  target: z.number().finite().min(0),
  actual: z.number().finite().min(0),
  /** null when there is no target to measure against. */
  attainmentPct: z.number().finite().nullable(),
});
export type ReportProgressRow = z.infer<typeof ReportProgressRow>;

export const ReportLoadRow = z.object({
  managerName: z.string().max(200),
  openDeals: z.number().int().min(0),
  loadPct: z.number().finite().min(0),
});
export type ReportLoadRow = z.infer<typeof ReportLoadRow>;

export const ReportNotesRow = z.object({ managerName: z.string().max(200), notes: z.number().int().min(0) });
export type ReportNotesRow = z.infer<typeof ReportNotesRow>;

export const WeeklyReportInput = z.object({
  progress: z.array(ReportProgressRow),
  load: z.array(ReportLoadRow),
  notes: z.array(ReportNotesRow),
  escalations: z.array(Escalation),
  /** Monday (or whatever day the week starts on) as an ISO date; the week is seven UTC days from it. */
  weekStart: IsoDate,
  currency: z.string().max(3).default(''),
});
export type WeeklyReportInput = z.input<typeof WeeklyReportInput>;

/** Load above this share of capacity is flagged as overloaded, below the lower one as having room. */
export const OVERLOAD_PCT = 110;
export const ROOM_PCT = 70;

export const WeeklyReport = z.object({
  weekStart: IsoDate,
  weekEnd: IsoDate,
  currency: z.string(),
  managers: z.array(
    z.object({
      managerName: z.string(),
      target: z.number().nullable(),
      actual: z.number().nullable(),
      attainmentPct: z.number().nullable(),
      openDeals: z.number().nullable(),
      loadPct: z.number().nullable(),
      loadFlag: z.enum(['overloaded', 'room', 'ok']).nullable(),
      notes: z.number(),
    }),
  ),
  team: z.object({ target: z.number(), actual: z.number(), attainmentPct: z.number().nullable(), notes: z.number() }),
  escalations: z.object({
    opened: z.number(),
    resolved: z.number(),
    resolvedWithinSla: z.number(),
    waiting: z.number(),
    overdue: z.number(),
    byCategory: z.record(z.string(), z.number()),
    waitingList: z.array(
      z.object({ title: z.string(), category: z.string(), severity: z.string(), status: z.string(), slaDue: z.string().nullable(), overdue: z.boolean() }),
    ),
  }),
});
export type WeeklyReport = z.infer<typeof WeeklyReport>;

const DAY = 86_400_000;
const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, normal: 2, low: 3 };

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function inWeek(iso: string, startMs: number): boolean {
  const ms = Date.parse(iso);
  return ms >= startMs && ms < startMs + 7 * DAY;
}

/** Figures for the week, merged per manager by name; escalation counts are as of the end of the week. */
export function weeklyReport(raw: WeeklyReportInput): WeeklyReport {
  const input = WeeklyReportInput.parse(raw);
  const startMs = Date.parse(`${input.weekStart}T00:00:00Z`);
  const endIso = new Date(startMs + 7 * DAY).toISOString();

  const names = [...new Set([...input.progress, ...input.load, ...input.notes].map((r) => r.managerName))];
  const managers = names
    .map((managerName) => {
      const p = input.progress.find((r) => r.managerName === managerName);
      const l = input.load.find((r) => r.managerName === managerName);
      const notes = input.notes.filter((r) => r.managerName === managerName).reduce((s, r) => s + r.notes, 0);
      const loadFlag = l === undefined ? null : l.loadPct > OVERLOAD_PCT ? 'overloaded' : l.loadPct < ROOM_PCT ? 'room' : 'ok';
      return {
        managerName,
        target: p?.target ?? null,
        actual: p?.actual ?? null,
        attainmentPct: p?.attainmentPct === undefined || p.attainmentPct === null ? null : round1(p.attainmentPct),
        openDeals: l?.openDeals ?? null,
        loadPct: l === undefined ? null : round1(l.loadPct),
        loadFlag,
        notes,
      } as const;
    })
    // Furthest behind plan first: that is where the reader's attention should go.
    .sort((a, b) => (a.attainmentPct ?? Infinity) - (b.attainmentPct ?? Infinity) || a.managerName.localeCompare(b.managerName));

  const target = input.progress.reduce((s, r) => s + r.target, 0);
  const actual = input.progress.reduce((s, r) => s + r.actual, 0);

  const escalations = input.escalations;
  // Escalations stored before resolvedAt existed fall back to their last update.
  const resolvedAt = (e: Escalation) => e.resolvedAt ?? e.updatedAt;
  const resolved = escalations.filter((e) => e.status === 'resolved' && inWeek(resolvedAt(e), startMs));
  const waiting = escalations.filter((e) => Date.parse(e.createdAt) < startMs + 7 * DAY && (e.status === 'open' || e.status === 'acknowledged'));
  const byCategory: Partial<Record<EscalationCategory, number>> = {};
  for (const e of escalations.filter((x) => inWeek(x.createdAt, startMs))) byCategory[e.category] = (byCategory[e.category] ?? 0) + 1;

  return {
    weekStart: input.weekStart,
    weekEnd: new Date(startMs + 6 * DAY).toISOString().slice(0, 10),
    currency: input.currency,
    managers: [...managers],
    team: {
      target,
      actual,
      attainmentPct: target > 0 ? round1((actual / target) * 100) : null,
      notes: input.notes.reduce((s, r) => s + r.notes, 0),
    },
    escalations: {
      opened: escalations.filter((e) => inWeek(e.createdAt, startMs)).length,
      resolved: resolved.length,
      resolvedWithinSla: resolved.filter((e) => e.slaDue === null || Date.parse(resolvedAt(e)) <= Date.parse(e.slaDue)).length,
      waiting: waiting.length,
      overdue: waiting.filter((e) => isOverdue(e, endIso)).length,
      byCategory: byCategory as Record<string, number>,
      waitingList: waiting
        .map((e) => ({ title: e.title, category: e.category, severity: e.severity, status: e.status, slaDue: e.slaDue, overdue: isOverdue(e, endIso) }))
        .sort((a, b) => Number(b.overdue) - Number(a.overdue) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.title.localeCompare(b.title)),
    },
  };
}

const CSV_COLUMNS = ['csv.manager', 'csv.target', 'csv.actual', 'csv.attainment', 'csv.openDeals', 'csv.load', 'csv.loadFlag', 'csv.notes'] as const;

/** The CSV's header row in a language; English's is the one scripts read (manager,target,…). */
export const reportCsvHeader = (locale: Locale): string[] => CSV_COLUMNS.map((key) => translator(weeklyReportMessages, locale)(key));
export const REPORT_CSV_HEADER = reportCsvHeader('en');

/** One row per manager and a final team row, for a spreadsheet: figures as plain numbers, words in the reader's language. */
export function reportCsv(report: WeeklyReport, locale: Locale = 'en'): string {
  const t = translator(weeklyReportMessages, locale);
  return csvRows(reportCsvHeader(locale), [
    ...report.managers.map((m) => [m.managerName, m.target, m.actual, m.attainmentPct, m.openDeals, m.loadPct, m.loadFlag && t(`flag.${m.loadFlag}`), m.notes]),
    [t('team'), report.team.target, report.team.actual, report.team.attainmentPct, null, null, null, report.team.notes],
  ]);
}

/** The report's only style block; the extension's CSP allows exactly it by hash (wxt.config.ts), for the report page. */
export const WEEKLY_REPORT_STYLE = `body{font:14px/1.45 system-ui,sans-serif;color:#111;margin:2rem;max-width:60rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:left}td.num{text-align:right}
tr.flag-overloaded td{background:#fde8e8}tr.overdue td{color:#a00}
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}`;
