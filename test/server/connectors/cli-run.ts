import { runCli } from '../../../server/cli/run';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one admin command in this process, as `npm run server -- …` would, and keeps what it printed. */
export async function cli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { env, out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
