// The people and places of the demo workspace "Northwind Trading". Plain data; seed.ts turns it into rows.
import type { CalendarCountry, WorkspaceSettings } from '../../core/schema';

export const demoWorkspace = { name: 'Northwind Trading', reportingCurrency: 'EUR', fiscalYearStartMonth: 1 } as const;

/**
 * One demo workspace as seed.ts needs it. The manager keys name their part in the story (marco a little ahead and
 * covering, priya overloaded, lukas away this week, sofia with room), whatever the people are called.
 */
export interface DemoData {
  workspace: WorkspaceSettings;
  head: { name: string; email: string; suiteUserName: string };
  exec: { name: string; email: string };
  managers: readonly DemoManager[];
  accountStems: readonly string[];
  accountTrades: readonly string[];
  cities: Record<string, readonly string[]>;
  saleProducts: readonly string[];
  purchaseProducts: readonly string[];
  /** How the CRM writes the company's name, legal form included ("Alpine Logistics GmbH", "ООО «Альпина Логистика»"). */
  accountName(brand: string, country: string): string;
  /** The currency a few deals are in besides the reporting one, and its rate to it. */
  foreign: { currency: string; rate: number };
  /** Deal sizes against the euro demo's (a sales floor in roubles counts about a hundred times as many units). */
  amountScale: number;
  /** Whose public holidays and transferred working days pace counts. */
  calendarCountry: CalendarCountry | null;
  phone(random: { int(min: number, max: number): number }): string;
}

export interface DemoManager {
  key: string;
  name: string;
  email: string;
  suiteUserName: string;
  region: string;
  /** Neighbouring regions this manager also serves, so that someone can cover or take over deals there. */
  alsoServes: readonly string[];
  countries: readonly string[];
  capacity: number;
  /** Open deals this manager carries: Priya's pile is what the load-balancing hint should point at. */
  openDeals: number;
  earlyStageBias: number;
  absentThisWeek: boolean;
}

export const demoHead = { name: 'Dana Whitfield', email: 'dana.whitfield@northwind.example', suiteUserName: 'dwhitfield' };
export const demoExec = { name: 'Eleanor Park', email: 'eleanor.park@northwind.example' };

export const demoManagers: readonly DemoManager[] = [
  { key: 'marco', name: 'Marco Rossi', email: 'marco.rossi@northwind.example', suiteUserName: 'mrossi', region: 'South', alsoServes: ['Central'], countries: ['Italy', 'Spain', 'Portugal'], capacity: 120, openDeals: 24, earlyStageBias: 0.3, absentThisWeek: false },
  { key: 'priya', name: 'Priya Shah', email: 'priya.shah@northwind.example', suiteUserName: 'pshah', region: 'North', alsoServes: [], countries: ['United Kingdom', 'Netherlands', 'Belgium'], capacity: 100, openDeals: 44, earlyStageBias: 0.85, absentThisWeek: false },
  { key: 'lukas', name: 'Lukas Becker', email: 'lukas.becker@northwind.example', suiteUserName: 'lbecker', region: 'Central', alsoServes: ['South'], countries: ['Germany', 'Austria', 'Switzerland'], capacity: 100, openDeals: 18, earlyStageBias: 0.35, absentThisWeek: true },
  { key: 'sofia', name: 'Sofia Lindqvist', email: 'sofia.lindqvist@northwind.example', suiteUserName: 'slindqvist', region: 'Nordics', alsoServes: ['North'], countries: ['Sweden', 'Norway', 'Denmark', 'Finland'], capacity: 80, openDeals: 8, earlyStageBias: 0.3, absentThisWeek: false },
];

/** SuiteCRM 7's default sales stages and the probabilities it suggests for them. */
export const openStages: readonly { stage: string; probability: number; early: boolean }[] = [
  { stage: 'Prospecting', probability: 10, early: true },
  { stage: 'Qualification', probability: 20, early: true },
  { stage: 'Needs Analysis', probability: 25, early: true },
  { stage: 'Value Proposition', probability: 30, early: false },
  { stage: 'Id. Decision Makers', probability: 40, early: false },
  { stage: 'Perception Analysis', probability: 50, early: false },
  { stage: 'Proposal/Price Quote', probability: 65, early: false },
  { stage: 'Negotiation/Review', probability: 80, early: false },
];

export const accountStems = [
  'Alpine', 'Baltic', 'Harbour', 'Meridian', 'Northgate', 'Oakridge', 'Pinnacle', 'Riverside', 'Summit', 'Tidewater',
  'Evergreen', 'Granite', 'Silverline', 'Bluefjord', 'Copperfield', 'Lakeshore', 'Redwood', 'Sterling', 'Westbrook', 'Falcon',
] as const;
export const accountTrades = [
  'Logistics', 'Foods', 'Retail Group', 'Hospitality', 'Engineering', 'Pharma', 'Builders', 'Textiles', 'Marine', 'Office Supply',
] as const;
export const legalForms: Record<string, string> = {
  Italy: 'S.p.A.', Spain: 'S.L.', Portugal: 'Lda.', 'United Kingdom': 'Ltd', Netherlands: 'B.V.', Belgium: 'NV',
  Germany: 'GmbH', Austria: 'GmbH', Switzerland: 'AG', Sweden: 'AB', Norway: 'AS', Denmark: 'ApS', Finland: 'Oy',
};
export const cities: Record<string, readonly string[]> = {
  Italy: ['Milan', 'Turin', 'Bologna'], Spain: ['Madrid', 'Valencia', 'Bilbao'], Portugal: ['Lisbon', 'Porto'],
  'United Kingdom': ['Leeds', 'Bristol', 'Manchester'], Netherlands: ['Rotterdam', 'Utrecht'], Belgium: ['Antwerp', 'Ghent'],
  Germany: ['Hamburg', 'Cologne', 'Leipzig'], Austria: ['Vienna', 'Graz'], Switzerland: ['Basel', 'Zurich'],
  Sweden: ['Gothenburg', 'Malmö'], Norway: ['Bergen', 'Oslo'], Denmark: ['Aarhus', 'Odense'], Finland: ['Tampere', 'Espoo'],
};
export const saleProducts = [
  'Fleet telematics renewal', 'Warehouse shelving', 'Cold-chain containers', 'Annual coffee supply', 'Packaging line upgrade',
  'Office furniture refit', 'Spare parts framework', 'Forklift lease', 'Cleaning consumables', 'Label printers rollout',
] as const;
export const purchaseProducts = ['Raw timber', 'Corrugated board', 'Pallet wrap', 'Diesel framework', 'Steel brackets'] as const;

export const northwind: DemoData = {
  workspace: { ...demoWorkspace },
  head: demoHead,
  exec: demoExec,
  managers: demoManagers,
  accountStems,
  accountTrades,
  cities,
  saleProducts,
  purchaseProducts,
  accountName: (brand, country) => `${brand} ${legalForms[country] ?? ''}`.trim(),
  foreign: { currency: 'USD', rate: 0.92 },
  amountScale: 1,
  calendarCountry: null,
  phone: (random) => `+${random.int(30, 49)} ${random.int(100, 999)} ${random.int(100000, 999999)}`,
};
