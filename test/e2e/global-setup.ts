import { spawnSync } from 'node:child_process';
import { findChromium, repoRoot } from './harness';

// Runs once before the e2e project: fail loudly without Chromium (a skipped browser test proves nothing),
// and test the extension as it is built now, not a stale .output.
export default function setup(): void {
  findChromium();
  if (process.env.HEADWAY_SKIP_BUILD === '1') return;
  // Chrome for every test, Firefox for test/e2e/firefox.test.ts.
  for (const args of [['wxt', 'build'], ['wxt', 'build', '-b', 'firefox']]) {
    const build = spawnSync('npx', args, { cwd: repoRoot, stdio: 'inherit' });
    if (build.status !== 0) throw new Error(`npx ${args.join(' ')} failed (exit ${build.status}); the e2e tests need a built extension.`);
  }
}
