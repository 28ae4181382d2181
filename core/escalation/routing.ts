import type { EscalationRules, Recipient, Role, User } from '../schema';

/** Only what routing needs to know about a person. */
export type Person = Pick<User, 'id' | 'role'>;
export type PeopleById = ReadonlyMap<string, Person> | Readonly<Record<string, Person | undefined>>;

export function lookUp(people: PeopleById, id: string): Person | undefined {
  return people instanceof Map ? people.get(id) : (people as Record<string, Person | undefined>)[id];
}

/** Where an escalation raised by this sender goes, as the admin configured it. */
export function routeEscalation(sender: Pick<User, 'role'>, rules: EscalationRules): Recipient {
  return rules.routes[sender.role];
}

/** The role a recipient holds: the role itself, or the addressed person's role (unknown person: none). */
export function recipientRole(recipient: Recipient, people: PeopleById): Role | null {
  if ('role' in recipient) return recipient.role;
  return lookUp(people, recipient.userId)?.role ?? null;
}

/**
 * Where an escalation goes when its SLA passes unanswered: one rung up the ladder from the recipient's role
 * (a manager's head → exec). null when the recipient is at the top, or is a person Headway no longer knows.
 */
export function nextLevelUp(recipient: Recipient, rules: EscalationRules, people: PeopleById = {}): Recipient | null {
  const role = recipientRole(recipient, people);
  if (role === null) return null;
  const above = rules.above[role];
  return above === null ? null : { role: above };
}

/** Every role above the recipient, nearest first. The rules schema guarantees the ladder ends. */
export function rolesAbove(recipient: Recipient, rules: EscalationRules, people: PeopleById = {}): Role[] {
  const roles: Role[] = [];
  let role = recipientRole(recipient, people);
  while (role !== null) {
    role = rules.above[role];
    if (role === null || roles.includes(role)) break;
    roles.push(role);
  }
  return roles;
}

export function sameRecipient(a: Recipient, b: Recipient): boolean {
  if ('role' in a) return 'role' in b && a.role === b.role;
  return 'userId' in b && a.userId === b.userId;
}
