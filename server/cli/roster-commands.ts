import { RosterUpdate, type Segments } from '../../core/schema';
import { updateRoster } from '../balance/roster';
import type { Clock } from '../clock';
import type { Store } from '../store/store';
import { writeTransaction } from '../store/transaction';
import { findUserByEmail } from '../store/users';
import { takePositionals, type CommandLine } from './arguments';
import { CommandFailed, UsageError } from './usage';

const dimensions = ['region', 'product', 'tier'] as const;

/** "2026-11-20:2026-12-04", or one day "2026-11-20". */
function absence(value: string) {
  const [from = '', to = from, extra] = value.split(':');
  if (extra !== undefined) throw new UsageError(`--absent takes from:to, e.g. 2026-11-20:2026-12-04, not "${value}".`);
  return { from, to };
}

/** "region=EMEA,DACH": that dimension's values, replacing what it had. */
function segment(value: string): [(typeof dimensions)[number], string[]] {
  const match = /^(region|product|tier)=(.*)$/.exec(value);
  if (!match) throw new UsageError(`--segments takes region=…, product=… or tier=… with comma-separated values, not "${value}".`);
  const values = match[2]!.split(',').map((v) => v.trim()).filter((v) => v !== '');
  return [match[1] as (typeof dimensions)[number], values];
}

/** "salesforce:005xx000001AbC" (owner id) or "hubspot:maya@acme.com" (owner e-mail). */
function crmIdentity(value: string) {
  const colon = value.indexOf(':');
  if (colon <= 0) throw new UsageError(`--crm-identity takes <crm>:<owner id or e-mail>, not "${value}".`);
  const crm = value.slice(0, colon);
  const owner = value.slice(colon + 1);
  return owner.includes('@') ? { crm, email: owner } : { crm, ownerId: owner };
}

const none = (values: string[]) => values.length === 1 && values[0] === 'none';

/** `user set <email> [--capacity N] [--team T] [--absent from:to|none]… [--segments dim=a,b|none]… [--crm-identity crm:id|none]…` */
async function userSet(line: CommandLine, store: Store, _clock: Clock) {
  const [email = ''] = takePositionals(line.words, 2, 1, 'the user\'s e-mail: user set <email> [--capacity N] [--absent from:to] …');
  const user = await findUserByEmail(store.db, email);
  if (!user) throw new CommandFailed(`No user has the e-mail ${email}.`);
  const { capacity, team } = line.options;
  const { absent, segments, crmIdentity: identities } = line.lists;
  const raw: Record<string, unknown> = {};
  if (capacity !== undefined) raw.capacity = /^\d+$/.test(capacity) ? Number(capacity) : capacity;
  if (team !== undefined) raw.team = team === 'none' ? null : team;
  if (absent.length > 0) raw.absences = none(absent) ? [] : absent.map(absence);
  if (segments.length > 0) {
    const next: Segments = none(segments) ? { region: [], product: [], tier: [] } : { ...user.segments };
    if (!none(segments)) for (const [dimension, values] of segments.map(segment)) next[dimension] = values;
    raw.segments = next;
  }
  if (identities.length > 0) raw.crmIdentities = none(identities) ? [] : identities.map(crmIdentity);
  if (Object.keys(raw).length === 0) throw new UsageError('Nothing to change: give --capacity, --team, --absent, --segments or --crm-identity.');
  const parsed = RosterUpdate.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(`Invalid roster change: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'} – ${i.message}`).join('; ')}`);
  }
  const updated = await writeTransaction(store, (tx) => updateRoster(tx, user.id, parsed.data));
  if (!updated) throw new CommandFailed(`${email} was removed meanwhile.`);
  const segmentText = dimensions.map((d) => `${d} ${updated.segments[d].join(', ') || '–'}`).join('; ');
  const absences = updated.absences.map((a) => `${a.from} to ${a.to}`).join(', ') || 'none';
  return {
    json: { user: updated },
    text: `${updated.name}: capacity ${updated.capacity}, team ${updated.team ?? '–'}, serves ${segmentText}; absences ${absences}; CRM identities ${updated.crmIdentities.length}.`,
  };
}

export const rosterCommands = { 'user set': userSet };
