import { describe, expect, it } from 'vitest';
import { reportCsv, weeklyReport, WeeklyReport } from '../../../core/escalation';
import { reportHtml } from '../../../server/escalation/report-html';
import { html } from '../../../server/http/html';
import { escalation } from './fixtures';

const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>';

// The server's HTML escapes through hono/html's template (server/http/html.ts), the report and the demo pages alike.
describe('HTML escaping', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['" onmouseover="alert(1)', '&quot; onmouseover=&quot;alert(1)'],
    ["it's & <b>", 'it&#39;s &amp; &lt;b&gt;'],
    ['&lt;', '&amp;lt;'],
    [42, '42'],
  ])('%j → %s', (input, output) => expect(html`${input}`.toString()).toBe(output));
});

// Week of Monday 2026-11-23.
const input = {
  weekStart: '2026-11-23',
  currency: 'EUR',
  progress: [
    { managerName: 'Maya Chen', target: 100_000, actual: 82_000, attainmentPct: 82 },
    { managerName: 'Omar Haddad', target: 100_000, actual: 121_000, attainmentPct: 121 },
    { managerName: XSS, target: 0, actual: 0, attainmentPct: null },
  ],
  load: [
    { managerName: 'Maya Chen', openDeals: 31, loadPct: 140 },
    { managerName: 'Omar Haddad', openDeals: 9, loadPct: 55 },
  ],
  notes: [
    { managerName: 'Maya Chen', notes: 12 },
    { managerName: 'Omar Haddad', notes: 4 },
    { managerName: 'Lea Novak', notes: 2 },
  ],
  escalations: [
    escalation({ id: 'a', createdAt: '2026-11-24T09:00:00.000Z', slaDue: '2026-11-25T18:00:00.000Z', title: XSS, severity: 'high' }),
    escalation({ id: 'b', createdAt: '2026-11-25T09:00:00.000Z', slaDue: '2026-12-02T18:00:00.000Z', category: 'decision', status: 'acknowledged' }),
    escalation({ id: 'c', createdAt: '2026-11-24T09:00:00.000Z', status: 'resolved', resolvedAt: '2026-11-26T10:00:00.000Z', updatedAt: '2026-12-03T10:00:00.000Z', slaDue: '2026-11-25T18:00:00.000Z' }),
    escalation({ id: 'f', createdAt: '2026-11-24T09:00:00.000Z', status: 'resolved', updatedAt: '2026-11-25T10:00:00.000Z', category: 'proposal' }),
    escalation({ id: 'd', createdAt: '2026-11-10T09:00:00.000Z', status: 'resolved', updatedAt: '2026-11-12T10:00:00.000Z' }),
    escalation({ id: 'e', createdAt: '2026-12-01T09:00:00.000Z' }),
  ],
};

describe('weeklyReport', () => {
  const report = weeklyReport(input);

  it('merges figures per manager, furthest behind plan first, with load flags', () => {
    expect(WeeklyReport.parse(report)).toEqual(report);
    expect(report.weekEnd).toBe('2026-11-29');
    expect(report.managers.map((m) => [m.managerName, m.attainmentPct, m.loadFlag, m.notes])).toEqual([
      ['Maya Chen', 82, 'overloaded', 12],
      ['Omar Haddad', 121, 'room', 4],
      [XSS, null, null, 0],
      ['Lea Novak', null, null, 2],
    ]);
    expect(report.team).toEqual({ target: 200_000, actual: 203_000, attainmentPct: 101.5, notes: 18 });
  });

  it('counts escalations of the week and those still waiting at its end', () => {
    expect(report.escalations).toMatchObject({ opened: 4, resolved: 2, resolvedWithinSla: 1, waiting: 2, overdue: 1, byCategory: { approval: 2, decision: 1, proposal: 1 } });
    expect(report.escalations.waitingList.map((w) => [w.title, w.overdue])).toEqual([
      [XSS, true],
      ['Approval needed: 20 % discount on Acme renewal', false],
    ]);
  });

  it('exports a CSV with a team row', () => {
    const csv = reportCsv(report);
    expect(csv.split('\r\n')[0]).toBe('manager,target,actual,attainment_pct,open_deals,load_pct,load_flag,notes');
    expect(csv).toContain('Maya Chen,100000,82000,82,31,140,overloaded,12\r\n');
    expect(csv).toContain('Team,200000,203000,101.5,,,,18\r\n');
  });

  it('renders a complete printable document in which script payloads stay text', () => {
    const html = reportHtml(report);
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('@media print');
    expect(html).toContain('<title>Sales weekly report, 23 Nov 2026 – 29 Nov 2026</title>');
    // Only the report's own markup is markup: every tag in the document is one the template writes.
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9!]+)/gi)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(['!doctype', 'body', 'h1', 'h2', 'head', 'html', 'li', 'meta', 'p', 'style', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'title', 'tr', 'ul']);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<td class="num">82 %</td>');
    expect(html).toContain('€100,000');
    expect(html).toContain('Resolved this week: 2 (1 within SLA).');
  });

  it('says so when nothing waits', () => {
    expect(reportHtml(weeklyReport({ ...input, escalations: [] }))).toContain('Nothing is waiting for an answer.');
  });

  it('is written in Russian for a Russian reader: its words, plural forms, money in roubles and dates (issue 17 §1)', () => {
    const december = weeklyReport({
      ...input,
      weekStart: '2026-12-07',
      currency: 'RUB',
      progress: [{ managerName: 'Анна Кузнецова', target: 1_234_567.89, actual: 617_283.95, attainmentPct: 50 }],
      escalations: [1, 2, 3, 4, 5].map((n) => escalation({ id: `e${n}`, createdAt: '2026-12-08T09:00:00.000Z', slaDue: null, category: 'approval' })),
    });
    const html = reportHtml(december, 'ru');
    expect(html.startsWith('<!doctype html>\n<html lang="ru">')).toBe(true);
    expect(html).toContain('<title>Еженедельный отчёт отдела продаж, 7 дек. 2026 – 13 дек. 2026</title>');
    expect(html).toContain('<td class="num">1\u00a0234\u00a0567,89\u00a0₽</td>');
    expect(html).toContain('<td class="num">50\u00a0%</td>');
    expect(html).toContain('<th>Выполнение плана</th>');
    expect(html).toContain('За неделю открыто 5 эскалаций.');
    expect(html).toContain('Ждут ответа 5, из них просрочено: 0.');
    expect(html).toContain('<li>согласование: 5</li>');
    expect(html).toContain('<td>перегружен</td>');
    expect(html).not.toMatch(/>(Team|Manager|Escalations|overloaded|Target)</);
    const one = weeklyReport({ ...input, escalations: [escalation({ id: 'x', createdAt: '2026-11-24T09:00:00.000Z', slaDue: null })] });
    expect(reportHtml(one, 'ru')).toContain('За неделю открыта 1 эскалация.');
    const two = weeklyReport({ ...input, escalations: ['x', 'y'].map((id) => escalation({ id, createdAt: '2026-11-24T09:00:00.000Z', slaDue: null })) });
    expect(reportHtml(two, 'ru')).toContain('За неделю открыто 2 эскалации.');

    const csv = reportCsv(december, 'ru').split('\r\n');
    expect(csv[0]).toBe('Менеджер,План,Факт,"Выполнение плана, %",Открытые сделки,"Загрузка, %",Оценка загрузки,Заметки');
    expect(csv).toContain('Maya Chen,,,,31,140,перегружен,12');
    expect(csv.find((line) => line.startsWith('Отдел,'))).toBe('Отдел,1234567.89,617283.95,50,,,,18');
  });
});
