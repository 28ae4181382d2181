import { z } from 'zod';
import { canonicalInstance } from '../../core/crm';
import { CrmId, UserInput, type CrmInstance, type User } from '../../core/schema';
import { revokeAccess } from '../auth/disable-user';
import { listTokensOfUser, revokeToken } from '../auth/device-tokens';
import { issuePairingCode, UserDisabledError } from '../auth/pairing';
import type { Clock } from '../clock';
import type { Store } from '../store/store';
import { writeTransaction } from '../store/transaction';
import { EmailTakenError, createUser, findUserByEmail } from '../store/users';
import { listAdapterMisses, sinceDay } from '../store/adapter-health';
import { disableAdapter, enableAdapter, listInstances, readConfig } from '../store/workspace';
import { appendChanges } from '../sync/change-log';
import { adoptUnassigned, configChange, declareTenant, listUnassigned, type Assigned } from '../store/tenants';
import { importCommands } from '../import/cli-commands';
import { required, takePositionals, type CommandLine } from './arguments';
import { peopleCommands } from './people-commands';
import { rosterCommands } from './roster-commands';
import { escalationCommands } from '../escalation/cli-commands';
import { calendarCommands } from '../calendar/cli-commands';
import { connectorCommands } from '../connectors/cli-commands';
import { CommandFailed, UsageError } from './usage';

export interface CommandOutput {
  json: Record<string, unknown>;
  text: string;
  /** Printed like a success, but the command did not fully succeed (e.g. a sync that met errors). */
  exitCode?: 1;
}

/** What a command may use of its process besides the store: the environment (secrets) and stderr (progress). */
export interface CommandIo {
  env: NodeJS.ProcessEnv;
  err(line: string): void;
}

export type AdminCommand = (line: CommandLine, store: Store, clock: Clock, io: CommandIo) => Promise<CommandOutput>;

function parseOr<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${what}: ${result.error.issues.map((issue) => `${issue.path.join('.') || 'value'} – ${issue.message}`).join('; ')}`);
  return result.data;
}

async function userByEmail(store: Store, email: string): Promise<User> {
  const user = await findUserByEmail(store.db, email);
  if (!user) throw new CommandFailed(`No user has the e-mail ${email}.`);
  return user;
}

function pairingText(user: User, code: string): string {
  return `Pairing code for ${user.name} <${user.email}> (${user.role}): ${code}\nIt works once, within 10 minutes. Enter it in the extension's options page.`;
}

/** Tells every extension at its next pull that tenants or disabled adapters changed. */

async function announceConfigChange(store: Store, clock: Clock): Promise<void> {
  await writeTransaction(store, (tx) => appendChanges(tx, [configChange], clock.now().toISOString()));
}

const userAdd: AdminCommand = async (line, store, clock) => {
  takePositionals(line.words, 2, 0, 'no words after "user add"; use --role, --name and --email');
  const { role, name, email, team, capacity } = line.options;
  const input = parseOr(UserInput, {
    role: required(role, '--role'),
    name: required(name, '--name'),
    email: required(email, '--email'),
    team: team ?? null,
    ...(capacity !== undefined ? { capacity: Number(capacity) } : {}),
  }, 'Invalid user');
  try {
    const { user, code } = await writeTransaction(store, async (tx) => {
      const created = await createUser(tx, input, clock.now().toISOString());
      const pairing = await issuePairingCode(tx, created.id, clock);
      return { user: created, code: pairing.code };
    });
    return { json: { user, pairingCode: code }, text: `Added ${user.name}.\n${pairingText(user, code)}` };
  } catch (error) {
    if (error instanceof EmailTakenError) throw new CommandFailed(error.message);
    throw error;
  }
};

const pair: AdminCommand = async (line, store, clock) => {
  const [email = ''] = takePositionals(line.words, 1, 1, 'the user\'s e-mail: pair <email>');
  const user = await userByEmail(store, email);
  try {
    const { code } = await issuePairingCode(store.db, user.id, clock);
    return { json: { user, pairingCode: code }, text: pairingText(user, code) };
  } catch (error) {
    if (error instanceof UserDisabledError) throw new CommandFailed(`${user.name} <${user.email}> is disabled: no pairing code is issued for them.`);
    throw error;
  }
};

