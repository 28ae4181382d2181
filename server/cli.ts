import { ZodError } from 'zod';
import { systemClock } from './clock';
import { findAdminCommand } from './cli/admin-commands';
import { parseCommandLine, type CommandLine } from './cli/arguments';
import { runServe } from './cli/serve';
import { CommandFailed, UsageError, usage } from './cli/usage';
import { loadServerConfig } from './config';
import { openMigratedStore } from './store/store';

// `npm run server -- <command>`: the server and the admin's tools. Exit codes: 0 done, 1 failed, 2 bad usage.

function fail(line: CommandLine | undefined, code: 1 | 2, error: string, message: string): never {
  const json = line?.json ?? process.argv.includes('--json');
  console.error(json ? JSON.stringify({ error, message }) : code === 2 ? `${message}\n\n${usage}` : message);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  let line: CommandLine | undefined;
  try {
    line = parseCommandLine(argv);
    if (line.help) {
      console.log(usage);
      return;
    }
    const config = (() => {
      try {
        return loadServerConfig(process.env);
      } catch (error) {
        if (error instanceof ZodError) {
          throw new UsageError(`Invalid environment: ${error.issues.map((issue) => `${issue.path.join('.')} – ${issue.message}`).join('; ')}`);
        }
        throw error;
      }
    })();
    const words = line.words;
    if (words.length === 0 || (words[0] === 'serve' && words.length === 1)) {
      await runServe(config, { seedDemo: line.seedDemo, json: line.json });
      return;
    }
    const command = findAdminCommand(words);
    if (!command) throw new UsageError(`Unknown command: ${words.join(' ')}`);
    if (line.seedDemo) throw new UsageError('--seed-demo belongs to serve.');
    const store = await openMigratedStore(config.databaseUrl);
    try {
      const output = await command(line, store, systemClock);
      console.log(line.json ? JSON.stringify(output.json) : output.text);
    } finally {
      await store.close();
    }
  } catch (error) {
    if (error instanceof UsageError) fail(line, 2, 'usage', error.message);
    if (error instanceof CommandFailed) fail(line, 1, 'failed', error.message);
    // Anything else (database unreachable, disk full): one line, no stack, unless asked for.
    const message = error instanceof Error ? error.message : String(error);
    if (process.env.HEADWAY_DEBUG) console.error(error);
    fail(line, 1, 'error', `Headway could not do that: ${message}`);
  }
}

await main(process.argv.slice(2));
