import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, StoredRecordRef } from './common';
import { NoteCrmCopy } from './connector';
import type { NoteField } from './note-fields';

export const CounterpartySide = z.enum(['buyer', 'seller']);
export type CounterpartySide = z.infer<typeof CounterpartySide>;

const shortText = z.string().max(2000);

/** What the user types into the capture form; every structured field is optional. */
export const NoteContent = z.object({
  side: CounterpartySide,
  contact: z.string().max(300).optional(),
  text: z.string().max(20_000).default(''),
  asked: shortText.optional(),
  offered: shortText.optional(),
  price: z.number().finite().min(0).max(1e13).optional(),
  discountPct: z.number().min(0).max(100).optional(),
  objections: shortText.optional(),
  nextStep: shortText.optional(),
  nextStepDate: IsoDate.optional(),
});
export type NoteContent = z.infer<typeof NoteContent>;
// NoteContent's keys are exactly the fields note-fields.ts lists by kind: a field added to one and not the other
// fails the compile here.
const sameFields: [keyof NoteContent, NoteField] extends [NoteField, keyof NoteContent] ? true : never = true;
void sameFields;

export const Note = NoteContent.extend({
  id: Id,
  /** null = a note captured on a page that is not a record. */
  record: StoredRecordRef.nullable(),
  recordTitle: z.string().max(500).nullable(),
  authorId: Id,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: z.number().int().min(1),
  deletedAt: IsoDateTime.nullable(),
  /** Where the note stands in the CRM of record, when a connector writes it there (null: no connector). */
  crmCopy: NoteCrmCopy.nullable().default(null),
});
export type Note = z.infer<typeof Note>;
