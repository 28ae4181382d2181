import type { Context } from 'hono';
import type { DealImportResult, ImportRejected, ImportResult } from '../../core/schema';

/**
 * What a bad import says in its ApiError message: how many rows and the first few with their lines, so a client that
 * shows only the message (a script, curl) still tells the user where to look. `issues` carries every row.
 */
export function rejectedImport(result: ImportResult & Partial<Pick<DealImportResult, 'fileProblem' | 'moreErrors'>>): ImportRejected {
  const errors = result.errors;
  const total = errors.length + (result.moreErrors ?? 0);
  const first = errors.slice(0, 3).map((e) => `line ${e.line}: ${e.reason}`).join('; ');
  const more = total > 3 ? `; and ${total - 3} more` : '';
  const what = total === 1 ? '1 bad row' : `${total} bad rows`;
  return {
    error: 'import_rejected',
    // A problem of the whole file is said as such, not as a bad "line 1".
    message: result.fileProblem !== undefined
      ? `Nothing was imported: ${result.fileProblem}.`
      : `Nothing was imported: ${what} (${first}${more}). Fix the file and import it again.`,
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
  return c.json(rejectedImport(result), 400);
}
