import type { Entity } from '../schema/change';
import type { RecordRef } from '../schema/common';
import { NoteContent } from '../schema/note';
import { MutationArgs, type MutationName } from '../schema/sync';
import { CachedNote, type EntityRow, type OutboxEntry } from './records';

/**
 * Optimistic application of mutations to the local entity cache. Pure functions: the outbox calls
 * them inside its IndexedDB transactions, and they are replayed over fresh server state after a pull
 * so local edits that the server has not seen yet stay visible.
 */

export type EntityKey = { entity: Entity; entityId: string };

/** `crm|instance|recordType|crmId` — the key the sidebar looks notes up by (one record of one tenant). */
export function recordKey(record: Pick<RecordRef, 'crm' | 'recordType' | 'crmId'> & { instance: string | null }): string {
  return `${record.crm}|${record.instance ?? ''}|${record.recordType}|${record.crmId}`;
}

/**
 * Which cached entity a mutation changes. deal.capture has none: the server assigns deal ids and
 * merges captured fields with imported ones, so the deal reaches the cache with the next pull.
 */
export function mutationTarget(name: MutationName, args: unknown): EntityKey | null {
  switch (name) {
    case 'note.create':
    case 'note.update':
    case 'note.delete': {
      const id = idOf(args);
      return id === null ? null : { entity: 'note', entityId: id };
    }
    case 'escalation.create': {
      const id = idOf(args);
      return id === null ? null : { entity: 'escalation', entityId: id };
    }
    case 'deal.capture':
      return null;
  }
}

function idOf(args: unknown): string | null {
  if (typeof args === 'object' && args !== null && 'id' in args && typeof args.id === 'string') return args.id;
  return null;
}

const noteContentKeys = NoteContent.keyof().options;

/**
 * The entity as the server will most likely hold it after `name(args)`, predicted from `current`.
 * `at` is the mutation's own timestamp so replaying it gives the same result every time.
 * Returns `current` unchanged when the mutation cannot be applied (e.g. an edit of an unknown note).
 */
export function applyMutation(current: unknown, name: MutationName, rawArgs: unknown, at: string): unknown {
  switch (name) {
    case 'note.create': {
      const args = MutationArgs['note.create'].parse(rawArgs);
      const note: CachedNote = {
        ...args,
        authorId: null,
        updatedAt: at,
        version: 1,
        deletedAt: null,
        // Whether a connector writes it to the CRM is the server's to say (it arrives with the next pull).
        crmCopy: null,
      };
      return note;
    }
    case 'note.update': {
      const args = MutationArgs['note.update'].parse(rawArgs);
      const prev = CachedNote.safeParse(current);
      if (!prev.success) return current;
      // The content is replaced as a whole, so structured fields the user cleared must go too.
      const kept: Record<string, unknown> = { ...prev.data };
      for (const key of noteContentKeys) delete kept[key];
      // The server bumps the version on every accepted edit; predicting it lets a second offline
      // edit carry the base version the server will expect.
      return { ...kept, ...args.content, version: args.baseVersion + 1, updatedAt: at };
    }
    case 'note.delete': {
      const args = MutationArgs['note.delete'].parse(rawArgs);
      const prev = CachedNote.safeParse(current);
      if (!prev.success) return current;
      return { ...prev.data, deletedAt: at, updatedAt: at, version: args.baseVersion + 1 };
    }
    case 'escalation.create': {
      const args = MutationArgs['escalation.create'].parse(rawArgs);
      return {
        ...args,
        fromId: null,
        status: 'open',
        slaDue: null,
        decision: null,
        comments: [],
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
    }
    case 'deal.capture':
      return current;
  }
}

/** The denormalised fields the `entities` indexes read; absent fields keep a row out of an index. */
export function indexFields(entity: Entity, data: unknown): Pick<EntityRow, 'noteRecordKey' | 'noteNextStepDate'> {
  if (entity !== 'note') return {};
  const note = CachedNote.safeParse(data);
  if (!note.success) return {};
  const fields: Pick<EntityRow, 'noteRecordKey' | 'noteNextStepDate'> = {};
  if (note.data.record) fields.noteRecordKey = recordKey(note.data.record);
  if (note.data.nextStepDate && note.data.deletedAt === null) fields.noteNextStepDate = note.data.nextStepDate;
  return fields;
}

/**
 * Recompute what the UI shows: `base` with `stillPending` (ascending outbox entries of this entity)
 * applied in order. Returns null when nothing is left to show or remember, so the row can be deleted.
 */
export function rebuildRow(
  key: EntityKey,
  base: unknown,
  version: number,
  stillPending: readonly OutboxEntry[],
): EntityRow | null {
  let data: unknown = base;
  for (const entry of stillPending) data = applyMutation(data, entry.name, entry.args, entry.createdAt);
  if (data === null && stillPending.length === 0) return null;
  return {
    entity: key.entity,
    entityId: key.entityId,
    version,
    base,
    data,
    pending: stillPending.map((entry) => entry.mutationId),
    ...indexFields(key.entity, data),
  };
}
