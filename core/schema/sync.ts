import { z } from 'zod';
import { Id, IsoDateTime, RecordRef } from './common';
import { DealFields } from './deal';
import { EscalationInput } from './escalation';
import { NoteContent } from './note';
import { Change } from './change';

/**
 * Every change a client makes travels as a named mutation. The server re-parses `args` with these
 * same schemas, so a client can never smuggle in what the UI would not have let through.
 */
export const MutationArgs = {
  'note.create': NoteContent.extend({
    id: Id,
    record: RecordRef.nullable(),
    recordTitle: z.string().max(500).nullable().default(null),
    createdAt: IsoDateTime,
  }),
  'note.update': z.object({ id: Id, baseVersion: z.number().int().min(1), content: NoteContent }),
  'note.delete': z.object({ id: Id, baseVersion: z.number().int().min(1) }),
  'deal.capture': z.object({ record: RecordRef, fields: DealFields, url: z.string().max(2000).nullable().default(null) }),
  'escalation.create': EscalationInput,
} as const;

export const MutationName = z.enum(Object.keys(MutationArgs) as [keyof typeof MutationArgs, ...(keyof typeof MutationArgs)[]]);
export type MutationName = z.infer<typeof MutationName>;
export type MutationArgsOf<N extends MutationName> = z.infer<(typeof MutationArgs)[N]>;

/** Arguments stay `unknown` in the envelope: one bad mutation must be recorded as failed, not reject the batch. */
export const Mutation = z.object({
  mutationId: z.number().int().min(1),
  name: z.string().min(1).max(100),
  args: z.unknown(),
});
export type Mutation = z.infer<typeof Mutation>;

export const ClientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a client id of 8 to 64 letters, digits, - or _');

export const PushRequest = z.object({
  clientId: ClientId,
  mutations: z.array(Mutation).min(1).max(500),
});
export type PushRequest = z.infer<typeof PushRequest>;

export const MutationResult = z.object({
  mutationId: z.number().int(),
  ok: z.boolean(),
  /** Present when ok is false: why the server refused it (validation, conflict, forbidden). */
  error: z.object({ code: z.enum(['invalid', 'conflict', 'forbidden', 'not-found', 'unknown-mutation']), message: z.string() }).optional(),
});
export type MutationResult = z.infer<typeof MutationResult>;

export const PushResponse = z.object({
  /** Highest mutation id the server has processed for this client; everything at or below it may leave the outbox. */
  lastMutationId: z.number().int().min(0),
  results: z.array(MutationResult),
});
export type PushResponse = z.infer<typeof PushResponse>;

export const PullQuery = z.object({
  cursor: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});
export type PullQuery = z.infer<typeof PullQuery>;

export const PullResponse = z.object({
  changes: z.array(Change),
  cursor: z.number().int().min(0),
  /** True when more changes wait beyond `limit`; the client pulls again at once. */
  more: z.boolean(),
});
export type PullResponse = z.infer<typeof PullResponse>;
