// `npm run bench [-- --quick]`: every budget of DESIGN.md measured beside a baseline measured in the same run.
// Prints one table, writes bench/results.json, and exits non-zero when a budget fails.
// `--only=<text>` runs the suites whose name contains the text. A partial or quick run prints its table but leaves
// bench/results.json and BENCHMARKS.md alone, so they always hold a whole, full run and a quick check changes no
// tracked file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchBundleSize } from './bundle-size';
import { benchCrmSync } from './crm-sync';
import { benchDealsImport } from './deals-import';
import { benchLoadApi } from './load-api';
import { benchPlanBalance } from './plan-balance';
import { benchProgress } from './progress';
import { benchPullLoad } from './pull-load';
import { benchPushIngest } from './push-ingest';
import { benchSidebarPaint } from './sidebar-paint';
import { ratio, type BenchOptions, type BenchRow } from './row';

type Suite = { name: string; run: (options: BenchOptions) => Promise<BenchRow[]> };

const suites: Suite[] = [
  { name: 'bundle size', run: benchBundleSize },
  { name: 'sidebar paint (Chromium)', run: benchSidebarPaint },
  { name: 'plan progress', run: benchProgress },
  { name: 'plan & balance maths', run: benchPlanBalance },
  { name: 'load balance API', run: benchLoadApi },
  { name: 'push ingest', run: benchPushIngest },
  { name: 'pull under load', run: benchPullLoad },
  { name: 'crm sync', run: benchCrmSync },
  { name: 'deals import', run: benchDealsImport },
];

/** How to get each figure again, written under the table. */
const reproduce = `## Reproducing a figure

\`npm run bench -- --only=<suite>\` runs one suite (\`--quick\` on smaller inputs, \`--no-build\` reuses .output/).
Suites: ${suites.map((suite) => `"${suite.name}"`).join(', ')}. The load average at the time is in the push and pull rows:
on a shared machine their figures move with it.

- **Push ingest**: a real \`serve\` process and a bare Hono endpoint (test/bench/bare-push-server.ts), each in its own
  process, driven in turn by autocannon in a third (test/bench/load-generator.ts): 20 connections, each a client
  pushing batches of 50 new notes; best of two alternating rounds; server CPU from /proc/<pid>/stat.
- **Pull under load**: \`serve --workers 2\` on PostgreSQL (and one process on SQLite), seeded with the demo workspace
  and 200 paired devices; autocannon in its own process keeps 200 pulls in flight from the cursors those devices hold
  (one in ten a first sync), then the same against /healthz, in the same run. Throughout, another process holds 2,000
  idle poke sockets (200 with \`--quick\`) spread over those devices' tokens; memory per idle connection is the servers'
  VmRSS before and after opening them, over their number. Poke to pulled: during the measured pulls a manager pushes
  one note at a time; from the push until the head's socket says \`pull\` and the head's pull is answered (up to 20).`;

function format(value: number | null, unit = ''): string {
  if (value === null) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 2 : 3;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits })}${unit ? ` ${unit}` : ''}`;
}

async function main(): Promise<boolean> {
  const options: BenchOptions = { quick: process.argv.includes('--quick') };
  const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).toLowerCase();
  const selected = only ? suites.filter((suite) => suite.name.toLowerCase().includes(only)) : suites;
  if (selected.length === 0) throw new Error(`No bench suite matches --only=${only}; suites: ${suites.map((s) => s.name).join(', ')}.`);
  if (!process.argv.includes('--no-build')) {
    console.log('▶ Building the extension…');
    const build = spawnSync('npx', ['wxt', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('The extension build failed.');
  }
  const rows: (BenchRow & { suite: string })[] = [];
  for (const suite of selected) {
    console.log(`▶ ${suite.name}…`);
    for (const row of await suite.run(options)) rows.push({ ...row, suite: suite.name });
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const header = ['what', 'measured', 'baseline (same run)', 'ratio', 'budget', ''];
  const table = rows.map((row) => [
    row.name,
    format(row.value, row.unit),
    row.baseline === null ? '—' : `${format(row.baseline, row.unit)} (${row.baselineName})`,
    format(ratio(row)),
    row.budget,
    row.pass ? 'pass' : 'FAIL',
  ]);
  const markdown = [header, header.map(() => '---'), ...table].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  console.log(`\n${markdown}\n\nMachine: ${machine}${options.quick ? ' (quick run)' : ''}`);
  if (only || options.quick) return rows.some((row) => !row.pass);
  mkdirSync('bench', { recursive: true });
  writeFileSync(
    'bench/results.json',
    JSON.stringify({ at: new Date().toISOString(), machine, quick: options.quick, rows: rows.map((row) => ({ ...row, ratio: ratio(row) })) }, null, 2),
  );
  writeFileSync(
    'BENCHMARKS.md',
    `# Benchmarks\n\nWritten by \`npm run bench\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.\n` +
      `Machine: ${machine}.\n\n` +
      'Every figure stands beside a baseline measured in the same run on the same machine, so the ratio means more ' +
      'than the absolute number on a shared or noisy machine. Budgets come from ../shared/DESIGN.md.\n\n' +
      `${markdown}\n\n${reproduce}\n`,
  );
  return rows.some((row) => !row.pass);
}

// An explicit exit code: a suite's helpers (browser, servers) reset process.exitCode on their way out, so a failed
// budget once ended the run with 0.
main().then((failed) => process.exit(failed ? 1 : 0)).catch((error: unknown) => {
  console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
