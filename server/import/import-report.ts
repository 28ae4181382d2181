import type { DealImportResult } from '../../core/schema';

const count = (n: number) => n.toLocaleString('en-US');

/** The preview as lines: each previewed field, then each distinct value, what it becomes and on how many rows. */
export function previewLines(result: DealImportResult): string[] {
  const lines: string[] = [];
  for (const field of result.preview) {
    lines.push(field.column === null ? `${field.field} (set for every row)` : `${field.field} ← column "${field.column}"`);
    const width = Math.min(30, Math.max(...field.values.map((value) => value.source.length + 2), 11));
    for (const value of field.values) {
      const source = (field.column === null ? '(every row)' : value.source === '' ? '(empty)' : `"${value.source}"`).padEnd(width);
      const becomes = value.error === undefined ? value.becomes : `✗ ${value.error}`;
      lines.push(`  ${source} → ${becomes}  (${count(value.rows)} row${value.rows === 1 ? '' : 's'})`);
    }
    if (field.moreValues > 0) lines.push(`  … and ${count(field.moreValues)}${field.moreValues >= 500 ? '+' : ''} more distinct values`);
  }
  return lines;
}

/** Why nothing was imported, as an admin reads it in a terminal: a file problem as such, else every bad row. */
export function refusalLines(result: DealImportResult): string[] {
  if (result.fileProblem !== undefined) return [`Nothing was imported: ${result.fileProblem}.`];
  const total = result.errors.length + result.moreErrors;
  return [
    `Nothing was imported; ${count(total)} bad row${total === 1 ? '' : 's'}:`,
    ...result.errors.map((e) => `  line ${e.line}: ${e.reason}`),
    ...(result.moreErrors > 0 ? [`  … and ${count(result.moreErrors)} more bad rows not listed`] : []),
  ];
}
