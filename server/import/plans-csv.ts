import { PlanCreate, planCsvColumns, type ImportRowError, type Plan, type Settings, type User } from '../../core/schema';
import { planProblem } from '../plan/plans';
import { CsvSyntaxError } from '../../core/csv';
import { said, type Locale } from '../../core/i18n';
import { csvTable } from './csv-parser';
import { notANumber, numberCell, zodReason } from './cells';
import { importMessages } from './i18n';

export interface PlanCsvRow {
  line: number;
  input: PlanCreate;
  /** With `replace`: the stored plan for the same scope and period that this row overwrites. */
  replaces: Plan | null;
}

const required = ['kind', 'period', 'start', 'target', 'currency'] as const;

/**
 * Reads a plans CSV (columns kind, period, start, owner, target, currency, countTarget; owner is a manager's
 * e-mail, empty for the department) and checks every row against the stored plans and the rows above it.
 * Answers every bad row, not the first one only, so a head of sales fixes the file in one go.
 *
 * Without `replace` a row for a scope and period that already has a plan is a bad row; with it, the row is marked to
 * overwrite that plan. Two rows of the file for one scope and period are bad either way: which one should win?
 */
export function readPlansCsv(
  text: string,
  settings: Pick<Settings, 'fiscalYearStartMonth'>,
  users: readonly User[],
  existing: readonly Plan[],
  options: { replace: boolean; locale?: Locale } = { replace: false },
): { rows: PlanCsvRow[]; errors: ImportRowError[] } {
  const locale = options.locale ?? 'en';
  let table;
  try {
    table = csvTable(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { rows: [], errors: [{ line: error.line, reason: error.message.replace(/^line \d+: /, '') }] };
    throw error;
  }
  const known = new Set<string>(planCsvColumns);
  const unknown = table.headers.filter((name) => !known.has(name));
  const missing = required.filter((name) => !table.headers.includes(name));
  if (unknown.length > 0 || missing.length > 0) {
    const parts = [
      ...(missing.length > 0 ? [said(importMessages, 'planMissing', { names: missing.join(', ') }).render(locale)] : []),
      ...(unknown.length > 0 ? [said(importMessages, 'planUnknown', { names: unknown.join(', ') }).render(locale)] : []),
    ];
    return { rows: [], errors: [{ line: 1, reason: said(importMessages, 'planColumns', { problems: parts.join('; '), columns: planCsvColumns.join(', ') }).render(locale) }] };
  }

  const byId = new Map(users.map((user) => [user.id, user]));
  const byEmail = new Map(users.map((user) => [user.email, user]));
  const rows: PlanCsvRow[] = [];
  const errors: ImportRowError[] = [];
  // Rows already accepted count as "others" for the duplicate check, so two rows for one scope clash too.
  const others: (Pick<Plan, 'id' | 'kind' | 'period' | 'start' | 'ownerId'>)[] = options.replace ? [] : [...existing];
  for (const row of table.rows) {
    if (row.width !== table.headers.length) {
      errors.push({ line: row.line, reason: said(importMessages, 'fieldCount', { count: row.width, header: table.headers.length }).render(locale) });
      continue;
    }
    const cell = (name: string) => (row.values.get(name) ?? '').trim();
    const ownerEmail = cell('owner').toLowerCase();
    const owner = ownerEmail === '' ? null : byEmail.get(ownerEmail);
    if (owner === undefined) {
      errors.push({ line: row.line, reason: said(importMessages, 'ownerUnknown', { email: ownerEmail }).render(locale) });
      continue;
    }
    const target = numberCell(cell('target'));
    if (target === null) {
      errors.push({ line: row.line, reason: notANumber('target', cell('target')).render(locale) });
      continue;
    }
    const countTarget = cell('countTarget') === '' ? null : numberCell(cell('countTarget'));
    if (countTarget === null && cell('countTarget') !== '') {
      errors.push({ line: row.line, reason: notANumber('countTarget', cell('countTarget')).render(locale) });
      continue;
    }
    const given = {
      kind: cell('kind'),
      period: cell('period'),
      start: cell('start'),
      ownerId: owner?.id ?? null,
      target,
      currency: cell('currency').toUpperCase(),
      countTarget,
    };
    const parsed = PlanCreate.safeParse(given);
    if (!parsed.success) {
      errors.push({ line: row.line, reason: zodReason(parsed.error, given).render(locale) });
      continue;
    }
    const problem = planProblem(parsed.data, settings, byId, others);
    if (problem) {
      const inFile = /\(plan line \d+\)/.test(problem.message);
      const reason = problem.render(locale).replace(/\.$/, '').replace(/\(plan (line \d+)\)/, '($1 of this file)');
      errors.push({ line: row.line, reason: problem.code === 'duplicate_plan' && !inFile ? said(importMessages, 'orReplace', { reason }).render(locale) : reason });
      continue;
    }
    const input = parsed.data;
    const replaces = options.replace ? (existing.find((p) => p.kind === input.kind && p.period === input.period && p.start === input.start && p.ownerId === input.ownerId) ?? null) : null;
    rows.push({ line: row.line, input, replaces });
    others.push({ id: `line ${row.line}`, ...parsed.data });
  }
  return { rows, errors };
}
