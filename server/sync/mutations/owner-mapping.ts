import type { CrmId, User } from '../../../core/schema';

const same = (a: string | undefined, b: string) => a !== undefined && a.trim().toLowerCase() === b;

/**
 * The Headway user a CRM's owner label names: matched against each user's identities for that CRM (owner id,
 * e-mail or display name, case-insensitive). Two users answering to one label is ambiguous, so nobody is chosen.
 */
export function mapOwner(users: User[], crm: CrmId, ownerLabel: string): User | null {
  const label = ownerLabel.trim().toLowerCase();
  if (!label) return null;
  const matches = users.filter((user) =>
    user.crmIdentities.some((identity) => identity.crm === crm && (same(identity.ownerId, label) || same(identity.email, label) || same(identity.name, label))),
  );
  return matches.length === 1 ? (matches[0] ?? null) : null;
}
