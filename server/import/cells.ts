import type { z } from 'zod';
import { said, type Said } from '../../core/i18n';
import { importMessages } from './i18n';

const plainNumber = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A CSV cell as a number: plain digits with an optional decimal point, as spreadsheets export them. Thousands
 * separators and decimal commas are refused rather than guessed: "1,234" is 1234 in one locale and 1.234 in another.
 */
export function numberCell(text: string): number | null {
  const trimmed = text.trim();
  return plainNumber.test(trimmed) ? Number(trimmed) : null;
}

/** `field` names the column as the reader knows it: a field name, or field with its column (fieldName). */
export function notANumber(field: string | Said, text: string): Said {
  return said(importMessages, 'notANumber', { field, text });
}

/** A field with the file's column it was read from, when it was read from one: amount (column "Сумма"). */
export function fieldName(field: string, column: string | null | undefined): string | Said {
  return column ? said(importMessages, 'field.column', { field, column }) : field;
}

/** Several reasons of one row, each worded in the reader's language, one after the other. */
export function joined(reasons: readonly Said[]): Said {
  return { key: 'joined', params: {}, render: (locale) => reasons.map((reason) => reason.render(locale)).join('; ') };
}

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');

/**
 * zod's issues as reasons an importer acts on: which field (and column), what the cell held and what it should
 * hold, in the reader's language. zod's own English never reaches them.
 */
export function zodReason(error: z.ZodError, cells: Readonly<Record<string, unknown>>, columnOf: (field: string) => string | null | undefined = () => null): Said {
  return joined(
    error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const field = key === '' ? 'row' : fieldName(issue.path.join('.'), columnOf(key));
      const text = shown(cells[key]);
      switch (issue.code) {
        case 'invalid_value':
          return said(importMessages, 'zod.oneOf', { field, text, allowed: issue.values.map(shown).join(', ') });
        case 'too_small':
          if (issue.origin === 'string') return said(importMessages, 'zod.empty', { field });
          return said(importMessages, 'zod.below', { field, text, limit: Number(issue.minimum) });
        case 'too_big':
          if (issue.origin === 'string') return said(importMessages, 'zod.tooLong', { field, limit: Number(issue.maximum) });
          return said(importMessages, 'zod.above', { field, text, limit: Number(issue.maximum) });
        case 'invalid_format':
          for (const format of ['date', 'datetime', 'email', 'url'] as const) if (issue.format === format) return said(importMessages, `zod.${format}`, { field, text });
          if (key === 'currency') return said(importMessages, 'zod.currency', { field, text });
          return said(importMessages, 'zod.other', { field, text });
        default:
          return said(importMessages, 'zod.other', { field, text });
      }
    }),
  );
}
