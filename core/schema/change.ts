import { z } from 'zod';
import { Id } from './common';

export const Entity = z.enum(['deal', 'note', 'plan', 'escalation', 'user', 'config', 'move']);
export type Entity = z.infer<typeof Entity>;

/** One row of the server's append-only change log; clients pull these in `seq` order. */
export const Change = z.object({
  seq: z.number().int().min(1),
  entity: Entity,
  entityId: Id,
  version: z.number().int().min(0),
  /** The entity as it now is, or null when it was removed from this reader's view. */
  data: z.unknown().nullable(),
});
export type Change = z.infer<typeof Change>;
