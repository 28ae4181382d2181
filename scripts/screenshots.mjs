// `npm run screenshots`: the README's pictures in docs/, taken by the e2e tests that show each screen in the state
// worth showing (test/e2e/harness.ts, shot()). `npm test` takes the same pictures into test-results/ instead, so a
// test run leaves the tracked files as it found them; this command is the one that changes docs/.
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './chromium.mjs';

const SHOOTING = [
  'test/e2e/skeleton.test.ts',
  'test/e2e/sidebar-demo.test.ts',
  'test/e2e/sidebar-russian.test.ts',
  'test/e2e/pages-russian.test.ts',
  'test/e2e/reader-language.test.ts',
  'test/e2e/dashboard.test.ts',
  'test/e2e/escalation.test.ts',
  'test/e2e/escalation-reports.test.ts',
];

let chromium;
try {
  chromium = ensureChromium();
} catch (error) {
  console.error(`\n✖ ${error.message}`);
  process.exit(1);
}
console.log('\n▶ Build the extension (Chrome MV3)');
if (spawnSync('npx', ['wxt', 'build'], { stdio: 'inherit' }).status !== 0) process.exit(1);
console.log('\n▶ Screenshots into docs/');
const env = { ...process.env, CHROMIUM_PATH: chromium, HEADWAY_SKIP_BUILD: '1', HEADWAY_SCREENSHOTS: 'docs' };
const result = spawnSync('npx', ['vitest', 'run', '--project', 'e2e', ...SHOOTING], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
