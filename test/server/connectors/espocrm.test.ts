import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SyncReport } from '../../../core/schema';
import { startEspoFake, type RunningEspoFake } from '../../support/crm-fakes/espocrm/server';
import { espoTime } from '../../support/crm-fakes/espocrm/state';
import { espoApiKey, espoUsers, seedEspo } from '../../support/crm-fakes/espocrm/target';
import { describeEachStore } from '../stores';
import { cli } from './cli-run';

// What is EspoCRM's own: `crm connect` end to end with an API key, the words for a key EspoCRM refuses and for an
// address without its API, and a walk through one second that reads no page twice (EspoCRM orders ties by id).

describeEachStore('EspoCRM API key', (context) => {
  let running: RunningEspoFake | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('connects with crm connect, says what is wrong with a key or an address, and syncs a shared second once', async () => {
    running = await startEspoFake();
    const { fake, origin } = running;
    seedEspo(fake);
    const at = espoTime(Date.now() - 3_600_000);
    for (let i = 0; i < 450; i++) fake.addOpportunity({ name: `Bulk ${i}`, amount: 1000 + i, amountCurrency: 'EUR', assignedUserId: espoUsers.omar.id, closeDate: '2026-06-30' }, at, espoUsers.api.id);
    const { store, databaseUrl } = await context.freshStore();
    const base = { DATABASE_URL: databaseUrl, HEADWAY_SECRET_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'headway-key-')), 'secret.key') };

    const wrong = await cli({ ...base, HEADWAY_CRM_SECRET: 'not-the-key' }, 'crm', 'connect', origin, 'espocrm');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/refused the API key.*API Users/);
    expect(wrong.stderr).not.toContain('not-the-key');
    const wrongApi = await cli({ ...base, HEADWAY_CRM_SECRET: espoApiKey }, 'crm', 'connect', origin, 'espocrm', '--api', 'v8');
    expect(wrongApi.code).toBe(2);
    expect(wrongApi.stderr).toMatch(/apikey/);
    fake.settings.apiOff = true;
    const off = await cli({ ...base, HEADWAY_CRM_SECRET: espoApiKey }, 'crm', 'connect', origin, 'espocrm');
    expect(off.stderr).toMatch(/no EspoCRM API.*rewrites \/api\/v1\//);
    expect(await store.db.selectFrom('crm_connections').selectAll().execute()).toEqual([]);
    fake.settings.apiOff = false;

    const connected = await cli({ ...base, HEADWAY_CRM_SECRET: espoApiKey }, 'crm', 'connect', origin, 'espocrm', '--json');
    expect(connected.code, connected.stderr).toBe(0);
    const result = JSON.parse(connected.stdout) as { account: string; sync: unknown };
    expect(result.account).toContain(espoUsers.api.id);
    // 450 opportunities of one second: every one read exactly once (pages of 200 continue after the last id).
    expect(SyncReport.parse(result.sync)).toMatchObject({ full: true, fetched: 450, upserted: 450, errors: [] });
    expect(connected.stdout).not.toContain(espoApiKey);
    const deals = await store.db.selectFrom('deals').selectAll().where('crm', '=', 'espocrm').execute();
    expect(deals).toHaveLength(450);
    expect(deals[0]).toMatchObject({ instance: origin, currency: 'EUR', expected_close: '2026-06-30', status: 'open' });
    expect(deals[0]!.url).toMatch(new RegExp(`^${origin}/#Opportunity/view/[0-9a-f]{17}$`));
    expect(await store.db.selectFrom('crm_instances').select(['instance', 'crm']).execute()).toEqual([{ instance: origin, crm: 'espocrm' }]);
  });
});
