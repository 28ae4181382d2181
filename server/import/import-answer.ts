import type { Context } from 'hono';
import { translator, type Locale } from '../../core/i18n';
import type { DealImportResult, ImportRejected, ImportResult } from '../../core/schema';
import { requestLocale } from '../http/errors';
import { refusalMessages } from '../refusal/i18n';

/**
 * What a bad import says in its ApiError message: how many rows and the first few with their lines, so a client that
 * shows only the message (a script, curl) still tells the user where to look. `issues` carries every row.
 */
export function rejectedImport(result: ImportResult & Partial<Pick<DealImportResult, 'fileProblem' | 'moreErrors'>>, locale: Locale = 'en'): ImportRejected {
  const t = translator(refusalMessages, locale);
  const errors = result.errors;
  const total = errors.length + (result.moreErrors ?? 0);
  // The rows' reasons were worded in this same language when the import read them (importDeals' locale).
  const first = errors.slice(0, 3).map((e) => t('importRow', { line: e.line, reason: e.reason })).join('; ');
  return {
    error: 'import_rejected',
    // A problem of the whole file is said as such, not as a bad "line 1".
    message: result.fileProblem !== undefined
      ? t('importFileProblem', { problem: result.fileProblem })
      : total > 3
        ? t('importBadRowsMore', { count: total, first, more: total - 3 })
        : t('importBadRows', { count: total, first }),
    issues: errors as ImportRejected['issues'],
    rows: result.rows,
  };
}

/**
 * The one answer rule of both CSV import routes: a report (200) for a dry run, good or bad, and for a done import;
 * a 400 ApiError listing every bad row when an import was refused (then nothing was written).
 */
export function importAnswer(c: Context, result: ImportResult) {
  if (result.ok || result.dryRun) return c.json(result, 200);
  return c.json(rejectedImport(result, requestLocale(c)), 400);
}
