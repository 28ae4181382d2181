import type { CounterpartySide, NoteContent } from '../../core/schema';
import { NOTE_FIELDS, NOTE_TEXT_FIELDS, type NoteField } from '../../core/schema/note-fields';
import { translator, type Locale } from '../../core/i18n';
import type { FieldProblem } from '../../extension/sync/messages';
import { notesMessages } from '../../extension/sync/i18n';

/**
 * The capture form as the user types it: every field a string, so a half-typed price survives a draft
 * round trip. Converted to NoteContent on save; the background then checks it with the core schema.
 * Zod-free on purpose: this runs in the content script (see extension/protocol.ts).
 */
export type NoteFormValues = { side: CounterpartySide } & Record<Exclude<NoteField, 'side'>, string>;

export const EMPTY_FORM: NoteFormValues = { side: 'buyer', ...Object.fromEntries(NOTE_FIELDS.slice(1).map((field) => [field, ''])) } as NoteFormValues;

/** Each field's label, in the reader's language: the catalogue's key is the field's name. */
export const fieldLabel = (field: keyof NoteFormValues, locale: Locale = 'en'): string => translator(notesMessages, locale)(field);

const isField = (field: string): field is keyof NoteFormValues => field in EMPTY_FORM;

/** "12 500,50", "12,500.50" and "12500.5" all mean the same amount; anything else is not a number. */
export function parseAmount(input: string): number | null {
  let value = input.replace(/[\s_'\u00a0\u202f]/g, '');
  if (value === '') return null;
  value = value.includes('.') ? value.replace(/,/g, '') : value.replace(',', '.');
  if (!/^-?\d*\.?\d+$/.test(value)) return Number.NaN;
  return Number(value);
}

/** Form values → note content; problems for what is not even a number or a date. Empty fields are left out. */
export function toContent(values: NoteFormValues, locale: Locale = 'en'): { content: Partial<NoteContent>; problems: FieldProblem[] } {
  const content: Partial<NoteContent> = { side: values.side, text: values.text.trim() };
  const problems: FieldProblem[] = [];
  const t = translator(notesMessages, locale);
  for (const key of NOTE_TEXT_FIELDS) {
    const trimmed = values[key].trim();
    if (trimmed && key !== 'text') content[key] = trimmed;
  }
  const price = parseAmount(values.price);
  if (price !== null && Number.isNaN(price)) problems.push({ field: 'price', message: t('priceNotNumber') });
  else if (price !== null) content.price = price;
  const discount = parseAmount(values.discountPct.replace('%', ''));
  if (discount !== null && Number.isNaN(discount)) problems.push({ field: 'discountPct', message: t('discountNotNumber') });
  else if (discount !== null) content.discountPct = discount;
  if (values.nextStepDate) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(values.nextStepDate)) content.nextStepDate = values.nextStepDate;
    else problems.push({ field: 'nextStepDate', message: t('pickDate') });
  }
  return { content, problems };
}

/** A stored note back into the form, for editing. */
export function fromNote(note: Partial<NoteContent>): NoteFormValues {
  const values: NoteFormValues = { ...EMPTY_FORM, side: note.side ?? 'buyer' };
  for (const field of NOTE_FIELDS) {
    if (field !== 'side' && note[field] !== undefined) values[field] = String(note[field]);
  }
  return values;
}

/** A draft read back from storage: only known string fields survive, so a damaged entry cannot break the form. */
export function parseFormValues(value: unknown): NoteFormValues | null {
  if (typeof value !== 'object' || value === null) return null;
  const raw = value as Record<string, unknown>;
  const values = { ...EMPTY_FORM };
  for (const key of Object.keys(EMPTY_FORM) as (keyof NoteFormValues)[]) {
    if (key === 'side') values.side = raw.side === 'seller' ? 'seller' : 'buyer';
    else if (typeof raw[key] === 'string') values[key] = (raw[key] as string).slice(0, 20_000);
  }
  return values;
}

/** The message shown next to a field, with its label so it reads on its own in the summary too. */
export function problemText(problem: FieldProblem, locale: Locale = 'en'): string {
  if (!isField(problem.field)) return problem.message;
  return translator(notesMessages, locale)('problemOf', { label: fieldLabel(problem.field, locale), message: problem.message });
}
