import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConnectorProblem, ConnectorSettings, CrmId, type ConnectorProblemKind } from '../../core/schema';
import { readJson, writeJson } from '../store/json-column';
import type { CrmConnectionsTable } from '../store/tables';
import type { Tx } from '../store/transaction';
import type { CrmPipeline, ListPosition } from './types';

// The crm_connections table: one connection per CRM tenant, its sealed credential, settings, the CRM's pipelines
// as last read, the cursor, the sync under way, and the lease that lets one process at a time sync it.

/** The sync under way, committed with every page so a sync cut anywhere resumes where its last page ended. */
export const RunState = z.object({
  id: z.string(),
  full: z.boolean(),
  /** The modification time the listing started from (null: every deal). */
  since: z.string().nullable(),
  /** 'deals': listing changed deals; 'ids': listing ids only (reconciliation). */
  phase: z.enum(['deals', 'ids']),
  position: z.custom<ListPosition>((value) => value === null || (typeof value === 'object' && value !== null && 'pass' in value)).nullable(),
  /** Deals seen are marked (crm_seen), and those not seen are removed at the end. */
  marking: z.boolean(),
  startedAt: z.string(),
  fetched: z.number().int(),
  upserted: z.number().int(),
  removed: z.number().int(),
});
export type RunState = z.infer<typeof RunState>;

export interface Connection {
  id: string;
  instance: string;
  crm: CrmId;
  api: string;
  clientId: string | null;
  username: string | null;
  sealedSecret: string;
  settings: ConnectorSettings;
  pipelines: CrmPipeline[];
  cursor: string | null;
  run: RunState | null;
  reconciledAt: string | null;
  leaseOwner: string | null;
  leaseUntil: string | null;
  dueAt: string | null;
  lastSuccessAt: string | null;
  lastError: ConnectorProblem | null;
}

export function connectionFromRow(row: CrmConnectionsTable): Connection {
  return {
    id: row.id,
    instance: row.instance,
    crm: CrmId.parse(row.crm),
    api: row.api,
    clientId: row.client_id,
    username: row.username,
    sealedSecret: row.secret,
    settings: ConnectorSettings.parse(readJson(row.settings)),
    pipelines: readJson(row.pipelines) as CrmPipeline[],
    cursor: row.cursor,
    run: row.run === null ? null : RunState.parse(readJson(row.run)),
    reconciledAt: row.reconciled_at,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    dueAt: row.due_at,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error === null ? null : ConnectorProblem.parse(readJson(row.last_error)),
  };
}

export async function findConnection(db: Tx, instance: string): Promise<Connection | null> {
  const row = await db.selectFrom('crm_connections').selectAll().where('instance', '=', instance).executeTakeFirst();
  return row ? connectionFromRow(row) : null;
}

export async function connectionById(db: Tx, id: string): Promise<Connection | null> {
  const row = await db.selectFrom('crm_connections').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? connectionFromRow(row) : null;
}

export async function listConnections(db: Tx): Promise<Connection[]> {
  return (await db.selectFrom('crm_connections').selectAll().orderBy('instance').execute()).map(connectionFromRow);
}

/**
 * The connection serving a record's tenant, if any: such a tenant's deals come from its connector alone.
 * Until records carry their tenant (`instance`), a connection serves every record of its CRM.
 */
export async function connectionForRecord(db: Tx, record: { crm: string; instance?: string | null }): Promise<Connection | null> {
  let query = db.selectFrom('crm_connections').selectAll().where('crm', '=', record.crm);
  if (record.instance) query = query.where('instance', '=', record.instance);
  const row = await query.orderBy('instance').executeTakeFirst();
  return row ? connectionFromRow(row) : null;
}

export interface ConnectionInput {
  instance: string;
  /** SHA-256 of a new hook secret; kept as it is when the connection exists. */
  hookSecretHash: string;
  crm: CrmId;
  api: string;
  clientId: string | null;
  username: string | null;
  sealedSecret: string;
  pipelines: CrmPipeline[];
}

/**
 * Adds a connection, or gives an existing one (same tenant) the new credential. The cursor and settings of an
 * existing one stay: connecting again with a new password must not make the next sync a full one.
 */
export async function saveConnection(db: Tx, input: ConnectionInput, now: string): Promise<{ connection: Connection; created: boolean }> {
  const existing = await findConnection(db, input.instance);
  const fields = {
    crm: input.crm,
    api: input.api,
    client_id: input.clientId,
    username: input.username,
    secret: input.sealedSecret,
    pipelines: writeJson(input.pipelines),
    last_error: null,
    updated_at: now,
  };
  if (existing) {
    await db.updateTable('crm_connections').set(fields).where('id', '=', existing.id).execute();
  } else {
    await db
      .insertInto('crm_connections')
      .values({
        id: randomUUID(), instance: input.instance, hook_secret_hash: input.hookSecretHash, ...fields, settings: writeJson(ConnectorSettings.parse({})), cursor: null, run: null,
        reconciled_at: null, lease_owner: null, lease_until: null, due_at: now, last_success_at: null, created_at: now,
      })
      .execute();
  }
  return { connection: (await findConnection(db, input.instance))!, created: existing === null };
}

/**
 * Stores a secret the CRM rotated, in place of the one it was renewed from and only of that one: a `crm connect`
 * that gave a new credential meanwhile wins. One conditional UPDATE, committed on its own (never inside a page's
 * transaction, which may roll back after the CRM has already spent the old token). Answers whether it replaced it.
 */
export async function replaceSecret(db: Tx, id: string, fromSealed: string, toSealed: string, now: string): Promise<boolean> {
  const result = await db.updateTable('crm_connections').set({ secret: toSealed, updated_at: now }).where('id', '=', id).where('secret', '=', fromSealed).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function saveSettings(db: Tx, id: string, settings: ConnectorSettings, now: string): Promise<void> {
  await db.updateTable('crm_connections').set({ settings: writeJson(ConnectorSettings.parse(settings)), updated_at: now }).where('id', '=', id).execute();
}

export function problem(kind: ConnectorProblemKind, message: string, at: string): string {
  return writeJson(ConnectorProblem.parse({ kind, message, at }));
}

/** Asks for a sync as soon as a process is free (a CRM hook, a page capture, an admin). */
export async function markDue(db: Tx, id: string, now: string): Promise<void> {
  await db.updateTable('crm_connections').set({ due_at: now }).where('id', '=', id).execute();
}
