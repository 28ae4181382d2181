import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { PushResponse, type MutationName, type Role } from '../../../core/schema';
import { accessPolicy, type AccessRule } from '../../../server/http/access-policy';
import { describeEachStore } from '../stores';
import { TestClock, post, testApp, testTenant } from '../helpers';
import { fingerprintDiff, fingerprinter, type Fingerprint } from './fingerprint';
import { seedWorld, type World } from './world';

// The access matrix of sync mutations: a mutation may do no more than the route that does the same thing. Each case
// names the route it mirrors (its rule in server/http/access-policy.ts decides who may) or says who may outright, and
// every refused mutation must leave the records it aims at exactly as they were.

const roles = ['head', 'manager', 'exec', 'admin'] as const satisfies readonly Role[];
const policy = accessPolicy as Record<string, AccessRule>;

/** The tables a mutation writes; a refused one must change none of them (its failure is recorded elsewhere). */
const recordTables = ['deals', 'deal_history', 'notes', 'escalations', 'moves', 'won_totals', 'pipeline_totals', 'change_log'];

interface MutationCase {
  name: MutationName;
  what: string;
  args: (world: World) => unknown;
  /** The route whose rule decides, or the roles that may, outright. */
  mayApply: { route: string } | { roles: readonly Role[] };
  /** The role whose own record it is, not probed: the author may (sync-push.test.ts). */
  author?: Role;
}

const foreign = { crm: 'pipedrive', instance: 'https://attacker.pipedrive.com' } as const;
const sandbox = { crm: testTenant.crm, instance: 'https://crm-uat.example.test' } as const;

const cases: MutationCase[] = [
  {
    name: 'deal.capture',
    what: "takes a colleague's deal as won, for more (owner, status, amount, closedAt)",
    args: (w) => ({
      record: { ...testTenant, crmId: w.deals.ofOtherManager.crm_id, recordType: 'deal' },
      fields: { ownerLabel: w.users.manager.name, status: 'won', amount: 987_654, closedAt: '2026-03-02T10:00:00.000Z' },
      url: null,
    }),
    mayApply: { route: 'PUT /api/deals/:crm/:crmId' },
  },
  {
    name: 'deal.capture',
    what: 'turns an open deal into a lost one of 1',
    args: (w) => ({ record: { ...testTenant, crmId: w.deals.ofManager.crm_id, recordType: 'deal' }, fields: { status: 'lost', amount: 1, closedAt: '2026-03-02T10:00:00.000Z' }, url: null }),
    mayApply: { route: 'PUT /api/deals/:crm/:crmId' },
  },
  {
    name: 'deal.capture',
    what: 'stores a javascript: link',
    args: (w) => ({ record: { ...testTenant, crmId: w.deals.ofManager.crm_id, recordType: 'deal' }, fields: { stage: 'Negotiation' }, url: 'javascript:alert(document.cookie)' }),
    mayApply: { roles: [] },
  },
  {
    name: 'deal.capture',
    what: "writes a deal of another company's tenant",
    args: (w) => ({ record: { ...foreign, crmId: w.deals.ofManager.crm_id, recordType: 'deal' }, fields: { title: 'Not ours', amount: 5 }, url: null }),
    mayApply: { roles: [] },
  },
  {
    name: 'deal.capture',
    what: "writes a deal of the workspace CRM's sandbox",
    args: (w) => ({ record: { ...sandbox, crmId: w.deals.ofManager.crm_id, recordType: 'deal' }, fields: { title: 'Sandbox copy' }, url: null }),
    mayApply: { roles: [] },
  },
  {
    name: 'note.create',
    what: "attaches a note to another tenant's record",
    args: () => ({ id: randomUUID(), record: { ...foreign, crmId: '42', recordType: 'deal' }, recordTitle: 'x', side: 'buyer', text: 'leak', createdAt: '2026-03-02T10:00:00.000Z' }),
    mayApply: { roles: [] },
  },
  {
    name: 'note.update',
    what: "edits the manager's note",
    args: (w) => ({ id: w.noteOfManager, baseVersion: 1, content: { side: 'buyer', text: 'rewritten' } }),
    mayApply: { roles: [] },
    author: 'manager',
  },
  {
    name: 'note.delete',
    what: "deletes the manager's note",
    args: (w) => ({ id: w.noteOfManager, baseVersion: 1 }),
    mayApply: { roles: [] },
    author: 'manager',
  },
  {
    name: 'escalation.create',
    what: 'escalates a record of the workspace',
    args: (w) => ({ id: randomUUID(), category: 'approval', severity: 'normal', title: 'Approve?', body: '', record: { ...testTenant, crmId: w.deals.ofManager.crm_id, recordType: 'deal' }, context: {}, to: { role: 'head' } }),
    mayApply: { route: 'POST /api/escalations' },
  },
  {
    name: 'escalation.create',
    what: "escalates another tenant's record",
    args: () => ({ id: randomUUID(), category: 'approval', severity: 'normal', title: 'Approve?', body: '', record: { ...foreign, crmId: '42', recordType: 'deal' }, context: {}, to: { role: 'head' } }),
    mayApply: { roles: [] },
  },
];

