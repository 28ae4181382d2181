import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SyncReport } from '../../../core/schema';
import { startOdooFake, type RunningOdooFake } from '../../support/crm-fakes/odoo/server';
import { odooTime } from '../../support/crm-fakes/odoo/state';
import { odooApiKey, odooLogin, seedOdoo } from '../../support/crm-fakes/odoo/target';
import { describeEachStore } from '../stores';
import { cli } from './cli-run';

// What is Odoo's own: `crm connect` end to end with a database, a login and an API key; the words for a wrong key,
// database or right; lost as Odoo marks it (archived with probability 0), and archived without being lost.

describeEachStore('Odoo JSON-RPC', (context) => {
  let running: RunningOdooFake | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('connects with crm connect, says what is wrong, and reads lost and archived opportunities as Odoo means them', async () => {
    running = await startOdooFake();
    const { fake, origin } = running;
    const { users, stages } = seedOdoo(fake);
    const hourAgo = Date.now() - 3_600_000;
    const lead = (name: string, values: Record<string, unknown>) =>
      fake.insert('crm.lead', { name, type: 'opportunity', active: true, stage_id: stages.qualified.id, probability: 20, expected_revenue: 5000, company_currency: 1, user_id: users.maya.id, date_deadline: '2026-07-31', date_closed: false, ...values }, hourAgo).id;
    const ids = {
      open: lead('Open', {}),
      lost: lead('Lost', { active: false, probability: 0, date_closed: '2026-03-04 15:20:00' }),
      archived: lead('Archived', { active: false, probability: 20 }),
      leadOnly: lead('Not yet an opportunity', { type: 'lead' }),
    };
    const { store, databaseUrl } = await context.freshStore();
    const base = { DATABASE_URL: databaseUrl, HEADWAY_SECRET_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'headway-key-')), 'secret.key') };
    const connect = (secret: string, ...flags: string[]) => cli({ ...base, HEADWAY_CRM_SECRET: secret }, 'crm', 'connect', origin, 'odoo', ...flags);

    const missing = await connect(odooApiKey, '--username', odooLogin);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs --client-id/);
    const wrongKey = await connect('not-the-key', '--client-id', fake.database, '--username', odooLogin);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/refused the login .*API Key/);
    expect(wrongKey.stderr).not.toContain('not-the-key');
    const wrongDb = await connect(odooApiKey, '--client-id', 'acme-test', '--username', odooLogin);
    expect(wrongDb.stderr).toMatch(/no database "acme-test"/);
    expect(await store.db.selectFrom('crm_connections').selectAll().execute()).toEqual([]);

    const connected = await connect(odooApiKey, '--client-id', fake.database, '--username', odooLogin, '--json');
    expect(connected.code, connected.stderr).toBe(0);
    expect(SyncReport.parse((JSON.parse(connected.stdout) as { sync: unknown }).sync)).toMatchObject({ full: true, fetched: 3, upserted: 2, errors: [] });
    expect(connected.stdout).not.toContain(odooApiKey);
    const byId = new Map((await store.db.selectFrom('deals').selectAll().where('crm', '=', 'odoo').execute()).map((row) => [Number(row.crm_id), row]));
    expect(byId.get(ids.open)).toMatchObject({ status: 'open', amount: 5000, currency: 'EUR', expected_close: '2026-07-31', stage: String(stages.qualified.id), url: `${origin}/web#id=${ids.open}&model=crm.lead&view_type=form` });
    expect(byId.get(ids.lost)).toMatchObject({ status: 'lost', closed_at: '2026-03-04T15:20:00.000Z' });
    // Archived without being lost, and a lead not yet converted: neither is in the pipeline.
    expect(byId.has(ids.archived)).toBe(false);
    expect(byId.has(ids.leadOnly)).toBe(false);

    // Marked lost later (archived, probability 0): the next sync reads it as lost.
    fake.write('crm.lead', ids.open, { active: false, probability: 0, date_closed: odooTime(Date.now()) });
    const synced = JSON.parse((await cli(base, 'crm', 'sync', origin, '--json')).stdout) as SyncReport;
    expect(synced.errors).toEqual([]);
    expect((await store.db.selectFrom('deals').select('status').where('crm_id', '=', String(ids.open)).executeTakeFirstOrThrow()).status).toBe('lost');
  });
});
