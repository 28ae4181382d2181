import { runCli } from './cli/run';

// `npm run server -- <command>`: the server and the admin's tools (see server/cli/usage.ts).
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
if (code !== 0) process.exit(code);
