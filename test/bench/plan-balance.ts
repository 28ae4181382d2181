// Budgets of DESIGN.md for core/plan and core/balance, each measured beside the obvious implementation in the same
// run: load hints on 1,000 managers × 200,000 open deals (≤ 50 ms, issue 15) and plan progress over 1,000,000 closed deals
// (≤ 50 ms per request). Run alone with `npx tsx test/bench/plan-balance.ts [--quick]`.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { naiveReassign, suggestReassignments } from '../../core/balance';
import { DailyTotals, dayNumber, departmentProgress, isoDate, planProgress, workCalendar } from '../../core/plan';
import type { BalanceState, Deal, Plan, User } from '../../core/schema';
import type { BenchOptions, BenchRow } from './row';

/** Deterministic inputs: the same numbers on every run and machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = ['EMEA', 'APAC', 'LATAM', 'NA', 'DACH'];
const TIERS = ['Enterprise', 'Mid-market', 'SMB'];
const STAGES = ['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Proposal/Price Quote', 'Negotiation/Review', 'contract sent', 'Custom stage'];
const TODAY = '2026-03-16';

function makeDeal(id: string, fields: Partial<Deal>): Deal {
  return {
    crm: 'salesforce', instance: 'https://acme.my.salesforce.com', crmId: id, recordType: 'deal', id, title: id, kind: 'sale', amount: 1000, currency: 'EUR',
    stage: null, probability: 50, ownerId: null, ownerLabel: null, segment: null, expectedClose: null, status: 'open',
    closedAt: null, source: 'api', url: null, updatedAt: '2026-01-01T00:00:00Z', version: 1, ...fields,
  };
}

/** A sales floor with uneven load: a few managers carry far more than their share, some are away today. */
export function balanceInput(managerCount: number, dealCount: number, seed = 42): BalanceState {
  const rnd = random(seed);
  const managers: User[] = Array.from({ length: managerCount }, (_, i) => ({
    id: `u${String(i).padStart(5, '0')}`, name: `Manager ${i}`, email: `m${i}@example.com`, role: 'manager', team: null,
    capacity: 300 + Math.floor(rnd() * 600),
    segments: {
      region: REGIONS.filter(() => rnd() < 0.35),
      product: [],
      tier: TIERS.filter(() => rnd() < 0.3),
    },
    absences: rnd() < 0.02 ? [{ from: '2026-03-10', to: '2026-03-27' }] : [],
    crmIdentities: [], createdAt: '2026-01-01T00:00:00Z',
  }));
  // Skewed ownership (weight ∝ 1/(1 + rank/400)): the first managers carry about 3.5 times the last ones' deals,
  // so roughly the top tenth is over capacity and the bottom third under half — a floor worth rebalancing.
  const weights = managers.map((_, i) => 1 / (1 + i / 400));
  const cumulative: number[] = [];
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const total = cumulative[cumulative.length - 1]!;
  const pickOwner = () => {
    const x = rnd() * total;
    let lo = 0, hi = cumulative.length - 1;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (cumulative[mid]! < x) lo = mid + 1; else hi = mid; }
    return managers[lo]!.id;
  };
  const deals: Deal[] = Array.from({ length: dealCount }, (_, i) => {
    const r = rnd();
    return makeDeal(`o${i}`, {
      ownerId: pickOwner(),
      stage: STAGES[Math.floor(rnd() * STAGES.length)]!,
      segment: r < 0.6 ? null : r < 0.9 ? REGIONS[Math.floor(rnd() * REGIONS.length)]! : `tier: ${TIERS[Math.floor(rnd() * TIERS.length)]}`,
      expectedClose: isoDate(dayNumber(TODAY) + Math.floor(rnd() * 120)),
      amount: Math.round(rnd() * 100_000),
    });
  });
  return { managers, deals, today: TODAY };
}