function mayApply(entry: MutationCase, role: Role): boolean {
  if ('roles' in entry.mayApply) return entry.mayApply.roles.includes(role);
  const rule = policy[entry.mayApply.route];
  if (!rule) throw new Error(`no access rule for ${entry.mayApply.route}`);
  return rule.roles.includes(role);
}

describeEachStore('access matrix: sync mutations', ({ store }) => {
  const clock = new TestClock();
  let world: World;
  let fingerprint: () => Promise<Fingerprint>;
  beforeAll(async () => {
    world = await seedWorld(store(), testApp(store(), clock), clock);
    fingerprint = await fingerprinter(store());
  });

  const recordsOf = (print: Fingerprint) => Object.fromEntries(Object.entries(print).filter(([key]) => recordTables.includes(key.split('.')[0]!)));

  for (const entry of cases) {
    const allowedRoles = roles.filter((role) => mayApply(entry, role));
    it(`${entry.name} that ${entry.what}: ${allowedRoles.length > 0 ? allowedRoles.join(', ') : 'nobody'} (others: refused, nothing written)`, async () => {
      const problems: string[] = [];
      // Each role once, the allowed ones last: an applied write must not make a later refusal look harmless.
      for (const role of [...roles].sort((a, b) => Number(mayApply(entry, a)) - Number(mayApply(entry, b)))) {
        if (role === entry.author) continue;
        const token = await world.tokenFor(role);
        clock.advance(1000);
        const before = recordsOf(await fingerprint());
        const response = await world.app.request(
          '/api/sync/push',
          post({ clientId: `matrix-${role}-${randomUUID().slice(0, 8)}`, mutations: [{ mutationId: 1, name: entry.name, args: entry.args(world) }] }, { Authorization: `Bearer ${token}` }),
        );
        if (response.status !== 200) {
          problems.push(`${role}: the push answered ${response.status} ${await response.text()}`);
          continue;
        }
        const [result] = PushResponse.parse(await response.json()).results;
        const changed = fingerprintDiff(before, recordsOf(await fingerprint()));
        if (mayApply(entry, role)) {
          if (!result?.ok) problems.push(`${role} may, but got ${JSON.stringify(result)}`);
        } else {
          if (result?.ok) problems.push(`${role} may not, but the mutation was applied`);
          else if (!['forbidden', 'not-found', 'invalid'].includes(result?.error?.code ?? '')) problems.push(`${role}: unexpected refusal ${JSON.stringify(result)}`);
          if (Object.keys(changed).length > 0) problems.push(`${role} was refused but records changed: ${JSON.stringify(changed)}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('answers a push from a service token or without a device token with 401, whatever it carries', async () => {
    for (const authorization of [`Bearer ${world.serviceToken}`, undefined]) {
      const response = await world.app.request(
        '/api/sync/push',
        post({ clientId: `matrix-anon-${randomUUID().slice(0, 8)}`, mutations: [{ mutationId: 1, name: 'deal.capture', args: cases[0]!.args(world) }] }, authorization ? { Authorization: authorization } : {}),
      );
      expect(response.status).toBe(401);
    }
  });
});
