import { spawnSync } from 'node:child_process';
import { findChromium, repoRoot } from './harness';

// Runs once before the e2e project: fail loudly without Chromium (a skipped browser test proves nothing),
// and test the extension as it is built now, not a stale .output.
export default function setup(): void {
  findChromium();
  if (process.env.HEADWAY_SKIP_BUILD === '1') return;
  const build = spawnSync('npx', ['wxt', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`npx wxt build failed (exit ${build.status}); the e2e tests need a built extension.`);
}
