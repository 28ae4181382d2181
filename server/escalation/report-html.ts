import { escalationWords, weeklyReportMessages } from '../../core/escalation/i18n';
import { WEEKLY_REPORT_STYLE, type WeeklyReport } from '../../core/escalation/weekly-report';
import { formatsOf, translator, type Locale } from '../../core/i18n';
import { html, raw } from '../http/html';

/**
 * A complete, printable HTML document in the reader's language, its figures, money and dates from core/i18n's one
 * formatting module. Built with hono/html's tagged template, so every text from the data is escaped; the document
 * runs no script. The extension's report page shows it under a CSP that allows exactly its one style block.
 */
export function reportHtml(report: WeeklyReport, locale: Locale = 'en'): string {
  const t = translator(weeklyReportMessages, locale);
  const words = escalationWords(locale);
  const f = formatsOf(locale);
  const cell = (value: string | number | null, numeric = false) => {
    const text = value === null ? '—' : typeof value === 'number' ? f.digits(value, 1) : value;
    return numeric ? html`<td class="num">${text}</td>` : html`<td>${text}</td>`;
  };
  const pct = (value: number | null) => (value === null ? null : t('percent', { value: f.digits(value, 1) }));
  const money = (n: number | null) => (n === null ? null : f.money(n, report.currency || undefined, 2));
  const lines = (rows: unknown[]) => rows.flatMap((row, index) => (index === 0 ? [row] : ['\n', row]));
  const title = t('title', { from: f.day(report.weekStart), to: f.day(report.weekEnd) });
  const managerRows = report.managers.map(
    (m) =>
      html`<tr class="flag-${m.loadFlag ?? 'none'}">${cell(m.managerName)}${cell(money(m.target), true)}${cell(money(m.actual), true)}${cell(pct(m.attainmentPct), true)}${cell(m.openDeals, true)}${cell(pct(m.loadPct), true)}${cell(m.loadFlag && t(`flag.${m.loadFlag}`))}${cell(m.notes, true)}</tr>`,
  );
  const e = report.escalations;
  const category = words.category;
  const categories = Object.entries(e.byCategory)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => html`<li>${category(name)}: ${f.digits(count)}</li>`);
  const waitingRows = e.waitingList.map(
    (w) =>
      html`<tr${w.overdue ? raw(' class="overdue"') : ''}>${cell(w.title)}${cell(category(w.category))}${cell(words.severity(w.severity))}${cell(words.status(w.status))}${cell(w.slaDue && f.dateTime(w.slaDue))}${cell(w.overdue ? t('overdue') : '')}</tr>`,
  );
  const summary = [
    t('opened', { count: e.opened }),
    t('resolved', { count: e.resolved, withinSla: e.resolvedWithinSla }),
    t('waiting', { count: e.waiting, overdue: e.overdue }),
  ].join(' ');
  const head = html`<th>${t('escalationTitle')}</th><th>${t('category')}</th><th>${t('severity')}</th><th>${t('status')}</th><th>${t('slaDue')}</th><th></th>`;
  const columns = (['manager', 'target', 'actual', 'attainment', 'openDeals', 'load', 'loadFlag', 'notes'] as const).map((key) => html`<th>${t(key)}</th>`);
  const document = html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${raw(WEEKLY_REPORT_STYLE)}</style>
</head>
<body>
<h1>${title}</h1>
<h2>${t('planAndLoad')}</h2>
<table>
<thead><tr>${columns}</tr></thead>
<tbody>
${lines(managerRows)}
</tbody>
<tfoot><tr>${cell(t('team'))}${cell(money(report.team.target), true)}${cell(money(report.team.actual), true)}${cell(pct(report.team.attainmentPct), true)}${cell(null)}${cell(null)}${cell(null)}${cell(report.team.notes, true)}</tr></tfoot>
</table>
<h2>${t('escalations')}</h2>
<p>${summary}</p>
${categories.length > 0 ? html`<ul>${categories}</ul>` : ''}
${waitingRows.length > 0 ? html`<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${lines(waitingRows)}\n</tbody>\n</table>` : html`<p>${t('nothingWaiting')}</p>`}
</body>
</html>
`;
  return document.toString();
}
