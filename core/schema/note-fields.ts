/**
 * The note's fields by kind, declared once. zod-free so the side panel's capture form (which loads without zod for
 * its first paint) takes them too; NoteContent (note.ts) is checked at compile time to have exactly these keys.
 */

/** Free text: trimmed, and a note with none of them, no figure and no date is empty. */
export const NOTE_TEXT_FIELDS = ['contact', 'text', 'asked', 'offered', 'objections', 'nextStep'] as const;
/** Amounts typed as text ("12 500,50") and read as numbers. */
export const NOTE_NUMBER_FIELDS = ['price', 'discountPct'] as const;
/** A day, YYYY-MM-DD. */
export const NOTE_DATE_FIELDS = ['nextStepDate'] as const;

/** Every field of a note's content, `side` (buyer or seller) first. */
export const NOTE_FIELDS = ['side', ...NOTE_TEXT_FIELDS, ...NOTE_NUMBER_FIELDS, ...NOTE_DATE_FIELDS] as const;
export type NoteField = (typeof NOTE_FIELDS)[number];