const tokenList: AdminCommand = async (line, store) => {
  takePositionals(line.words, 2, 0, 'token list --email <email>');
  const user = await userByEmail(store, required(line.options.email, '--email'));
  const tokens = await listTokensOfUser(store.db, user.id);
  const text = tokens.length === 0
    ? `${user.name} has no paired devices.`
    : tokens.map((t) => `${t.id}  ${t.deviceName}  created ${t.createdAt}  last used ${t.lastUsedAt ?? 'never'}${t.revokedAt ? `  REVOKED ${t.revokedAt}` : ''}`).join('\n');
  return { json: { user, tokens }, text };
};

const tokenRevoke: AdminCommand = async (line, store, clock) => {
  if (line.options.email !== undefined) {
    takePositionals(line.words, 2, 0, 'either a token id or --email, not both');
    const user = await userByEmail(store, line.options.email);
    // A code handed out but not yet redeemed would give the person a fresh token right after: it goes too.
    const revoked = await writeTransaction(store, (tx) => revokeAccess(tx, user.id, clock));
    return {
      json: { revoked: revoked.tokens, revokedPairingCodes: revoked.pairingCodes },
      text: `Revoked ${revoked.tokens} device token(s) and ${revoked.pairingCodes} pairing code(s) of ${user.name}.`,
    };
  }
  const [tokenId = ''] = takePositionals(line.words, 2, 1, 'a token id (see token list) or --email <email>');
  if (!(await revokeToken(store.db, tokenId, clock))) throw new CommandFailed(`No active device token has the id ${tokenId}.`);
  return { json: { revoked: 1, tokenId }, text: `Revoked device token ${tokenId}.` };
};

/** What giving records their tenant did, in one sentence (nothing when there was nothing to give). */
function assignedText(assigned: Assigned, instance: string): string {
  const parts = [`${assigned.deals} deal(s)`, `${assigned.notes} note(s)`, `${assigned.escalations} escalation(s)`];
  const clashes = assigned.clashes > 0 ? ` ${assigned.clashes} deal(s) stay unassigned: ${instance} already has a deal of the same key (see crm unassigned).` : '';
  return assigned.deals + assigned.notes + assigned.escalations + assigned.clashes === 0 ? '' : `\nRecords kept from before tenants now of ${instance}: ${parts.join(', ')}.${clashes}`;
}

/** Any address of the tenant will do: the CRM's adapter writes it canonically (core/crm canonicalInstance). */
const crmAdd: AdminCommand = async (line, store, clock) => {
  const [typed = '', crmWord] = takePositionals(line.words, 2, 2, 'an address of the tenant and its CRM: crm add https://acme.pipedrive.com pipedrive');
  const crm = parseOr(CrmId, crmWord, 'Unknown CRM');
  const canonical = canonicalInstance(crm, typed);
  if ('problem' in canonical) throw new UsageError(`Invalid tenant: ${canonical.problem}.`);
  const instance: CrmInstance = { instance: canonical.instance, crm };
  const now = clock.now().toISOString();
  // A record kept from before tenants whose CRM now has exactly this one tenant is that tenant's.
  const assigned = await writeTransaction(store, (tx) => declareTenant(tx, instance, now));
  const { changes: _changes, ...counts } = assigned;
  return { json: { instance, assigned: counts }, text: `Extensions will act on ${instance.instance} as ${crm}, and only there.${assignedText(assigned, instance.instance)}` };
};

const crmList: AdminCommand = async (line, store) => {
  takePositionals(line.words, 2, 0, 'nothing after "crm list"');
  const instances = await listInstances(store.db);
  const text = instances.length === 0 ? 'No CRM tenants declared: add one with crm add <url> <crm>.' : instances.map((i) => `${i.instance}  ${i.crm}`).join('\n');
  return { json: { instances }, text };
};

const crmUnassigned: AdminCommand = async (line, store) => {
  takePositionals(line.words, 2, 0, 'nothing after "crm unassigned"');
  const unassigned = await listUnassigned(store.db);
  const text = unassigned.length === 0
    ? 'Every record has its CRM tenant.'
    : [
        'Records kept from before tenants, without a tenant yet (they still count in plans and load):',
        ...unassigned.map((entry) => {
          const next = entry.tenants.length === 0 ? `add its tenant: crm add <url> ${entry.crm}` : `choose one: crm adopt <${entry.tenants.join(' | ')}>`;
          const examples = entry.examples.map((example) => `${example.recordType} ${example.crmId} "${example.title}"`).join(', ');
          return `  ${entry.crm}: ${entry.deals} deal(s), ${entry.notes} note(s), ${entry.escalations} escalation(s); ${next}${examples ? `\n    e.g. ${examples}` : ''}`;
        }),
      ].join('\n');
  return { json: { unassigned }, text };
};

