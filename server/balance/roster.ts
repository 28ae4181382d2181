import { RosterUpdate, type User } from '../../core/schema';
import { writeJson } from '../store/json-column';
import type { Tx } from '../store/transaction';
import { findUserById } from '../store/users';
import type { UsersTable } from '../store/tables';

/**
 * What load balancing needs from the roster: capacity, segments served, absences, team, CRM identities. Fields
 * absent from `update` are kept. Parsed again here so the route and the CLI get the same checks.
 * Returns undefined for an unknown user. No change-log entry: load views are computed on request, not pulled.
 */
export async function updateRoster(tx: Tx, userId: string, update: RosterUpdate): Promise<User | undefined> {
  const parsed = RosterUpdate.parse(update);
  const set: Partial<UsersTable> = {};
  if (parsed.team !== undefined) set.team = parsed.team;
  if (parsed.capacity !== undefined) set.capacity = parsed.capacity;
  if (parsed.segments !== undefined) set.segments = writeJson(parsed.segments);
  if (parsed.absences !== undefined) set.absences = writeJson(parsed.absences);
  if (parsed.crmIdentities !== undefined) set.crm_identities = writeJson(parsed.crmIdentities);
  const result = await tx.updateTable('users').set(set).where('id', '=', userId).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findUserById(tx, userId);
}
