import type { Deal, User } from '../../../core/schema';
import { deal as planDeal } from '../plan/fixtures';

export function manager(id: string, fields: Partial<User> = {}): User {
  return {
    id,
    name: id[0]!.toUpperCase() + id.slice(1),
    email: `${id}@example.com`,
    role: 'manager',
    team: null,
    capacity: 10,
    segments: { region: [], product: [], tier: [] },
    absences: [],
    crmIdentities: [],
    createdAt: '2026-01-01T00:00:00Z',
    ...fields,
  };
}

/** An open deal; the default stage "Qualification" weighs 3 with the default settings. */
export function openDeal(id: string, ownerId: string, fields: Partial<Deal> = {}): Deal {
  return planDeal({ id, ownerId, stage: 'Qualification', status: 'open', ...fields });
}
