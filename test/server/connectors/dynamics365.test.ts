import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SyncReport } from '../../../core/schema';
import { runCli } from '../../../server/cli/run';
import { connectCrm } from '../../../server/connectors/connect';
import { connectionById } from '../../../server/connectors/connections';
import { authorityOf } from '../../../server/connectors/dynamics365/api';
import { ConnectorError } from '../../../server/connectors/errors';
import type { ConnectorEnv } from '../../../server/connectors/open';
import { syncConnection } from '../../../server/connectors/sync/run';
import { startDynamicsFake, type RunningDynamicsFake } from '../../support/crm-fakes/dynamics365/server';
import { seedDynamicsOrg } from '../../support/crm-fakes/dynamics365/target';
import { describeEachStore } from '../stores';
import { testEnv } from './contract';

// Dynamics 365's own behaviour beyond the shared contract: the tenant found from the Web API's sign-in challenge,
// `crm connect` end to end from any address of the environment, users read through @odata.nextLink pages,
// status reasons as the pipeline, and what Microsoft sign-in says about a bad credential.

describe('the authority a Dataverse challenge names', () => {
  const org = 'https://contoso.crm4.dynamics.com';
  it('is taken from Microsoft sign-in hosts and the org itself, and nowhere else', () => {
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    expect(authorityOf(`Bearer authorization_uri=https://login.microsoftonline.com/${tenant}/oauth2/authorize, resource_id=${org}/`, org)).toBe(`https://login.microsoftonline.com/${tenant}`);
    expect(authorityOf(`Bearer authorization_uri="https://login.microsoftonline.us/${tenant}/oauth2/authorize", resource_id="${org}/"`, org)).toBe(`https://login.microsoftonline.us/${tenant}`);
    // A challenge naming another host never gets the client secret.
    expect(authorityOf(`Bearer authorization_uri=https://login.attacker.example/${tenant}/oauth2/authorize`, org)).toBeNull();
    expect(authorityOf(`Bearer authorization_uri=http://login.microsoftonline.com/${tenant}/oauth2/authorize`, org)).toBeNull();
    expect(authorityOf('Bearer realm=""', org)).toBeNull();
    expect(authorityOf(null, org)).toBeNull();
  });
});

