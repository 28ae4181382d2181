import type { MutationArgsOf, MutationName } from '../../../core/schema';
import type { MutationHandler } from './context';
import { captureDeal } from './deals';
import { createEscalation } from './escalations';
import { createNote, deleteNote, updateNote } from './notes';

/** One handler per mutation name in core/schema/sync.ts; the type makes a missing one a compile error. */
export const mutationHandlers: { [N in MutationName]: MutationHandler<MutationArgsOf<N>> } = {
  'note.create': createNote,
  'note.update': updateNote,
  'note.delete': deleteNote,
  'deal.capture': captureDeal,
  'escalation.create': createEscalation,
};
