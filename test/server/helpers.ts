import { expect } from 'vitest';
import type { CrmInstance, UserInput } from '../../core/schema';
import { createApp, type HeadwayApp } from '../../server/app';
import { issuePairingCode } from '../../server/auth/pairing';
import { secretBoxFromKey } from '../../server/connectors/secret-box';
import type { Clock } from '../../server/clock';
import type { AppConfig } from '../../server/config';
import type { Store } from '../../server/store/store';
import { createUser } from '../../server/store/users';
import { upsertInstance } from '../../server/store/workspace';

/** The CRM tenant test records belong to (a self-hosted SuiteCRM); declareTenant makes it the workspace's. */
export const testTenant = { instance: 'https://crm.example.test', crm: 'suitecrm' } as const satisfies CrmInstance;

/** A Salesforce org, for tests of SaaS tenants and of the ingest API. */
export const salesforceTenant = { instance: 'https://acme.my.salesforce.com', crm: 'salesforce' } as const satisfies CrmInstance;

/** Declares CRM tenants of the workspace, as `crm add` does (records of any other tenant are refused). */
export async function declareTenant(store: Store, clock: Clock, ...tenants: CrmInstance[]): Promise<void> {
  for (const tenant of tenants.length > 0 ? tenants : [testTenant]) await upsertInstance(store.db, tenant, clock.now().toISOString());
}

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  private current: number;
  constructor(iso = '2026-03-16T09:00:00.000Z') {
    this.current = Date.parse(iso);
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

let userCounter = 0;

export async function addUser(store: Store, clock: Clock, input: Partial<UserInput> & Pick<UserInput, 'role'>) {
  userCounter += 1;
  const user = await createUser(
    store.db,
    {
      name: `Test ${input.role} ${userCounter}`,
      email: `${input.role}${userCounter}-${Math.random().toString(36).slice(2, 8)}@example.test`,
      team: null,
      capacity: 100,
      segments: { region: [], product: [], tier: [] },
      absences: [],
      crmIdentities: [],
      ...input,
    },
    clock.now().toISOString(),
  );
  const { code } = await issuePairingCode(store.db, user.id, clock);
  return { user, code };
}

/** The server key of test apps (HEADWAY_SECRET_KEY for a CLI run), so a test can seal what a route opens. */
export const testSecretKey = '07'.repeat(32);
export const testSecretBox = secretBoxFromKey(Buffer.from(testSecretKey, 'hex'));

export function testApp(store: Store, clock: Clock, config: Partial<AppConfig> = {}): HeadwayApp {
  return createApp({ store, clock, config, box: testSecretBox });
}

let ipCounter = 0;
/** Each pairing gets its own client IP so the rate limit only bites in the test that is about it. */
export function nodeEnvFor(ip = `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`) {
  return { incoming: { socket: { remoteAddress: ip } } };
}

export async function pairDevice(app: HeadwayApp, code: string, deviceName = 'Test laptop'): Promise<string> {
  const response = await app.request('/api/pair', post({ code, deviceName }), nodeEnvFor());
  expect(response.status).toBe(200);
  const body = (await response.json()) as { token: string };
  return body.token;
}

/** A user with a paired device: what most route tests start from. */
export async function signedIn(app: HeadwayApp, store: Store, clock: Clock, input: Partial<UserInput> & Pick<UserInput, 'role'>) {
  const { user, code } = await addUser(store, clock, input);
  const token = await pairDevice(app, code);
  return { user, token, auth: { Authorization: `Bearer ${token}` } };
}

export function post(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export async function rowCount(store: Store, table: 'users' | 'device_tokens' | 'pairing_codes' | 'notes' | 'deals' | 'change_log' | 'escalations' | 'mutation_failures' | 'client_mutations'): Promise<number> {
  const row = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