describeEachStore('Dynamics 365 Web API', (context) => {
  let running: RunningDynamicsFake | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  async function setUp(envOverrides: Partial<ConnectorEnv> = {}) {
    running = await startDynamicsFake();
    const seeded = seedDynamicsOrg(running.fake);
    const { store, databaseUrl } = await context.freshStore();
    return { fake: running.fake, origin: running.origin, ...seeded, store, databaseUrl, env: testEnv(store, envOverrides) };
  }

  const opportunity = (fake: RunningDynamicsFake['fake'], name: string, owner: string, currency: string, statuscode = 1, statecode = 0) =>
    String(fake.insert('opportunities', { name, estimatedvalue: 2500, _transactioncurrencyid_value: currency, _ownerid_value: owner, statecode, statuscode, estimatedclosedate: '2026-06-30', actualclosedate: statecode === 0 ? null : '2026-03-02', modifiedon: Math.floor((Date.now() - 3_600_000) / 1000) * 1000 }).opportunityid);

  it('connects from the CLI given any address of the environment, finding the tenant by itself', async () => {
    const { fake, origin, users, currencies, store, databaseUrl } = await setUp();
    const won = opportunity(fake, 'Won deal', users.maya, currencies.USD, 3, 1);
    for (let i = 0; i < 5; i++) opportunity(fake, `Open ${i}`, users.omar, currencies.EUR);
    const env = { DATABASE_URL: databaseUrl, HEADWAY_SECRET_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'headway-key-')), 'secret.key'), HEADWAY_CRM_SECRET: fake.app.secret };
    const out: string[] = [];
    const err: string[] = [];
    const run = (...args: string[]) => runCli(args, { env, out: (line) => out.push(line), err: (line) => err.push(line) });
    expect(await run('crm', 'connect', origin, 'dynamics365')).toBe(2);
    expect(err.join('\n')).toContain('--client-id');
    out.length = 0;
    // A record page's URL names the environment as well as its origin does.
    const recordPage = `${origin}/main.aspx?appid=d05771f7-d483-41b2-9672-5333d8eaa013&pagetype=entityrecord&etn=opportunity&id=${won}`;
    expect(await run('crm', 'connect', recordPage, 'dynamics365', '--client-id', fake.app.clientId, '--json'), err.join('\n')).toBe(0);
    const answer = JSON.parse(out.join('\n')) as { sync: unknown };
    expect(SyncReport.parse(answer.sync)).toMatchObject({ full: true, upserted: 6, errors: [] });
    expect(JSON.stringify(answer)).not.toContain(fake.app.secret);
    expect(await store.db.selectFrom('crm_instances').select(['instance', 'crm']).execute()).toEqual([{ instance: origin, crm: 'dynamics365' }]);
    const row = await store.db.selectFrom('deals').selectAll().where('crm_id', '=', won).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'won', currency: 'USD', amount: 2500, closed_at: '2026-03-02T00:00:00.000Z', stage: '3', url: `${origin}/main.aspx?pagetype=entityrecord&etn=opportunity&id=${won}` });
    // The token came from the tenant the challenge named.
    expect(fake.log.some((entry) => entry.path === `/${fake.tenantId}/oauth2/v2.0/token` && entry.status === 200)).toBe(true);
  });

  it('reads users through @odata.nextLink pages, pages smaller than asked to the end, and the status reasons as the one pipeline', async () => {
    const { fake, origin, users, currencies, store, env } = await setUp();
    fake.settings.maxPageSize = 2;
    opportunity(fake, 'Lena’s deal', users.lena, currencies.EUR);
    for (let i = 0; i < 6; i++) opportunity(fake, `Open ${i}`, users.maya, currencies.EUR);
    const connected = await connectCrm(env, { origin, crm: 'dynamics365', clientId: fake.app.clientId, secret: fake.app.secret });
    const stages = (await connectionById(store.db, connected.connection.id))!.pipelines[0]!.stages;
    expect(stages.map((stage) => [stage.id, stage.label, stage.status])).toEqual([['1', 'In Progress', 'open'], ['2', 'On Hold', 'open'], ['3', 'Won', 'won'], ['4', 'Canceled', 'lost'], ['5', 'Out-Sold', 'lost']]);
    const report = await syncConnection(env, connected.connection.id, { full: true });
    expect(report.errors).toEqual([]);
    // Four users over two pages of two: the second came by the nextLink's $skiptoken.
    expect(fake.log.filter((entry) => entry.path === '/api/data/v9.2/systemusers').length).toBeGreaterThanOrEqual(2);
    // Dataverse gave two rows where a hundred were asked, with a nextLink: the listing went on to the seventh.
    expect(await store.db.selectFrom('deals').select('title').where('crm', '=', 'dynamics365').execute()).toHaveLength(7);
    const lena = await store.db.selectFrom('deals').select(['owner_id', 'owner_label']).where('title', '=', 'Lena’s deal').executeTakeFirstOrThrow();
    expect(lena).toEqual({ owner_id: null, owner_label: 'Lena Berg' });
  });

  it('says what Microsoft sign-in refused, without its trace ids or the secret, and stores nothing', async () => {
    const { fake, origin, store, env } = await setUp();
    const attempt = async (clientId: string, secret: string) => {
      try {
        await connectCrm(env, { origin, crm: 'dynamics365', clientId, secret });
        return null;
      } catch (error) {
        if (error instanceof ConnectorError) return error;
        throw error;
      }
    };
    const badSecret = await attempt(fake.app.clientId, 'Xq8Q~not.the.secret');
    expect(badSecret).toMatchObject({ kind: 'bad_credential', message: expect.stringMatching(/AADSTS7000215: Invalid client secret provided/) });
    expect(badSecret!.message).not.toMatch(/Trace ID|Xq8Q~not/);
    expect(await attempt('00000000-0000-0000-0000-000000000000', fake.app.secret)).toMatchObject({ kind: 'bad_credential', message: expect.stringMatching(/AADSTS700016/) });
    expect(await store.db.selectFrom('crm_connections').selectAll().execute()).toEqual([]);
  });
});
