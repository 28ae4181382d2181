import { randomUUID } from 'node:crypto';
import { User, UserInput, UserLocale, type Role } from '../../core/schema';
import { readJson, writeJson } from './json-column';
import type { Tx } from './transaction';
import type { UsersTable } from './tables';

export function userFromRow(row: Omit<UsersTable, 'disabled_at'>): User {
  return User.parse({
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    team: row.team,
    capacity: row.capacity,
    segments: readJson(row.segments),
    absences: readJson(row.absences),
    crmIdentities: readJson(row.crm_identities),
    createdAt: row.created_at,
    // A value a later version may write and this one does not speak reads as none set, not as a broken user.
    locale: UserLocale.safeParse(row.locale).data ?? null,
  });
}

export class EmailTakenError extends Error {
  constructor(email: string) {
    super(`A user with the e-mail ${email} already exists.`);
  }
}

/** Creates a user; `input` is parsed again here so every path (CLI, seed, API) gets the same checks. */
export async function createUser(db: Tx, input: UserInput, createdAt: string, id: string = randomUUID()): Promise<User> {
  const parsed = UserInput.parse(input);
  const email = parsed.email.toLowerCase();
  if (await findUserByEmail(db, email)) throw new EmailTakenError(email);
  const row: UsersTable = {
    id,
    name: parsed.name,
    email,
    role: parsed.role,
    team: parsed.team,
    capacity: parsed.capacity,
    segments: writeJson(parsed.segments),
    absences: writeJson(parsed.absences),
    crm_identities: writeJson(parsed.crmIdentities),
    created_at: createdAt,
    disabled_at: null,
    locale: null,
  };
  await db.insertInto('users').values(row).execute();
  return userFromRow(row);
}

export async function findUserByEmail(db: Tx, email: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  return row && userFromRow(row);
}

export async function findUserById(db: Tx, id: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && userFromRow(row);
}

export async function listUsers(db: Tx): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('name').orderBy('id').execute();
  return rows.map(userFromRow);
}

export async function listUsersByRole(db: Tx, role: Role): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().where('role', '=', role).orderBy('id').execute();
  return rows.map(userFromRow);
}

export interface PersonStatus {
  user: User;
  disabledAt: string | null;
  /** Device tokens not revoked. */
  devices: number;
}

/** Everyone, active or disabled, with how many devices each still has paired (`user list`). */
export async function listPeople(db: Tx): Promise<PersonStatus[]> {
  const rows = await db
    .selectFrom('users')
    .selectAll('users')
    .select((eb) =>
      eb
        .selectFrom('device_tokens')
        .select((inner) => inner.fn.countAll<number | string>().as('n'))
        .whereRef('device_tokens.user_id', '=', 'users.id')
        .where('device_tokens.revoked_at', 'is', null)
        .as('devices'),
    )
    .orderBy('users.name')
    .orderBy('users.id')
    .execute();
  return rows.map(({ devices, disabled_at, ...row }) => ({ user: userFromRow(row), disabledAt: disabled_at, devices: Number(devices ?? 0) }));
}

/** Sets the language a person reads Headway in (null: their browser's); undefined when there is no such user. */
export async function setUserLocale(db: Tx, userId: string, locale: UserLocale | null): Promise<User | undefined> {
  const parsed = UserLocale.nullable().parse(locale);
  const result = await db.updateTable('users').set({ locale: parsed }).where('id', '=', userId).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findUserById(db, userId);
}
