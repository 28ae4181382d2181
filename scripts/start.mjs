// `npm start`: build the extension, start the server on SQLite with the demo workspace, and tell the user the
// three steps that connect the two. The server's own output follows.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';

const extensionDir = resolve('.output/chrome-mv3');

console.log('▶ Building the extension…');
const build = spawnSync('npx', ['wxt', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  console.error('✖ The extension build failed (see above).');
  process.exit(build.status ?? 1);
}
console.log(`✔ Extension built in ${extensionDir}`);

console.log('▶ Starting the Headway server…');
const server = spawn('npx', ['tsx', 'server/cli.ts', 'serve', '--seed-demo', '--json'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));

let announced = false;
createInterface({ input: server.stdout }).on('line', (line) => {
  if (announced) return console.log(line);
  let ready;
  try {
    ready = JSON.parse(line);
  } catch {
    return console.log(line);
  }
  if (!ready.listening) return console.log(line);
  announced = true;
  const demoUrl = ready.demoUrl ?? `${ready.listening}/demo/`;
  console.log(`
✔ Headway server listening on ${ready.listening} (SQLite: ${process.env.DATABASE_URL ?? './data/headway.sqlite'})

Three steps to see Headway on the demo CRM:
  1. In Chrome or Chromium open chrome://extensions, switch on "Developer mode",
     click "Load unpacked" and choose ${extensionDir}
  2. In Headway's options page (it opens after install; or right-click the icon → Options) enter
       Server URL    ${ready.listening}
       Pairing code  ${ready.pairingCode ?? '(run: npm run server -- pair <email>)'}
     and press Connect.
  3. Open the demo CRM: ${demoUrl}

The pairing code${ready.pairingFor ? ` (for ${ready.pairingFor.name}, head of sales)` : ''} works once, within 10 minutes; a new one:
  npm run server -- pair ${ready.pairingFor?.email ?? '<email>'}
Stop with Ctrl+C.
`);
});