/** Won deals over two years across managers and three currencies (one without a rate), plus open pipeline. */
export function progressInput(closedCount: number, openCount: number, managerCount: number, seed = 7) {
  const rnd = random(seed);
  const first = dayNumber('2025-01-01');
  const currencies = ['EUR', 'EUR', 'EUR', 'USD', 'GBP', 'CHF'];
  const owner = () => `u${String(Math.floor(rnd() * managerCount)).padStart(5, '0')}`;
  const closed = Array.from({ length: closedCount }, (_, i) =>
    makeDeal(`c${i}`, {
      ownerId: owner(), status: rnd() < 0.7 ? 'won' : 'lost', kind: rnd() < 0.85 ? 'sale' : 'purchase',
      amount: Math.round(rnd() * 5_000_000) / 100, currency: currencies[Math.floor(rnd() * currencies.length)]!,
      closedAt: `${isoDate(first + Math.floor(rnd() * 450))}T11:00:00Z`,
    }),
  );
  const open = Array.from({ length: openCount }, (_, i) =>
    makeDeal(`p${i}`, { ownerId: owner(), expectedClose: isoDate(dayNumber(TODAY) + Math.floor(rnd() * 60)), probability: Math.floor(rnd() * 100) }),
  );
  const plans: Plan[] = [
    { id: 'dept', kind: 'sale', period: 'quarter', start: '2026-01-01', ownerId: null, target: 50_000_000, currency: 'EUR', countTarget: null, updatedAt: '', version: 1 },
    ...Array.from({ length: managerCount }, (_, i): Plan => ({
      id: `p${i}`, kind: 'sale', period: 'quarter', start: '2026-01-01', ownerId: `u${String(i).padStart(5, '0')}`,
      target: 50_000, currency: 'EUR', countTarget: null, updatedAt: '', version: 1,
    })),
  ];
  return { closed, open, plans, rates: { USD: 0.92, GBP: 1.17 }, reportingCurrency: 'EUR' };
}

interface Timing {
  wall: number;
  /** CPU time of this process (all its threads, GC included) over the same calls: shows how much of the wall
   * time was spent waiting for a core when other work shares the machine. */
  cpu: number;
}

/** Median wall and CPU time of `runs` calls, after `warmUp` untimed calls (JIT, heap sizing). */
function measure(runs: number, fn: () => unknown, warmUp = 2): Timing {
  for (let i = 0; i < warmUp; i++) fn();
  const walls: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    fn();
    walls.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { wall: median(walls), cpu: median(cpuTimes) };
}

export type PlanBalanceRow = BenchRow & { ratio: number | null; cpuMs: number | null };

