import cluster from 'node:cluster';
import { ZodError } from 'zod';
import { systemClock, type Clock } from '../clock';
import { loadServerConfig } from '../config';
import { openMigratedStore } from '../store/store';
import { adminCommandName, findAdminCommand } from './admin-commands';
import { parseCommandLine, type CommandLine } from './arguments';
import { runServe } from './serve';
import { runPrimary } from './workers';
import { BadLine, CommandFailed, UsageError, flagsOf, usage, usageFor } from './usage';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
  clock?: Clock;
}

/**
 * Runs one command and answers its exit code: 0 done, 1 failed, 2 bad usage. `serve` answers 0 once it
 * listens and keeps the process alive. No stack trace reaches the terminal unless HEADWAY_DEBUG is set.
 */
export async function runCli(argv: string[], io: CliIo): Promise<0 | 1 | 2> {
  let line: CommandLine | undefined;
  // With --json the one promised object is on stdout, failures included, so a script always has one to parse;
  // the plain message still goes to stderr for whoever watches.
  // A malformed line gets the usage of the command it aimed at; a bad value only its message.
  const fail = (code: 1 | 2, error: string, message: string, showUsage = false): 1 | 2 => {
    if (line?.json ?? argv.some((word) => word === '--json' || word.startsWith('--json='))) io.out(JSON.stringify({ error, message }));
    io.err(showUsage ? `${message}\n\n${usageFor(line?.words ?? argv.filter((word) => !word.startsWith('-')))}` : message);
    return code;
  };
  try {
    line = parseCommandLine(argv);
    if (line.help) {
      io.out(usage);
      return 0;
    }
    const config = environment(io.env);
    const words = line.words;
    const serving = words.length === 0 || (words[0] === 'serve' && words.length === 1);
    const name = serving ? 'serve' : adminCommandName(words);
    const taken = flagsOf(serving ? ['serve'] : words);
    const foreign = line.flags.filter((flag) => !taken.has(flag));
    if (name !== undefined && foreign.length > 0) throw new BadLine(`${foreign.map((flag) => `--${flag}`).join(', ')}: not an option of ${name}.`);
    if (serving) {
      const serveOptions = { seedDemo: line.seedDemo, json: line.json, out: io.out, err: io.err };
      const workers = workerCount(line.options.workers);
      if (cluster.isWorker) await runServe(config, { ...serveOptions, worker: true });
      else if (workers > 1) await runPrimary(config, workers, serveOptions);
      else await runServe(config, serveOptions);
      return 0;
    }
    const command = findAdminCommand(words);
    if (!command) throw new BadLine(`Unknown command: ${words.join(' ')}`);
    const store = await openMigratedStore(config.databaseUrl);
    try {
      const output = await command(line, store, io.clock ?? systemClock, { env: io.env, err: io.err });
      io.out(line.json ? JSON.stringify(output.json) : output.text);
      return output.exitCode ?? 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    if (error instanceof UsageError) return fail(2, 'usage', error.message, error instanceof BadLine);
    if (error instanceof CommandFailed) return fail(1, 'failed', error.message);
    // Anything else (database unreachable, disk full): one line, no stack, unless asked for.
    if (io.env.HEADWAY_DEBUG) io.err(String(error instanceof Error ? error.stack : error));
    return fail(1, 'error', `Headway could not do that: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function workerCount(value: string | undefined): number {
  if (value === undefined) return 1;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 64) throw new UsageError(`--workers wants a whole number from 1 to 64, not "${value}".`);
  return Number(value);
}

function environment(env: NodeJS.ProcessEnv) {
  try {
    return loadServerConfig(env);
  } catch (error) {
    if (error instanceof ZodError) {
      throw new UsageError(`Invalid environment: ${error.issues.map((issue) => `${issue.path.join('.')} – ${issue.message}`).join('; ')}`);
    }
    throw error;
  }
}
