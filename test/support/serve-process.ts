// Real `serve` processes for tests of several processes on one database.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const root = resolve(import.meta.dirname, '../..');

export { freePort } from './embedded-postgres';

export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

/**
 * A TypeScript script as its own process (or, with no `nodeArgs`, a built one on plain node); resolves once it prints
 * {"listening": url} as its first line.
 */
export function listeningProcess(args: string[], env: NodeJS.ProcessEnv, children: ChildProcess[], nodeArgs = ['--import', 'tsx']): Promise<{ child: ChildProcess; url: string; stderr: string[] }> {
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  return new Promise((done, fail) => {
    createInterface({ input: child.stdout! }).once('line', (line) => done({ child, url: (JSON.parse(line) as { listening: string }).listening, stderr }));
    child.once('exit', (code) => fail(new Error(`${args.join(' ')} exited with ${code}: ${stderr.join('\n')}`)));
  });
}

/** `serve --json` as its own process; resolves with the process and its base URL once it prints that it listens. */
export function serveProcess(args: string[], env: NodeJS.ProcessEnv, children: ChildProcess[]) {
  return listeningProcess(['server/cli.ts', 'serve', '--json', ...args], env, children);
}

export const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise<number | null>((done) => child.once('exit', (code) => done(code)));


/** The pids whose parent is `pid` (Linux). */
export function childrenOf(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

/** A `serve` process and its cluster workers (not the esbuild helper tsx starts beside them). */
export function serverPids(primary: number): number[] {
  return [primary, ...childrenOf(primary).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server/cli.ts'))];
}

const ticksPerSecond = 100; // USER_HZ: what /proc/<pid>/stat counts CPU time in on Linux.

/** User + system CPU time these processes have used so far, in microseconds (from /proc/<pid>/stat). */
export function cpuMicros(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  }
  return (ticks / ticksPerSecond) * 1e6;
}

/** Resident memory of these processes now, in KiB (VmRSS of /proc/<pid>/status). */
export function residentKiB(pids: number[]): number {
  let kib = 0;
  for (const pid of pids) kib += Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
  return kib;
}
