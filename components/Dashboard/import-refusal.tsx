import { z } from 'zod';
import { ImportRowError } from '../../core/schema';
import { useFormats, useT } from '../locale';
import { rowErrorMessages } from './i18n';
import { ServerProblem } from './server';

/** Why a CSV import did not happen: the server's bad rows (each with its line), or a sentence to show. */
export type ImportRefusal = { kind: 'rows'; message: string; rows: ImportRowError[] } | { kind: 'problem'; message: string };

/** The plans and deals import dialogs read a failed request alike: a refused import lists its rows. */
export function importRefusal(error: unknown): ImportRefusal {
  const rows = error instanceof ServerProblem ? z.array(ImportRowError).safeParse(error.issues) : null;
  const message = error instanceof Error ? error.message : String(error);
  return rows?.success && rows.data.length > 0 ? { kind: 'rows', message, rows: rows.data } : { kind: 'problem', message };
}

/** Bad rows by line, and how many more the file has beyond those listed. */
export function RowErrors({ rows, more = 0 }: { rows: readonly ImportRowError[]; more?: number }) {
  const t = useT(rowErrorMessages);
  const format = useFormats();
  return (
    <ul class="hw-import-errors" data-testid="import-errors">
      {rows.map((row) => (
        <li key={`${row.line}-${row.reason}`}>
          <strong>{t('line', { line: row.line })}</strong> {row.reason}
        </li>
      ))}
      {more > 0 ? <li>{t('more', { more: format.digits(more) })}</li> : null}
    </ul>
  );
}
