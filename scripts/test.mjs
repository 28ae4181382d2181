// `npm test`: the whole suite, real Chromium and real PostgreSQL included.
// Order: find (or install) Chromium, typecheck, build the extension once for Chrome and once for Firefox, run every vitest project, then print
// one closing line "Tests: N passed, N failed" that CI can read.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { ensureChromium } from './chromium.mjs';

function run(label, command, args, env = process.env) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  return result.status ?? 1;
}

let chromium;
try {
  chromium = ensureChromium();
} catch (error) {
  console.error(`\n✖ ${error.message}`);
  process.exit(1);
}

const extraArgs = process.argv.slice(2);

/** Tracked files that differ from HEAD (null outside a git checkout): a test run must change none of them. */
function trackedChanges() {
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' });
  return status.status === 0 ? status.stdout : null;
}
const changedBefore = trackedChanges();
if (run('Typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']) !== 0) process.exit(1);
if (run('Build the extension (Chrome MV3)', 'npx', ['wxt', 'build']) !== 0) process.exit(1);
if (run('Build the extension (Firefox MV2, for the Firefox smoke test)', 'npx', ['wxt', 'build', '-b', 'firefox']) !== 0) process.exit(1);

mkdirSync('test-results', { recursive: true });
const env = { ...process.env, CHROMIUM_PATH: chromium, HEADWAY_SKIP_BUILD: '1' };
const status = run(
  'Tests: unit, server (SQLite + PostgreSQL), e2e (Chromium)',
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json', ...extraArgs],
  env,
);

const changedAfter = trackedChanges();
if (changedBefore !== null && changedAfter !== changedBefore) {
  console.error(`\n✖ The test run changed tracked files (screenshots belong to \`npm run screenshots\`):\n${changedAfter}`);
  process.exitCode = 1;
}

try {
  const report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(`\nTests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
  if (report.numTotalTests === 0) {
    console.error('✖ No test ran.');
    process.exit(1);
  }
  // A suite whose setup failed reports its tests as skipped; neither a failure nor a skip may pass the run.
  if (!report.success || report.numFailedTests > 0 || skipped > 0) process.exit(status || 1);
  if (process.exitCode) process.exit(process.exitCode);
} catch {
  console.error('✖ The test report was not written: the run did not finish.');
  process.exit(status || 1);
}
process.exit(status);
