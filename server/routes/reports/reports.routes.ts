import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import { reportCsv } from '../../../core/escalation';
import { reportHtml } from '../../escalation/report-html';
import type { ReportsResponse, StoredReport } from '../../../core/schema';
import { assembleWeeklyReport, listStoredReports, readStoredReport, storedReportIn, storeWeeklyReport } from '../../escalation/reports';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { documentLocale, refuse } from '../../http/errors';
import { jsonBody, paramsOf, queryOf } from '../../http/validate';
import { writeTransaction } from '../../store/transaction';

/** The report is a document of its own: no script may run in it, whatever the data holds. */
const HTML_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
};

const csvHeaders = (name: string) => ({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"` });

/** Weekly reports for the head of sales and management (issue 8): on the fly, stored, and the weekly schedule's. */
export const reportsRoutes = new Hono<AppEnv>()
  .get(routes.weeklyReport.path, guard(routes.weeklyReport), queryOf(routes.weeklyReport.query), async (c) => {
    const { store, clock } = c.var.deps;
    const { week, format } = c.req.valid('query');
    const report = await assembleWeeklyReport(store.db, c.var.user, week, clock.now().toISOString().slice(0, 10));
    if (format === 'json') return c.json(report, 200);
    const locale = await documentLocale(c);
    if (format === 'csv') return c.body(reportCsv(report, locale), 200, csvHeaders(`headway-weekly-report_${report.weekStart}.csv`));
    return c.body(reportHtml(report, locale), 200, HTML_HEADERS);
  })
  .post(routes.storeWeeklyReport.path, guard(routes.storeWeeklyReport), jsonBody(routes.storeWeeklyReport.body), async (c) => {
    const { store, clock } = c.var.deps;
    const stored = await writeTransaction(store, (tx) => storeWeeklyReport(tx, c.var.user, c.req.valid('json').week, clock.now().toISOString()));
    return c.json(stored satisfies StoredReport, 201);
  })
  .get(routes.reports.path, guard(routes.reports), async (c) => {
    return c.json({ reports: await listStoredReports(c.var.deps.store.db) } satisfies ReportsResponse, 200);
  })
  .get(routes.report.path, guard(routes.report), paramsOf(routes.report.params), queryOf(routes.report.query), async (c) => {
    const row = await readStoredReport(c.var.deps.store.db, c.req.valid('param').id);
    if (!row) return refuse(c, 404, 'not-found', 'noReport');
    const document = storedReportIn(row, await documentLocale(c));
    if (c.req.valid('query').format === 'csv') return c.body(document.csv, 200, csvHeaders(`headway-weekly-report_${row.week_start}.csv`));
    return c.body(document.html, 200, HTML_HEADERS);
  });
