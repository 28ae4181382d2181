import type { SuiteFake } from './state';
import { dbTime } from './tables';

/** Who the fake knows, the same in every test: the integration user Headway connects as, and the sales team. */
export const suiteUsers = {
  integration: { id: 'a1f0c7e2-0000-4000-8000-000000000001', userName: 'headway', password: 'S3cret pass:word', firstName: 'Headway', lastName: 'Integration', email: 'headway@acme.example' },
  maya: { id: 'a1f0c7e2-0000-4000-8000-000000000002', userName: 'maya', password: 'maya-pass', firstName: 'Maya', lastName: 'Chen', email: 'Maya.Chen@acme.example' },
  omar: { id: 'a1f0c7e2-0000-4000-8000-000000000003', userName: 'omar', password: 'omar-pass', firstName: 'Omar', lastName: 'Haddad', email: 'omar@acme.example' },
  lena: { id: 'a1f0c7e2-0000-4000-8000-000000000004', userName: 'lena', password: 'lena-pass', firstName: 'Lena', lastName: 'Berg', email: 'lena@elsewhere.example' },
} as const;

export const suiteClients = {
  credentials: { id: '5d6c2f1e-aaaa-4bbb-8ccc-000000000001', secret: 'client-secret-1', grant: 'client_credentials' as const, userId: suiteUsers.integration.id },
  password: { id: '5d6c2f1e-aaaa-4bbb-8ccc-000000000002', secret: 'password-client-secret', grant: 'password' as const, userId: suiteUsers.integration.id },
};

const stages = ['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'];

/** Users, OAuth2 clients and a USD currency; answers the USD currency id. */
export function seedSuiteTeam(fake: SuiteFake): { usdId: string } {
  for (const user of Object.values(suiteUsers)) fake.addUser({ ...user });
  for (const client of Object.values(suiteClients)) fake.addClient({ ...client });
  return { usdId: fake.addCurrency('USD', 'US Dollars') };
}

/**
 * `count` Opportunities spread over the team, stages, currencies and the last year, with modification times spaced
 * `spacingMs` apart before now (several share a second, as in a real CRM). Deterministic for a given count.
 */
export function seedSuiteDeals(fake: SuiteFake, count: number, options: { usdId: string; spacingMs?: number; startMs?: number }): string[] {
  const owners = [suiteUsers.maya.id, suiteUsers.omar.id, suiteUsers.lena.id, ''];
  const start = options.startMs ?? fake.now() - count * (options.spacingMs ?? 300) - 60_000;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const stage = stages[i % stages.length]!;
    const closeDay = new Date(Date.UTC(2026, i % 12, 1 + (i % 27)));
    const row = fake.addOpportunity({
      name: `Deal ${i + 1}`,
      amount: String(1000 + (i % 97) * 250),
      amount_usdollar: String(1000 + (i % 97) * 250),
      currency_id: i % 5 === 0 ? options.usdId : '-99',
      sales_stage: stage,
      probability: stage === 'Closed Won' ? '100' : stage === 'Closed Lost' ? '0' : String(10 + (i % 8) * 10),
      date_closed: closeDay.toISOString().slice(0, 10),
      assigned_user_id: owners[i % owners.length]!,
      opportunity_type: i % 10 === 3 ? 'Purchase' : i % 2 === 0 ? 'New Business' : 'Existing Business',
      date_modified: dbTime(start + i * (options.spacingMs ?? 300)),
    });
    ids.push(row.id!);
  }
  return ids;
}
