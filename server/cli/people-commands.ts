import { disableUser } from '../auth/disable-user';
import type { Clock } from '../clock';
import type { Store } from '../store/store';
import { writeTransaction } from '../store/transaction';
import { UserLocale } from '../../core/schema';
import { findUserByEmail, listPeople, setUserLocale } from '../store/users';
import { takePositionals, type CommandLine } from './arguments';
import { CommandFailed, UsageError } from './usage';

/** `user list [--json]`: who has an account, their role, whether they were disabled and how many devices are paired. */
async function userList(line: CommandLine, store: Store) {
  takePositionals(line.words, 2, 0, 'nothing after "user list"');
  const people = await listPeople(store.db);
  const text =
    people.length === 0
      ? 'No users yet. Add one with: user add --role head --name "…" --email …'
      : people
          .map(({ user, disabledAt, devices }) => `${user.email}  ${user.name}  ${user.role}${user.team ? `  team ${user.team}` : ''}  ${devices} device(s)${disabledAt ? `  DISABLED ${disabledAt}` : ''}`)
          .join('\n');
  return { json: { users: people.map(({ user, disabledAt, devices }) => ({ ...user, disabledAt, devices })) }, text };
}

/** `user disable <email>`: someone left. Their history stays; every way in is closed at once. */
async function userDisable(line: CommandLine, store: Store, clock: Clock) {
  const [email = ''] = takePositionals(line.words, 2, 1, 'the user\'s e-mail: user disable <email>');
  const user = await findUserByEmail(store.db, email);
  if (!user) throw new CommandFailed(`No user has the e-mail ${email}.`);
  const done = await writeTransaction(store, (tx) => disableUser(tx, user.id, clock));
  return {
    json: { user: { ...user, disabledAt: done.disabledAt }, revokedTokens: done.tokens, revokedPairingCodes: done.pairingCodes },
    text: `Disabled ${user.name} <${user.email}> (since ${done.disabledAt}): revoked ${done.tokens} device token(s) and ${done.pairingCodes} pairing code(s). Their notes, deals and escalations stay.`,
  };
}

/** `user locale <email> <en|ru|browser>`: the language a person reads Headway in, as PUT /api/me/locale sets it. */
async function userLocale(line: CommandLine, store: Store) {
  const [email = '', wanted = ''] = takePositionals(line.words, 2, 2, 'the user\'s e-mail and a language: user locale <email> <en|ru|browser>');
  const parsed = wanted === 'browser' ? { success: true as const, data: null } : UserLocale.safeParse(wanted);
  if (!parsed.success) throw new UsageError(`"${wanted}" is not a language Headway speaks: give en, ru or browser (follow the browser's).`);
  const user = await findUserByEmail(store.db, email);
  if (!user) throw new CommandFailed(`No user has the e-mail ${email}.`);
  const updated = await writeTransaction(store, (tx) => setUserLocale(tx, user.id, parsed.data));
  if (!updated) throw new CommandFailed(`${email} was removed meanwhile.`);
  return { json: { user: updated }, text: `${updated.name} reads Headway in ${updated.locale ?? 'their browser\'s language'}.` };
}

export const peopleCommands = { 'user list': userList, 'user disable': userDisable, 'user locale': userLocale };
