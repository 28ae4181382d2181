import type { Context } from 'hono';
import type { ImportRejected, ImportResult } from '../../core/schema';

/**
 * What a bad import says in its ApiError message: how many rows and the first few with their lines, so a client that
 * shows only the message (a script, curl) still tells the user where to look. `issues` carries every row.
 */
export function rejectedImport(result: ImportResult): ImportRejected {
  const errors = result.errors;
  const first = errors.slice(0, 3).map((e) => `line ${e.line}: ${e.reason}`).join('; ');
  const more = errors.length > 3 ? `; and ${errors.length - 3} more` : '';
  const what = errors.length === 1 ? '1 bad row' : `${errors.length} bad rows`;
  return {
    error: 'import_rejected',
    message: `Nothing was imported: ${what} (${first}${more}). Fix the file and import it again.`,
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
