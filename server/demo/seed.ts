import { sql } from 'kysely';
import type { User } from '../../core/schema';
import { systemClock, type Clock } from '../clock';
import type { Store } from '../store/store';
import type { DealsTable, PlansTable } from '../store/tables';
import { insertDeals } from '../store/deals';
import { writeTransaction, type Tx } from '../store/transaction';
import { createUser, findUserByEmail } from '../store/users';
import { listInstances, upsertInstance, writeSettings } from '../store/workspace';
import { updateSettings } from '../plan/settings';
import { appendChanges, type ChangeEntry } from '../sync/change-log';
import type { Locale } from '../../core/i18n';
import { northwind, openStages, type DemoData, type DemoManager } from './northwind';
import { volga } from './volga';
import { seededRandom, type SeededRandom } from './prng';

/** Present once the demo workspace was seeded; the demo CRM pages are served only then. */
export const seedMarkerKey = 'demo_seeded_at';
const day = 24 * 60 * 60 * 1000;

export interface SeedResult {
  /** False when the workspace had been seeded before (nothing was written). */
  seeded: boolean;
  head: User;
}

export function demoDealUrl(origin: string, crmId: string): string {
  return `${origin}/demo/index.php?module=Opportunities&action=DetailView&record=${crmId}`;
}

/**
 * The demo CRM is this server's /demo/: its SuiteCRM tenant is the server's origin. A demo started on another
 * loopback origin than last time takes its records along (tenant, links), so the workspace keeps one demo tenant
 * and the extension asks for no stale origin.
 */
async function declareDemoTenant(tx: Tx, origin: string, now: string): Promise<void> {
  await upsertInstance(tx, { instance: origin, crm: 'suitecrm' }, now);
  const loopback = /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?$/;
  for (const earlier of await listInstances(tx)) {
    if (earlier.crm !== 'suitecrm' || earlier.instance === origin || !loopback.test(earlier.instance)) continue;
    for (const table of ['deals', 'notes', 'escalations'] as const) {
      await tx.updateTable(table).set({ instance: origin }).where('crm', '=', 'suitecrm').where('instance', '=', earlier.instance).execute();
    }
    await tx
      .updateTable('deals')
      .set({ url: sql<string>`replace(url, ${`${earlier.instance}/demo/`}, ${`${origin}/demo/`})` })
      .where('crm', '=', 'suitecrm')
      .where('instance', '=', origin)
      .execute();
    await tx.deleteFrom('crm_instances').where('instance', '=', earlier.instance).execute();
  }
}

/** The demo workspace in a language: Northwind Trading, or Волга Дистрибуция for HEADWAY_LOCALE=ru. */
export const demoDataFor = (locale: Locale = 'en'): DemoData => (locale === 'ru' ? volga : northwind);

/**
 * Seeds the demo workspace of `locale` on first run only; always declares `origin` as the demo's SuiteCRM tenant so
 * the extension overlays the demo pages whichever port the server runs on today.
 */
export async function seedDemo(store: Store, { origin, clock = systemClock, locale = 'en' }: { origin: string; clock?: Clock; locale?: Locale }): Promise<SeedResult> {
  const data = demoDataFor(locale);
  return writeTransaction(store, async (tx) => {
    const now = clock.now();
    await declareDemoTenant(tx, origin, now.toISOString());
    // The marker row is the lock: a second process seeding at the same moment finds it and writes nothing.
    const marker = await tx
      .insertInto('settings')
      .values({ key: seedMarkerKey, value: JSON.stringify(now.toISOString()) })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .executeTakeFirst();
    if (Number(marker.numInsertedOrUpdatedRows ?? 0) === 0) {
      const head = (await findUserByEmail(tx, data.head.email)) ?? (await findUserByEmail(tx, northwind.head.email)) ?? (await findUserByEmail(tx, volga.head.email));
      if (!head) throw new Error(`The demo was seeded before but its head of sales (${data.head.email}) is gone.`);
      return { seeded: false, head };
    }
    const head = await writeWorkspace(tx, data, origin, now);
    return { seeded: true, head };
  });
}

