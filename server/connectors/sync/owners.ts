import type { User } from '../../../core/schema';
import { listUsers } from '../../store/users';
import type { Tx } from '../../store/transaction';
import type { Connection } from '../connections';
import type { CrmUser } from '../types';

// Deal owners: a CRM user is a Headway user when one of the user's CRM identities names that CRM user id, else when
// their e-mail addresses are the same. Nobody configures this; an owner that matches no one stays unmapped (the deal
// keeps the CRM's name as its owner label, and `crm status` lists such owners).

export interface OwnerBook {
  ownerOf(crmUserId: string | null, crmName: string | null): { userId: string | null; label: string | null };
  /** CRM users matching no Headway user. */
  unmapped(): CrmUser[];
  /** The CRM user id of a Headway user (note authors, move targets), if known. */
  crmIdOf(userId: string): string | null;
}

const lower = (value: string | undefined | null) => value?.trim().toLowerCase() ?? '';

export function ownerBook(connection: Pick<Connection, 'crm'>, crmUsers: readonly CrmUser[], users: readonly User[]): OwnerBook {
  const byIdentity = new Map<string, User[]>();
  const byEmail = new Map<string, User[]>();
  const add = (map: Map<string, User[]>, key: string, user: User) => {
    if (!key) return;
    const list = map.get(key) ?? [];
    if (!list.includes(user)) list.push(user);
    map.set(key, list);
  };
  for (const user of users) {
    add(byEmail, lower(user.email), user);
    for (const identity of user.crmIdentities) {
      if (identity.crm !== connection.crm) continue;
      add(byIdentity, lower(identity.ownerId), user);
      add(byEmail, lower(identity.email), user);
    }
  }
  // Two Headway users answering to one CRM user is ambiguous: nobody is chosen (as mapOwner does for page labels).
  const only = (list: User[] | undefined) => (list && list.length === 1 ? list[0]! : null);
  const mapped = new Map<string, User | null>();
  for (const crmUser of crmUsers) {
    mapped.set(crmUser.crmId, only(byIdentity.get(lower(crmUser.crmId))) ?? (crmUser.email ? only(byEmail.get(lower(crmUser.email))) : null));
  }
  const names = new Map(crmUsers.map((user) => [user.crmId, user.name]));
  return {
    ownerOf(crmUserId, crmName) {
      if (crmUserId === null) return { userId: null, label: null };
      const user = mapped.get(crmUserId) ?? only(byIdentity.get(lower(crmUserId)));
      return { userId: user?.id ?? null, label: crmName ?? names.get(crmUserId) ?? user?.name ?? crmUserId };
    },
    unmapped: () => crmUsers.filter((user) => !mapped.get(user.crmId)),
    crmIdOf(userId) {
      for (const [crmId, user] of mapped) if (user?.id === userId) return crmId;
      return null;
    },
  };
}

export async function readCrmUsers(db: Tx, connectionId: string): Promise<CrmUser[]> {
  const rows = await db.selectFrom('crm_users').selectAll().where('connection_id', '=', connectionId).orderBy('crm_user_id').execute();
  return rows.map((row) => ({ crmId: row.crm_user_id, name: row.name, email: row.email, active: row.active === 1 }));
}

/** Replaces the stored copy of the CRM's users (a few hundred rows at most). */
export async function saveCrmUsers(tx: Tx, connectionId: string, crmUsers: readonly CrmUser[]): Promise<void> {
  await tx.deleteFrom('crm_users').where('connection_id', '=', connectionId).execute();
  for (let start = 0; start < crmUsers.length; start += 200) {
    await tx
      .insertInto('crm_users')
      .values(crmUsers.slice(start, start + 200).map((user) => ({ connection_id: connectionId, crm_user_id: user.crmId, name: user.name, email: user.email, active: user.active ? 1 : 0 })))
      .execute();
  }
}

export async function loadOwnerBook(db: Tx, connection: Connection): Promise<OwnerBook> {
  return ownerBook(connection, await readCrmUsers(db, connection.id), await listUsers(db));
}
