// The load generator of the pull and push benches, in a process of its own (autocannon), so the server's figures
// carry none of the clients' CPU. `drive()` spawns this file; run as a script it reads one LoadSpec line on stdin,
// drives the target and prints one LoadResult line on stdout. `hold()` spawns it too: that process opens idle poke
// connections, prints a line once every one is ready, and keeps them until its stdin closes.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { WebSocket } from 'ws';
import { PokeServerMessage, pokePath } from '../../core/schema/poke';

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

/** `connections` idle poke sockets, saying hello with `tokens` round robin, held until told to let go. */
export interface HoldSpec {
  url: string;
  connections: number;
  tokens: string[];
}

/** What `hold()` answers once every socket is ready: how long that took, and how to close them all. */
export interface Held {
  readyAfterMs: number;
  release(): Promise<void>;
}

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

type Command = { drive: LoadSpec } | { hold: HoldSpec };

/** This file as a process, given one command; answers its first line on stdout, or fails with its exit code. */
function generatorProcess(command: Command, endInput: boolean): { child: ChildProcess; firstLine: Promise<string>; exit: Promise<number | null> } {
  const child = spawn(tsx, [generator], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exit = new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('exit', done);
  });
  const firstLine = new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout! }).once('line', done);
    exit.then((code) => fail(new Error(`the load generator exited with ${code}`)), fail);
  });
  child.stdin!.write(`${JSON.stringify(command)}\n`);
  if (endInput) child.stdin!.end();
  return { child, firstLine, exit };
}

/** Drives the target from a separate process and answers what it measured. */
export async function drive(spec: LoadSpec): Promise<LoadResult> {
  const { firstLine, exit } = generatorProcess({ drive: spec }, true);
  const line = await firstLine;
  if ((await exit) !== 0) throw new Error('the load generator failed');
  return JSON.parse(line) as LoadResult;
}

/** Opens idle poke connections from a separate process; resolves once every one is ready. */
export async function hold(spec: HoldSpec): Promise<Held> {
  const { child, firstLine, exit } = generatorProcess({ hold: spec }, false);
  const { readyAfterMs } = JSON.parse(await firstLine) as { readyAfterMs: number };
  return {
    readyAfterMs,
    async release() {
      child.stdin!.end();
      if ((await exit) !== 0) throw new Error('a held poke socket closed during the run');
    },
  };
}

/** One poke socket: says hello with `token`, resolves once the server answers ready. */
export function pokeSocket(url: string, token: string, onPull: () => void = () => {}): Promise<WebSocket> {
  return new Promise((done, fail) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}${pokePath}`);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'hello', token })));
    socket.once('error', fail);
    socket.once('close', (code, reason) => fail(new Error(`the poke socket closed before ready: ${code} ${reason.toString()}`)));
    socket.on('message', (data) => {
      const message = PokeServerMessage.parse(JSON.parse(data.toString()));
      if (message.type === 'ready') done(socket);
      else if (message.type === 'pull') onPull();
    });
  });
}

/** Opens the sockets a few hundred at a time (the server's accept backlog), waits for every ready, prints when. */
async function holdSockets(spec: HoldSpec, input: AsyncIterable<unknown>): Promise<void> {
  const started = performance.now();
  const sockets: WebSocket[] = [];
  let releasing = false;
  const wave = 250;
  for (let first = 0; first < spec.connections; first += wave) {
    const count = Math.min(wave, spec.connections - first);
    sockets.push(...(await Promise.all(Array.from({ length: count }, (_, i) => pokeSocket(spec.url, spec.tokens[(first + i) % spec.tokens.length]!)))));
  }
  // A socket that drops while held is an error of the run, not something to reconnect quietly.
  for (const socket of sockets) {
    socket.removeAllListeners('close');
    socket.on('close', (code) => {
      if (!releasing) {
        console.error(`A held poke socket closed: ${code}`);
        process.exit(1);
      }
    });
  }
  process.stdout.write(`${JSON.stringify({ readyAfterMs: performance.now() - started })}\n`);
  for await (const _ of input) {
    // Nothing more is sent; the end of stdin is the signal to let go.
  }
  releasing = true;
  for (const socket of sockets) socket.close(1000);
}

export function noteBatch(firstId: number, batchSize: number) {
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
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const command = JSON.parse(String((await lines.next()).value)) as Command;
  if ('hold' in command) return holdSockets(command.hold, { [Symbol.asyncIterator]: () => lines });
  const spec = command.drive;
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
