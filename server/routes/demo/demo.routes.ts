import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import { z } from 'zod';
import { accountPage } from '../../demo/pages/account';
import { accountsListPage, notFoundPage, opportunitiesListPage } from '../../demo/pages/lists';
import { opportunityPage } from '../../demo/pages/opportunity';
import { demoDataFor, seedMarkerKey } from '../../demo/seed';
import type { CrmFrame } from '../../demo/pages/layout';
import { crmWords } from '../../demo/pages/words';
import { readSettings } from '../../store/workspace';
import type { Tx } from '../../store/transaction';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';

const DemoQuery = z.object({
  module: z.string().max(50).default('Opportunities'),
  action: z.string().max(50).default('index'),
  // Record ids are UUIDs (or SuiteCRM's seed ids); anything else, NUL included, is not a page of this CRM.
  record: z.string().regex(/^[\w-]{1,100}$/).optional(),
});

const opportunitiesList = '/demo/index.php?module=Opportunities&action=index';

/** The demo CRM speaks the demo workspace's language (HEADWAY_LOCALE=ru seeds a Russian one), as its signed-in head. */
async function frameOf(db: Tx): Promise<CrmFrame> {
  const settings = await readSettings(db);
  const demo = demoDataFor(settings.locale ?? 'en');
  return { words: crmWords[settings.locale ?? 'en'], workspace: settings.name, user: demo.head.name };
}

/** The demo CRM: SuiteCRM-7-shaped pages over the deals table, so the extension has something real to overlay. */
export const demoRoutes = new Hono<AppEnv>()
  // Only a workspace seeded as the demo (`serve --seed-demo`) serves these pages: on a real workspace they would
  // show every SuiteCRM deal to anyone who can reach the server, without signing in.
  .use('/demo/*', async (c, next) => {
    const seeded = await c.var.deps.store.db.selectFrom('settings').select('key').where('key', '=', seedMarkerKey).executeTakeFirst();
    if (!seeded) {
      const frame = await frameOf(c.var.deps.store.db);
      return c.html(notFoundPage(frame.words.demoOnly, frame), 404);
    }
    await next();
  })
  .get(routes.demoEntry.path, guard(routes.demoEntry), (c) => c.redirect(routes.demoEntrySlash.path))
  .get(routes.demoEntrySlash.path, guard(routes.demoEntrySlash), (c) => c.redirect(opportunitiesList))
  .get(routes.demoPage.path, guard(routes.demoPage), async (c) => {
    const db = c.var.deps.store.db;
    const frame = await frameOf(db);
    const parsed = DemoQuery.safeParse(c.req.query());
    if (!parsed.success) return c.html(notFoundPage(frame.words.notAPage, frame), 400);
    const { module, action, record } = parsed.data;
    if (module === 'Opportunities' && action === 'DetailView' && record) {
      const deal = await db
        .selectFrom('deals')
        .selectAll()
        .where('crm', '=', 'suitecrm')
        .where('record_type', '=', 'deal')
        .where('crm_id', '=', record.toLowerCase())
        .executeTakeFirst();
      if (!deal) return c.html(notFoundPage(frame.words.noOpportunity, frame), 404);
      const account = deal.account_crm_id
        ? await db.selectFrom('demo_accounts').selectAll().where('id', '=', deal.account_crm_id).executeTakeFirst()
        : undefined;
      return c.html(opportunityPage(deal, account, frame));
    }
    if (module === 'Accounts' && action === 'DetailView' && record) {
      const account = await db.selectFrom('demo_accounts').selectAll().where('id', '=', record.toLowerCase()).executeTakeFirst();
      if (!account) return c.html(notFoundPage(frame.words.noAccount, frame), 404);
      const deals = await db.selectFrom('deals').selectAll().where('account_crm_id', '=', account.id).orderBy('expected_close', 'desc').execute();
      return c.html(accountPage(account, deals, frame));
    }
    if (module === 'Opportunities' && (action === 'index' || action === 'ListView')) {
      const deals = await db
        .selectFrom('deals')
        .selectAll()
        .where('crm', '=', 'suitecrm')
        .where('record_type', '=', 'deal')
        .orderBy('crm_id')
        .execute();
      // Like a pipeline view: open deals first, soonest close on top; then closed ones, most recent first.
      deals.sort((a, b) =>
        a.status === 'open' && b.status === 'open'
          ? (a.expected_close ?? '9999').localeCompare(b.expected_close ?? '9999')
          : a.status === 'open' ? -1 : b.status === 'open' ? 1 : (b.expected_close ?? '').localeCompare(a.expected_close ?? ''),
      );
      const accounts = await db.selectFrom('demo_accounts').selectAll().execute();
      return c.html(opportunitiesListPage(deals, new Map(accounts.map((account) => [account.id, account])), frame));
    }
    if (module === 'Accounts' && (action === 'index' || action === 'ListView')) {
      const accounts = await db.selectFrom('demo_accounts').selectAll().orderBy('name').execute();
      return c.html(accountsListPage(accounts, frame));
    }
    if (module === 'Home') return c.redirect(opportunitiesList);
    return c.html(notFoundPage(frame.words.notBuilt, frame), 404);
  });