async function writeWorkspace(tx: Tx, data: DemoData, origin: string, now: Date): Promise<User> {
  const random = seededRandom(20260101);
  const createdAt = now.toISOString();
  await writeSettings(tx, { ...data.workspace });
  // A few deals are in a second currency: with a rate they count towards plans instead of being listed as excluded.
  await updateSettings(tx, { rates: { [data.foreign.currency]: data.foreign.rate }, calendarCountry: data.calendarCountry });
  const head = await createUser(tx, {
    name: data.head.name, email: data.head.email, role: 'head', team: 'Sales', capacity: 40,
    segments: { region: [], product: [], tier: [] }, absences: [],
    crmIdentities: [{ crm: 'suitecrm', ownerId: data.head.suiteUserName, name: data.head.name }],
  }, createdAt, random.uuid());
  await createUser(tx, {
    name: data.exec.name, email: data.exec.email, role: 'exec', team: 'Management', capacity: 0,
    segments: { region: [], product: [], tier: [] }, absences: [], crmIdentities: [],
  }, createdAt, random.uuid());
  const week = currentWeek(now);
  const managers = new Map<string, User>();
  for (const manager of data.managers) {
    managers.set(manager.key, await createUser(tx, {
      name: manager.name, email: manager.email, role: 'manager', team: 'Sales', capacity: manager.capacity,
      segments: { region: [manager.region, ...manager.alsoServes], product: [], tier: [] },
      absences: manager.absentThisWeek ? [week] : [],
      crmIdentities: [{ crm: 'suitecrm', ownerId: manager.suiteUserName, email: manager.email, name: manager.name }],
    }, createdAt, random.uuid()));
  }

  const accounts = data.managers.flatMap((manager) => makeAccounts(random, data, manager));
  await tx.insertInto('demo_accounts').values(accounts.map(({ manager: _m, brand: _b, ...account }) => account)).execute();

  const deals = makeDeals(random, data, accounts, managers, origin, now);
  await insertDeals(tx, deals);
  const plans = makePlans(random, data, managers, deals, now);
  await tx.insertInto('plans').values(plans).execute();

  const changes: ChangeEntry[] = [
    ...deals.map((deal) => ({ entity: 'deal' as const, entityId: deal.id, version: deal.version, ownerId: deal.owner_id })),
    ...plans.map((plan) => ({ entity: 'plan' as const, entityId: plan.id, version: plan.version, ownerId: plan.owner_id })),
  ];
  await appendChanges(tx, changes, createdAt);
  return head;
}

const ABSENT_DUE_THIS_WEEK = 3;
const CLOSED_PER_MANAGER = 27;
/**
 * How each manager runs against their plan: their year target is what they won so far, annualised, divided by
 * this (Marco a little ahead, Priya behind), so every period's attainment sits near its pace.
 */
const performance: Record<string, number> = { marco: 1.08, priya: 0.9, lukas: 0.97, sofia: 1.02 };

