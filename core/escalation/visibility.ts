import { EscalationRules, type Escalation, type Role, type User } from '../schema';
import { rolesAbove, type PeopleById } from './routing';

const DEFAULT_RULES = EscalationRules.parse({});

type Viewer = Pick<User, 'id' | 'role'>;

/** Addressed directly: the recipient is this person, or a role this person holds. */
export function isAddressed(escalation: Pick<Escalation, 'to'>, user: Viewer): boolean {
  const { to } = escalation;
  return 'role' in to ? to.role === user.role : to.userId === user.id;
}

/**
 * Management sees only what is addressed to it (DESIGN.md "Who uses it"): standing above the head on the ladder lets
 * an unanswered escalation climb to it (SLA, escalate-up), never lets it read the department's traffic below.
 */
const SEES_ONLY_WHAT_IS_ADDRESSED: readonly Role[] = ['exec'];

/** Holds a role above the recipients on the admin's ladder (head above manager by default), management excepted. */
export function isAboveRecipients(
  escalation: Pick<Escalation, 'to'>,
  user: Viewer,
  people: PeopleById,
  rules: EscalationRules = DEFAULT_RULES,
): boolean {
  if (SEES_ONLY_WHAT_IS_ADDRESSED.includes(user.role)) return false;
  return rolesAbove(escalation.to, rules, people).includes(user.role);
}

/**
 * Who may answer: the addressed recipients and those above them, never the requester or someone who joined as one
 * (nobody approves their own request, even an exec who escalated to the exec role). An admin runs the tool, not the business: an admin acts
 * only when addressed.
 */
export function mayAnswer(
  escalation: Pick<Escalation, 'to' | 'fromId' | 'participantIds'>,
  user: Viewer,
  people: PeopleById,
  rules: EscalationRules = DEFAULT_RULES,
): boolean {
  if (user.id === escalation.fromId || escalation.participantIds?.includes(user.id)) return false;
  return isAddressed(escalation, user) || isAboveRecipients(escalation, user, people, rules);
}

/**
 * Only the requester, the addressed recipients and those above them (not management) see an escalation; an admin sees all. People who
 * joined with a duplicate are requesters too.
 */
export function canSee(
  escalation: Pick<Escalation, 'to' | 'fromId' | 'participantIds'>,
  user: Viewer,
  usersById: PeopleById,
  rules: EscalationRules = DEFAULT_RULES,
): boolean {
  if (user.role === 'admin' || user.id === escalation.fromId) return true;
  if (escalation.participantIds?.includes(user.id)) return true;
  return isAddressed(escalation, user) || isAboveRecipients(escalation, user, usersById, rules);
}
