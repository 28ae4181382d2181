import { describe, expect, it } from 'vitest';
import { EscalationRules } from '../../../core/schema';
import { nextLevelUp, rolesAbove, routeEscalation } from '../../../core/escalation';
import { hanna, rules, usersById } from './fixtures';

describe('routing', () => {
  it.each([
    ['manager', { role: 'head' }],
    ['head', { role: 'exec' }],
    ['exec', { role: 'exec' }],
    ['admin', { role: 'exec' }],
  ] as const)('by default a %s escalates to %o', (role, to) => {
    expect(routeEscalation({ role }, rules)).toEqual(to);
  });

  it('goes one level up the ladder when the SLA passes, and stops at the top', () => {
    expect(nextLevelUp({ role: 'manager' }, rules)).toEqual({ role: 'head' });
    expect(nextLevelUp({ role: 'head' }, rules)).toEqual({ role: 'exec' });
    expect(nextLevelUp({ userId: hanna.id }, rules, usersById)).toEqual({ role: 'exec' });
    expect(nextLevelUp({ role: 'exec' }, rules)).toBeNull();
    expect(nextLevelUp({ userId: 'u-ghost' }, rules, usersById)).toBeNull();
    expect(rolesAbove({ role: 'manager' }, rules)).toEqual(['head', 'exec']);
  });

  it('follows an admin’s own ladder and refuses one that goes round in a circle', () => {
    const flat = EscalationRules.parse({ above: { manager: 'exec', head: 'exec', exec: null, admin: null } });
    expect(nextLevelUp({ role: 'manager' }, flat)).toEqual({ role: 'exec' });
    const circle = EscalationRules.safeParse({ above: { manager: 'head', head: 'exec', exec: 'head', admin: null } });
    expect(circle.success).toBe(false);
    expect(circle.error?.issues[0]?.message).toMatch(/circle/);
  });
});
