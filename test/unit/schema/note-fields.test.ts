import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NoteContent } from '../../../core/schema';
import { NOTE_DATE_FIELDS, NOTE_FIELDS, NOTE_NUMBER_FIELDS, NOTE_TEXT_FIELDS } from '../../../core/schema/note-fields';
import { EMPTY_FORM, fromNote } from '../../../components/Notes/form-model';

// The note's fields are listed once by kind (core/schema/note-fields.ts); the schema, the capture form and the
// background's empty-note check all take them from there. These fail when one of them drifts from the schema.
describe('the note’s fields', () => {
  const shape = NoteContent.shape;
  const inner = (field: keyof typeof shape) => {
    let schema: z.ZodType = shape[field];
    while (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) schema = schema.unwrap() as z.ZodType;
    return schema;
  };

  it('are exactly the schema’s, each once', () => {
    expect([...NOTE_FIELDS].sort()).toEqual(Object.keys(shape).sort());
    expect(new Set(NOTE_FIELDS).size).toBe(NOTE_FIELDS.length);
  });

  it('are listed by the kind the schema gives them', () => {
    for (const field of NOTE_TEXT_FIELDS) expect(inner(field), field).toBeInstanceOf(z.ZodString);
    for (const field of NOTE_NUMBER_FIELDS) expect(inner(field), field).toBeInstanceOf(z.ZodNumber);
    for (const field of NOTE_DATE_FIELDS) expect(NoteContent.shape[field].safeParse('2026-12-08').success && !NoteContent.shape[field].safeParse('8 Dec').success, field).toBe(true);
  });

  it('are every field of the capture form, which writes a stored note back field for field', () => {
    expect(Object.keys(EMPTY_FORM).sort()).toEqual([...NOTE_FIELDS].sort());
    const note = NoteContent.parse({ side: 'seller', contact: 'Dana', text: 't', asked: 'a', offered: 'o', price: 12500.5, discountPct: 5, objections: 'x', nextStep: 'call', nextStepDate: '2026-12-08' });
    expect(fromNote(note)).toEqual({ side: 'seller', contact: 'Dana', text: 't', asked: 'a', offered: 'o', price: '12500.5', discountPct: '5', objections: 'x', nextStep: 'call', nextStepDate: '2026-12-08' });
  });
});