function currentWeek(now: Date): { from: string; to: string } {
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  const friday = new Date(monday.getTime() + 4 * day);
  return { from: isoDay(monday), to: isoDay(friday) };
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

interface DemoAccount {
  id: string;
  name: string;
  industry: string;
  city: string;
  country: string;
  phone: string;
  manager: string;
  /** The name without its legal form, as deal titles use it. */
  brand: string;
}

function makeAccounts(random: SeededRandom, data: DemoData, manager: DemoManager): DemoAccount[] {
  const used = new Set<string>();
  const accounts: DemoAccount[] = [];
  while (accounts.length < 15) {
    const stem = random.pick(data.accountStems);
    const trade = random.pick(data.accountTrades);
    if (used.has(`${stem} ${trade}`)) continue;
    used.add(`${stem} ${trade}`);
    const country = random.pick(manager.countries);
    accounts.push({
      id: random.uuid(),
      name: data.accountName(`${stem} ${trade}`, country),
      industry: trade,
      city: random.pick(data.cities[country] ?? ['—']),
      country,
      phone: data.phone(random),
      manager: manager.key,
      brand: `${stem} ${trade}`,
    });
  }
  return accounts;
}

function makeDeals(random: SeededRandom, data: DemoData, accounts: DemoAccount[], managers: Map<string, User>, origin: string, now: Date): DealsTable[] {
  const scale = data.amountScale;
  const deals: DealsTable[] = [];
  const yearStart = Date.UTC(now.getUTCFullYear(), 0, 1);
  const elapsed = Math.max(day, now.getTime() - yearStart);
  const base = (manager: DemoManager | undefined, account: DemoAccount): DealsTable => {
    const isPurchase = random.chance(0.14);
    const currency = random.chance(0.08) ? data.foreign.currency : data.workspace.reportingCurrency;
    const crmId = random.uuid();
    const product = isPurchase ? random.pick(data.purchaseProducts) : random.pick(data.saleProducts);
    return {
      id: random.uuid(),
      crm: 'suitecrm',
      instance: origin,
      crm_id: crmId,
      record_type: 'deal',
      title: `${account.brand} – ${product}`,
      kind: isPurchase ? 'purchase' : 'sale',
      amount: Math.round(random.int(40, 2500) * 100) * (isPurchase ? 0.6 : 1) * scale,
      currency,
      stage: null,
      probability: null,
      owner_id: manager ? managers.get(manager.key)?.id ?? null : null,
      owner_label: manager ? manager.name : null,
      segment: manager?.region ?? null,
      expected_close: null,
      status: 'open',
      closed_at: null,
      source: 'import',
      url: demoDealUrl(origin, crmId),
      account_crm_id: account.id,
      updated_at: now.toISOString(),
      version: 1,
    };
  };
  for (const manager of data.managers) {
    const own = accounts.filter((account) => account.manager === manager.key);
    for (let i = 0; i < manager.openDeals; i++) {
      const deal = base(manager, random.pick(own));
      const early = openStages.filter((stage) => stage.early === random.chance(manager.earlyStageBias));
      const stage = random.pick(early);
      deal.stage = stage.stage;
      deal.probability = stage.probability;
      deal.expected_close = isoDay(new Date(now.getTime() + random.int(5, 150) * day));
      // The absent manager has a few deals falling due this week, which need cover; the rest wait for them.
      const away = managers.get(manager.key)?.absences[0];
      if (away && i < ABSENT_DUE_THIS_WEEK) deal.expected_close = away.to;
      deals.push(deal);
    }
    // Closed business spread evenly over the year so far (one deal in each 27th of it, at a random moment within),
    // so the year, the quarter and the month each hold their share and their figures agree with one another.
    for (let i = 0; i < CLOSED_PER_MANAGER; i++) {
      const deal = base(manager, random.pick(own));
      const won = random.chance(0.68);
      // Deal sizes of one sales floor: €60k–160k, so a quarter's few wins do not swing it by half.
      deal.amount = Math.round((60_000 + (deal.amount! / scale / 250_000) * 100_000) / 100) * 100 * scale;
      const closedAt = new Date(yearStart + Math.floor(((i + random.next()) / CLOSED_PER_MANAGER) * elapsed));
      closedAt.setUTCHours(random.int(8, 17), random.int(0, 59), 0, 0);
      const closed = new Date(Math.min(closedAt.getTime(), now.getTime() - 60_000));
      deal.status = won ? 'won' : 'lost';
      deal.stage = won ? 'Closed Won' : 'Closed Lost';
      deal.probability = won ? 100 : 0;
      deal.closed_at = closed.toISOString();
      deal.expected_close = isoDay(closed);
      deals.push(deal);
    }
  }
  // A few deals nobody owns yet: every manager sees them, the head assigns them.
  for (let i = 0; i < 4; i++) {
    const deal = base(undefined, random.pick(accounts));
    deal.stage = 'Prospecting';
    deal.probability = 10;
    deal.expected_close = isoDay(new Date(now.getTime() + random.int(20, 90) * day));
    deals.push(deal);
  }
  // This month's wins at each manager's own pace, so the month view shows someone ahead and someone behind.
  // Drawn last so that the deals above (which the load-balancing demo relies on) stay as they were.
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const monthWins: Record<string, number> = { marco: 1, priya: 0, lukas: 1, sofia: 1 };
  for (const manager of data.managers) {
    const own = accounts.filter((account) => account.manager === manager.key);
    for (let i = 0; i < (monthWins[manager.key] ?? 0); i++) {
      const deal = base(manager, random.pick(own));
      const closed = new Date(Math.max(monthStart, now.getTime() - 60_000 - Math.floor(random.next() * (now.getTime() - monthStart))));
      deal.kind = 'sale';
      // A smaller order booked early in the month (€20k–50k): ahead of pace, not the month's target in one go.
      deal.amount = Math.round((20_000 + (deal.amount! / scale / 250_000) * 30_000) / 100) * 100 * scale;
      deal.status = 'won';
      deal.stage = 'Closed Won';
      deal.probability = 100;
      deal.closed_at = closed.toISOString();
      deal.expected_close = isoDay(closed);
      deals.push(deal);
    }
  }
  return deals;
}

/**
 * Plans a head of sales could have set in January: each manager's year target from their pace so far (their wins
 * to date, annualised, over their performance), the quarter a quarter of it and the month a twelfth; the
 * department's the sum of its managers', so the targets add up. Derived from the seeded deals, whatever the date.
 */
function makePlans(random: SeededRandom, data: DemoData, managers: Map<string, User>, deals: readonly DealsTable[], now: Date): PlansTable[] {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const starts = {
    month: isoDay(new Date(Date.UTC(year, month, 1))),
    quarter: isoDay(new Date(Date.UTC(year, month - (month % 3), 1))),
    year: `${year}-01-01`,
  };
  const yearStart = Date.UTC(year, 0, 1);
  const yearShare = Math.max(1 / 365, (now.getTime() - yearStart) / (Date.UTC(year + 1, 0, 1) - yearStart));
  const perPeriod = { month: 1 / 12, quarter: 1 / 4, year: 1 } as const;
  const round = (amount: number, to: number) => Math.max(to, Math.round(amount / to) * to);
  const plans: PlansTable[] = [];
  for (const kind of ['sale', 'purchase'] as const) {
    const yearly = data.managers.map((manager) => {
      const ownerId = managers.get(manager.key)?.id ?? null;
      const won = deals.filter((deal) => deal.owner_id === ownerId && deal.kind === kind && deal.status === 'won' && deal.closed_at! >= starts.year);
      const amount = won.reduce((sum, deal) => sum + (deal.amount ?? 0) * (deal.currency === data.foreign.currency ? data.foreign.rate : 1), 0);
      const pace = performance[manager.key] ?? 1;
      return { ownerId, target: amount / yearShare / pace, count: won.length / yearShare / pace };
    });
    for (const period of ['month', 'quarter', 'year'] as const) {
      const row = (ownerId: string | null, target: number, count: number | null): PlansTable => ({
        id: random.uuid(),
        kind,
        period,
        start: starts[period],
        owner_id: ownerId,
        target,
        currency: data.workspace.reportingCurrency,
        count_target: count,
        updated_at: now.toISOString(),
        version: 1,
      });
      const own = yearly.map((m) => ({
        ownerId: m.ownerId,
        target: round(m.target * perPeriod[period], 10_000 * data.amountScale),
        count: kind === 'sale' ? Math.max(1, Math.round(m.count * perPeriod[period])) : null,
      }));
      const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
      plans.push(row(null, sum(own.map((m) => m.target)), kind === 'sale' ? sum(own.map((m) => m.count!)) : null));
      for (const m of own) plans.push(row(m.ownerId, m.target, m.count));
    }
  }
  return plans;
}
