// 200 concurrent clients pulling from the real server over loopback: latency percentiles and errors, beside the
// same load against GET /healthz (no auth, no database) measured in the same run.
// Runnable alone: `npx tsx test/bench/pull-load.ts [--quick]`.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { Agent, get } from 'node:http';
import { createApp } from '../../server/app';
import { hashDeviceToken, newDeviceToken } from '../../server/auth/secrets';
import { systemClock } from '../../server/clock';
import { seedDemo } from '../../server/demo/seed';
import { openMigratedStore } from '../../server/store/store';
import type { BenchOptions, BenchRow } from './row';

const concurrentClients = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface LoadResult {
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

/** Every client sends `perClient` requests one after another; all clients at once. */
function getStatus(url: string, headers: Record<string, string>, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers, agent }, (response) => {
      response.on('data', () => {});
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    }).on('error', reject);
  });
}

async function load(url: string, headers: Record<string, string>, perClient: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrentClients });
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrentClients }, async () => {
      for (let i = 0; i < perClient; i++) {
        const started = performance.now();
        try {
          if ((await getStatus(url, headers, agent)) !== 200) errors += 1;
        } catch {
          errors += 1;
        }
        latencies.push(performance.now() - started);
      }
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors, requests: latencies.length };
}

export async function benchPullLoad({ quick }: BenchOptions): Promise<BenchRow[]> {
  const perClient = quick ? 5 : 25;
  const dir = mkdtempSync(join(tmpdir(), 'headway-bench-pull-'));
  const store = await openMigratedStore(`file:${join(dir, 'headway.sqlite')}`);
  let server: ServerType | undefined;
  try {
    const url = await new Promise<string>((resolve) => {
      const app = createApp({ store, clock: systemClock });
      server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`));
    });
    // The demo workspace gives a realistic change log (~200 deals, plans, users) for the head of sales to pull.
    const { head } = await seedDemo(store, { origin: url });
    const token = newDeviceToken();
    const now = new Date().toISOString();
    await store.db.insertInto('device_tokens').values({ id: randomUUID(), token_hash: hashDeviceToken(token), user_id: head.id, device_name: 'bench', created_at: now, last_used_at: now, revoked_at: null }).execute();
    const auth = { authorization: `Bearer ${token}` };
    await load(`${url}/api/sync/pull?cursor=0&limit=100`, auth, 1);
    const baseline = await load(`${url}/healthz`, {}, perClient);
    const pull = await load(`${url}/api/sync/pull?cursor=0&limit=100`, auth, perClient);
    const row = (name: string, value: number, base: number, unit: string, budget: string, pass: boolean): BenchRow =>
      ({ name, value, unit, baseline: base, baselineName: 'GET /healthz under the same load', budget, pass });
    return [
      row(`Pull, ${concurrentClients} concurrent clients, p50`, pull.p50, baseline.p50, 'ms', 'no errors', pull.errors === 0),
      row(`Pull, ${concurrentClients} concurrent clients, p99`, pull.p99, baseline.p99, 'ms', 'no errors', pull.errors === 0),
      row(`Pull errors (${pull.requests} requests)`, pull.errors, baseline.errors, 'errors', '0', pull.errors === 0),
    ];
  } finally {
    server?.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await benchPullLoad({ quick: process.argv.includes('--quick') }));
}
