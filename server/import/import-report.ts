import { groupDigitsRu } from '../../core/format/russian';
import { translator, type Locale } from '../../core/i18n';
import type { DealImportResult } from '../../core/schema';
import { refusalMessages } from '../refusal/i18n';

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

/** Why nothing was imported, as an admin reads it in a terminal (in their shell's language): a file problem as such, else every bad row. */
export function refusalLines(result: DealImportResult, locale: Locale = 'en'): string[] {
  const t = translator(refusalMessages, locale);
  const figure = (n: number) => (locale === 'ru' ? groupDigitsRu(n) : count(n));
  if (result.fileProblem !== undefined) return [t('importFileProblem', { problem: result.fileProblem })];
  const total = result.errors.length + result.moreErrors;
  // The plural form follows the number; the placeholder shows it grouped as the language writes it.
  const counted = (key: 'importBadRowsHeading' | 'importRowsNotListed', n: number) => t(key, { count: n }).replace(String(n), figure(n));
  return [
    counted('importBadRowsHeading', total),
    ...result.errors.map((e) => `  ${t('importRow', { line: e.line, reason: e.reason })}`),
    ...(result.moreErrors > 0 ? [`  ${counted('importRowsNotListed', result.moreErrors)}`] : []),
  ];
}
