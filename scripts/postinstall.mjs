// `npm install`'s postinstall: `wxt prepare` writes .wxt/ (the extension's generated types and tsconfig). wxt is a
// dev dependency, so a production install of the server (`npm ci --omit=dev`) has none and needs no .wxt/: skip.
import { spawnSync } from 'node:child_process';

try {
  import.meta.resolve('wxt');
} catch {
  console.log('wxt is not installed (a production install): skipping wxt prepare.');
  process.exit(0);
}
const prepare = spawnSync('npx', ['wxt', 'prepare'], { stdio: 'inherit' });
process.exit(prepare.status ?? 1);
