// A deals import in a process of its own, so its memory is measured alone: `npx tsx test/support/import-child.ts
// --db <DATABASE_URL> --file <csv> [--rows <n>] [-- <deals import options>]`. With --rows it first writes a
// Maven-shaped CSV of n rows to --file (test/support/deals-csv.ts). Prints one JSON line: exit code, milliseconds, and
// the process's peak resident memory (VmHWM) before the import and after it.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runCli } from '../../server/cli/run';
import { writeDealsCsv } from './deals-csv';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { db: { type: 'string' }, file: { type: 'string' }, rows: { type: 'string' } } });
const file = values.file!;

/** The kernel's peak resident set of this process, in MiB. */
const peakMiB = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;

if (values.rows) await writeDealsCsv(file, Number(values.rows));
const before = peakMiB();
const start = performance.now();
const out: string[] = [];
const err: string[] = [];
const code = await runCli(['deals', 'import', file, ...positionals, '--json'], { env: { DATABASE_URL: values.db! }, out: (l) => out.push(l), err: (l) => err.push(l) });
const answer: unknown = code === 0 ? JSON.parse(out[0] ?? 'null') : err.join('\n');
const ms = performance.now() - start;
console.log(JSON.stringify({ code, ms, peakBeforeMiB: before, peakMiB: peakMiB(), answer: code === 0 && answer && typeof answer === 'object' && 'preview' in answer ? { ...answer, preview: undefined } : answer }));
process.exit(0);
