import type { Bitrix24Fake, B24Stage } from './state';

/** Who the fake knows in every test: the user the inbound webhook acts as, and the sales team. */
export const b24Users = {
  integration: { ID: '1', ACTIVE: true, NAME: 'Headway', LAST_NAME: 'Integration', EMAIL: 'headway@acme.example' },
  maya: { ID: '7', ACTIVE: true, NAME: 'Maya', LAST_NAME: 'Chen', EMAIL: 'Maya.Chen@acme.example' },
  omar: { ID: '9', ACTIVE: true, NAME: 'Omar', LAST_NAME: 'Haddad', EMAIL: 'omar@acme.example' },
  lena: { ID: '12', ACTIVE: false, NAME: 'Lena', LAST_NAME: 'Berg', EMAIL: 'lena@elsewhere.example' },
} as const;

/** The inbound webhook Headway is given: https://<portal>/rest/1/<key>/ with the scopes crm and user. */
export const b24Webhook = { userId: '1', key: 'h7k2q9x4m1p8w3z6', scopes: ['crm', 'user'] };

const stage = (STATUS_ID: string, NAME: string, SEMANTICS: 'S' | 'F' | null = null): B24Stage => ({ STATUS_ID, NAME, SEMANTICS });

/**
 * Two pipelines, each with its own won and lost stages: the general one (id 0, stage ids without prefix, two lost
 * stages as a new portal has) and "Purchasing" (id 3, stage ids "C3:…" as Bitrix24 names a category's stages).
 */
export function seedB24Portal(fake: Bitrix24Fake): void {
  for (const user of Object.values(b24Users)) fake.users.set(user.ID, { ...user });
  fake.webhooks.push({ ...b24Webhook, scopes: [...b24Webhook.scopes] });
  fake.categories.push(
    { id: 0, name: 'General', sort: 300, isDefault: 'Y', stages: [stage('NEW', 'New'), stage('PREPARATION', 'Document preparation'), stage('EXECUTING', 'In progress'), stage('WON', 'Deal successful', 'S'), stage('LOSE', 'Deal lost', 'F'), stage('APOLOGY', 'Analyze failure', 'F')] },
    { id: 3, name: 'Purchasing', sort: 200, isDefault: 'N', stages: [stage('C3:NEW', 'Request'), stage('C3:EXECUTING', 'Negotiating'), stage('C3:WON', 'Ordered', 'S'), stage('C3:LOSE', 'Cancelled', 'F')] },
  );
}