export async function benchPlanBalance(options: BenchOptions): Promise<PlanBalanceRow[]> {
  const runs = options.quick ? 3 : 7;
  const rows: PlanBalanceRow[] = [];
  const row = (r: Omit<BenchRow, 'pass' | 'value'> & { timing: Timing; limit: number }): void => {
    const { limit, timing, ...rest } = r;
    rows.push({ ...rest, value: timing.wall, cpuMs: timing.cpu, pass: timing.wall <= limit, ratio: r.baseline ? timing.wall / r.baseline : null });
  };

  // (a) Load hints. The naive baseline is O(moves × (managers + deals per donor)); on the full input it takes a few
  // seconds, so the quick run compares both on a 100 × 20,000 slice instead.
  const full = balanceInput(1000, 200_000);
  const moves = suggestReassignments(full).moves.length;
  const fast = measure(runs, () => suggestReassignments(full));
  row({ name: `suggestReassignments, 1,000 managers × 200,000 open deals (${moves} moves)`, timing: fast, unit: 'ms', baseline: null, baselineName: null, budget: '≤ 50 ms', limit: 50 });
  if (options.quick) {
    const slice = balanceInput(100, 20_000);
    const naive = measure(1, () => naiveReassign(slice), 0);
    row({ name: 'suggestReassignments vs naiveReassign on a 100 × 20,000 slice', timing: measure(runs, () => suggestReassignments(slice)), unit: 'ms', baseline: naive.wall, baselineName: 'naive repeated scan, same slice', budget: 'faster than baseline', limit: naive.wall });
  } else {
    const naive = measure(1, () => naiveReassign(full), 0);
    row({ name: 'suggestReassignments vs naiveReassign, 1,000 × 200,000 (identical moves)', timing: fast, unit: 'ms', baseline: naive.wall, baselineName: 'naive repeated scan, same input', budget: 'faster than baseline', limit: naive.wall });
  }

  // (b) Plan progress over 1,000,000 closed deals (200,000 in a quick run).
  const managers = 1000;
  const input = progressInput(options.quick ? 200_000 : 1_000_000, 20_000, managers);
  const totals = new DailyTotals();
  const build = measure(1, () => { for (const deal of input.closed) totals.add(deal); }, 0);
  const calendar = workCalendar(['2026-01-01', '2026-01-06']);
  const common = { today: TODAY, holidays: calendar, rates: input.rates, reportingCurrency: input.reportingCurrency };
  const rawDeals = [...input.closed, ...input.open];
  const deptPlan = input.plans[0]!;
  const closedLabel = input.closed.length.toLocaleString('en-US');
  const raw = measure(runs, () => planProgress({ ...common, plan: deptPlan, deals: rawDeals }), 1);
  row({ name: `planProgress (department, quarter) over ${closedLabel} closed + 20,000 open deals, via DailyTotals`, timing: measure(runs, () => planProgress({ ...common, plan: deptPlan, deals: input.open, wonTotals: totals })), unit: 'ms', baseline: raw.wall, baselineName: 'raw scan of every deal', budget: '≤ 50 ms', limit: 50 });
  const department = (deals: Deal[], wonTotals?: DailyTotals) => () =>
    departmentProgress({ ...common, plans: input.plans, deals, wonTotals, kind: 'sale', unit: 'quarter', start: '2026-01-01' });
  const wholeRaw = measure(1, department(rawDeals), 0);
  row({ name: `departmentProgress (department + ${managers} managers) over ${closedLabel} closed deals, via DailyTotals`, timing: measure(runs, department(input.open, totals)), unit: 'ms', baseline: wholeRaw.wall, baselineName: 'raw deals grouped by owner', budget: '≤ 50 ms', limit: 50 });
  row({ name: `DailyTotals: adding ${closedLabel} closed deals one by one (once, at server start)`, timing: build, unit: 'ms', baseline: null, baselineName: null, budget: 'informational', limit: Infinity });
  // How fast the machine is right now: a fixed arithmetic loop. When other work shares the cores, every row above
  // slows by roughly the factor this one slows by compared with a run on an idle machine.
  const reference = new Float64Array(1_000_000);
  row({
    name: 'reference: 50 M multiply-adds over a Float64Array (machine speed right now)',
    timing: measure(3, () => {
      for (let r = 0; r < 50; r++) for (let i = 0; i < reference.length; i++) reference[i] = reference[i]! * 0.5 + i;
    }, 1),
    unit: 'ms', baseline: null, baselineName: null, budget: 'informational', limit: Infinity,
  });
  return rows;
}

if (/plan-balance\.[tj]s$/.test(process.argv[1] ?? '')) {
  const rows = await benchPlanBalance({ quick: process.argv.includes('--quick') });
  const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(v >= 100 ? 0 : 2));
  console.log('| what | wall | CPU | baseline | ratio | budget | |\n| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(`| ${r.name} | ${fmt(r.value)} ${r.unit} | ${fmt(r.cpuMs)} ms | ${r.baseline === null ? '—' : `${fmt(r.baseline)} ${r.unit} (${r.baselineName})`} | ${fmt(r.ratio)} | ${r.budget} | ${r.pass ? 'pass' : 'FAIL'} |`);
  }
  console.log(`\nload average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  if (rows.some((r) => !r.pass)) process.exitCode = 1;
}
