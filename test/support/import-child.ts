// A deals import in a process of its own, so its memory is measured alone: `npx tsx test/support/import-child.ts
// --db <DATABASE_URL> --file <csv> [--rows <n>] [--bare-read] [-- <deals import options>]`. With --rows it first
// writes a Maven-shaped CSV of n rows to --file. Prints one JSON line: exit code, milliseconds, and the process's peak
// resident memory (VmHWM) before the import and after it. --bare-read only reads the file through (the baseline).
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { runCli } from '../../server/cli/run';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { db: { type: 'string' }, file: { type: 'string' }, rows: { type: 'string' }, 'bare-read': { type: 'boolean' } } });
const file = values.file!;

/** The kernel's peak resident set of this process, in MiB. */
const peakMiB = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;

const stages = ['Won', 'Lost', 'Engaging', 'Prospecting'];
async function writeCsv(rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n');
  for (let i = 0; i < rows; i++) {
    const stage = stages[i % 4]!;
    const closed = stage === 'Won' || stage === 'Lost';
    const line = `OPP${String(i).padStart(8, '0')},Agent ${i % 30},GTX Pro,"Account ${i % 500}, Ltd",${stage},2017-03-01,${closed ? '2017-06-01' : ''},${closed ? 1000 + (i % 5000) : ''}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The same file read through and split into lines, as cheaply as Node can: what streaming alone costs. */
async function bareRead(): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 }) as AsyncIterable<string>) {
    for (let at = chunk.indexOf('\n'); at !== -1; at = chunk.indexOf('\n', at + 1)) lines++;
  }
  return lines;
}

if (values.rows) await writeCsv(Number(values.rows));
const before = peakMiB();
const start = performance.now();
let code = 0;
let answer: unknown = null;
if (values['bare-read']) answer = { lines: await bareRead() };
else {
  const out: string[] = [];
  const err: string[] = [];
  code = await runCli(['deals', 'import', file, ...positionals, '--json'], { env: { DATABASE_URL: values.db! }, out: (l) => out.push(l), err: (l) => err.push(l) });
  answer = code === 0 ? JSON.parse(out[0] ?? 'null') : err.join('\n');
}
const ms = performance.now() - start;
console.log(JSON.stringify({ code, ms, peakBeforeMiB: before, peakMiB: peakMiB(), answer: code === 0 && answer && typeof answer === 'object' && 'preview' in answer ? { ...answer, preview: undefined } : answer }));
process.exit(0);
