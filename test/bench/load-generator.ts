// The load generator of the pull and push benches, in a process of its own (autocannon), so the server's figures
// carry none of the clients' CPU. `drive()` spawns this file; run as a script it reads one LoadSpec on stdin, drives
// the target and prints one LoadResult line on stdout.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';

/** The CRM tenant the pushed notes are on (the bench declares it, as `crm add` would). */
export const benchTenant = { crm: 'suitecrm', instance: 'https://crm.bench.example' } as const;

/** A paired device as a client: its token, and the cursor it pulls from. */
export interface PullingDevice {
  token: string;
  cursor: number;
  limit: number;
}

export type LoadSpec = {
  url: string;
  connections: number;
  seconds: number;
} & (
  | { kind: 'get'; path: string }
  /** Each request: the next device, round robin, pulling from its cursor. */
  | { kind: 'pull'; devices: PullingDevice[] }
  /** Each request: a batch of `batchSize` new notes from a client of its own, mutation ids in order per client. */
  | { kind: 'push'; batchSize: number; headers: Record<string, string> }
);

export interface LoadResult {
  p50: number;
  p99: number;
  /** Connection errors, timeouts and answers other than 2xx. */
  errors: number;
  requests: number;
  requestsPerSecond: number;
}

const generator = resolve(import.meta.dirname, 'load-generator.ts');
const tsx = resolve(import.meta.dirname, '../../node_modules/.bin/tsx');

/** Drives the target from a separate process and answers what it measured. */
export function drive(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((done, fail) => {
    const child = spawn(tsx, [generator], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done(JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult) : fail(new Error(`the load generator exited with ${code}`))));
    child.stdin.end(JSON.stringify(spec));
  });
}

function noteBatch(firstId: number, batchSize: number) {
  const createdAt = new Date().toISOString();
  return Array.from({ length: batchSize }, (_, i) => ({
    mutationId: firstId + i,
    name: 'note.create',
    args: {
      id: randomUUID(),
      side: 'buyer',
      text: 'Asked for 12 % off if they sign before the quarter ends; we offered 8 % and a longer payment term.',
      discountPct: 8,
      nextStep: 'Send the revised quote',
      nextStepDate: '2026-12-01',
      record: { ...benchTenant, crmId: `opp-${firstId + i}`, recordType: 'deal' },
      recordTitle: 'Acme renewal',
      createdAt,
    },
  }));
}

type Request = { method?: string; path?: string; headers?: Record<string, string>; body?: string };

function requestsOf(spec: LoadSpec): autocannon.Request[] {
  if (spec.kind === 'get') return [{ method: 'GET', path: spec.path }];
  if (spec.kind === 'pull') {
    const { devices } = spec;
    let next = 0;
    const setupRequest = (request: Request) => {
      const device = devices[next++ % devices.length]!;
      return { ...request, method: 'GET', path: `/api/sync/pull?cursor=${device.cursor}&limit=${device.limit}`, headers: { authorization: `Bearer ${device.token}` } };
    };
    return [{ setupRequest } as unknown as autocannon.Request];
  }
  // A client sends its batches one after another: a connection takes an idle client and gives it back on the answer.
  const idle: { clientId: string; next: number }[] = [];
  const setupRequest = (request: Request, context: { client?: { clientId: string; next: number } }) => {
    const client = idle.pop() ?? { clientId: `bench-${randomUUID().slice(0, 18)}`, next: 1 };
    context.client = client;
    const body = JSON.stringify({ clientId: client.clientId, mutations: noteBatch(client.next, spec.batchSize) });
    client.next += spec.batchSize;
    return { ...request, method: 'POST', path: '/api/sync/push', headers: { 'content-type': 'application/json', ...spec.headers }, body };
  };
  const onResponse = (_status: number, _body: string, context: { client?: { clientId: string; next: number } }) => {
    if (context.client) idle.push(context.client);
  };
  return [{ setupRequest, onResponse } as unknown as autocannon.Request];
}

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const spec = JSON.parse(input) as LoadSpec;
  const result = await autocannon({ url: spec.url, connections: spec.connections, duration: spec.seconds, requests: requestsOf(spec), timeout: 30 });
  const answer: LoadResult = {
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / spec.seconds,
  };
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