const crmAdopt: AdminCommand = async (line, store, clock) => {
  const [typed = ''] = takePositionals(line.words, 2, 1, 'one of the workspace\'s tenants: crm adopt https://acme.my.salesforce.com');
  const tenant = (await listInstances(store.db)).find((candidate) => candidate.instance === typed.trim());
  if (!tenant) throw new CommandFailed(`${typed} is not one of the workspace's tenants (crm list shows them).`);
  const now = clock.now().toISOString();
  const assigned = await writeTransaction(store, async (tx) => {
    const adopted = await adoptUnassigned(tx, tenant);
    await appendChanges(tx, adopted.changes, now);
    return adopted;
  });
  const { changes: _changes, ...counts } = assigned;
  return { json: { instance: tenant, assigned: counts }, text: assignedText(assigned, tenant.instance).trim() || `No record of ${tenant.crm} was waiting for a tenant.` };
};

const adapterDisable: AdminCommand = async (line, store, clock) => {
  const [crmWord] = takePositionals(line.words, 2, 1, 'a CRM: adapter disable <crm> --reason "…"');
  const crm = parseOr(CrmId, crmWord, 'Unknown CRM');
  const reason = parseOr(z.string().trim().min(1).max(500), required(line.options.reason, '--reason'), 'Invalid reason');
  await disableAdapter(store.db, crm, reason, clock.now().toISOString());
  await announceConfigChange(store, clock);
  return { json: { disabled: { crm, reason } }, text: `The ${crm} adapter is switched off for every extension: ${reason}` };
};

const adapterEnable: AdminCommand = async (line, store, clock) => {
  const [crmWord] = takePositionals(line.words, 2, 1, 'a CRM: adapter enable <crm>');
  const crm = parseOr(CrmId, crmWord, 'Unknown CRM');
  const wasDisabled = await enableAdapter(store.db, crm);
  if (wasDisabled) await announceConfigChange(store, clock);
  return { json: { enabled: crm, wasDisabled }, text: wasDisabled ? `The ${crm} adapter is on again.` : `The ${crm} adapter was not switched off.` };
};

const adapterReports: AdminCommand = async (line, store, clock) => {
  takePositionals(line.words, 2, 0, 'adapter reports [--days N]');
  const days = parseOr(z.coerce.number().int().min(1).max(90), line.options.days ?? '14', 'Invalid --days');
  const since = sinceDay(clock.now(), days);
  const [misses, config] = await Promise.all([listAdapterMisses(store.db, since), readConfig(store.db)]);
  const lines = misses.map((m) => `${m.day}  ${m.crm.padEnd(11)} ${m.recordType.padEnd(7)} ${m.origin}  ${m.misses} miss(es) from ${m.reporters} user(s)`);
  const off = config.disabledAdapters.map((a) => `switched off: ${a.crm} – ${a.reason}`);
  const text = [
    misses.length === 0 ? `No adapter misses reported since ${since}.` : `Record pages an adapter recognised but could not read, since ${since}:`,
    ...lines,
    ...off,
  ].join('\n');
  return { json: { since, misses, disabledAdapters: config.disabledAdapters }, text };
};

/** Keyed by the command's words. */
export const adminCommands: Record<string, AdminCommand> = {
  'user add': userAdd,
  pair,
  'token list': tokenList,
  'token revoke': tokenRevoke,
  'crm add': crmAdd,
  'crm list': crmList,
  'crm unassigned': crmUnassigned,
  'crm adopt': crmAdopt,
  'adapter disable': adapterDisable,
  'adapter enable': adapterEnable,
  ...rosterCommands,
  ...peopleCommands,
  'adapter reports': adapterReports,
  ...importCommands,
  ...escalationCommands,
  ...calendarCommands,
  ...connectorCommands,
};

/** The command a line's words name (`user add`, `pair`), if any. */
export function adminCommandName(words: string[]): string | undefined {
  return [words.slice(0, 2).join(' '), words[0] ?? ''].find((name) => Object.hasOwn(adminCommands, name));
}

export function findAdminCommand(words: string[]): AdminCommand | undefined {
  const name = adminCommandName(words);
  return name === undefined ? undefined : adminCommands[name];
}
