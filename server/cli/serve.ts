import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../app';
import { issuePairingCode } from '../auth/pairing';
import { systemClock } from '../clock';
import type { ServerConfig } from '../config';
import { demoDataFor, seedDemo } from '../demo/seed';
import { connectorEnvFrom } from '../connectors/env';
import { startConnectorRuntime } from '../connectors/runtime';
import { startEscalationTimers } from '../escalation/scheduler';
import { openMigratedStore, type Store } from '../store/store';
import { createPokeChannel } from '../sync/poke-channel';

export function originFor(host: string, port: number): string {
  // A wildcard bind is reached through loopback from this machine's browser.
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

export interface ServeOptions {
  seedDemo: boolean;
  json: boolean;
  out(line: string): void;
  err(line: string): void;
}

/**
 * Seeds the demo workspace if asked (in the language HEADWAY_LOCALE names) and prints the "listening" line (with
 * the demo's pairing code).
 */
export async function announce(store: Store, listening: string, config: Pick<ServerConfig, 'locale'>, options: ServeOptions): Promise<void> {
  const report: { listening: string; pairingCode?: string; demoUrl?: string; pairingFor?: { name: string; email: string } } = { listening };
  if (options.seedDemo) {
    const { head, seeded } = await seedDemo(store, { origin: listening, clock: systemClock, locale: config.locale });
    const { code } = await issuePairingCode(store.db, head.id, systemClock);
    report.pairingCode = code;
    report.pairingFor = { name: head.name, email: head.email };
    report.demoUrl = `${listening}/demo/`;
    if (!options.json) {
      options.out(seeded ? `Seeded the ${demoDataFor(config.locale).workspace.name} demo workspace.` : 'Demo workspace already seeded; left as it is.');
      options.out(`Demo CRM: ${report.demoUrl}`);
      options.out(`Pairing code for ${head.name} (head of sales): ${code} (works once, within 10 minutes)`);
    }
  }
  options.out(options.json ? JSON.stringify(report) : `Headway server listening on ${listening}`);
}

/**
 * Starts listening; resolves once the "listening" line is printed. SIGTERM/SIGINT close it gracefully. A worker of
 * `serve --workers` (server/cli/workers.ts) neither seeds nor announces: its primary does, once, and also closes it
 * when the primary goes away.
 */
export async function runServe(config: ServerConfig, options: ServeOptions & { worker?: boolean }): Promise<void> {
  const store = await openMigratedStore(config.databaseUrl);
  // The connectors' environment (its key among it) comes first: the app opens HubSpot's sealed webhook secret with it.
  const { env: connectorEnv, variables } = connectorEnvFrom(process.env, store, systemClock, 'serve');
  const app = createApp({ store, clock: systemClock, config: config.app, box: connectorEnv.box });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(started));
    started.once('error', reject);
  });
  // "Pull now" over one WebSocket per browser (server/sync/poke-channel.ts).
  const pokes = createPokeChannel({ store, clock: systemClock });
  pokes.attach(server as Server);
  const port = (server.address() as AddressInfo).port;
  const listening = originFor(config.host, port);

  if (!options.worker) await announce(store, listening, config, options);
  // SLA sweep, webhook/e-mail outbox and the weekly report; safe with several processes on one database.
  const timers = startEscalationTimers(store, systemClock, { ...config.timers, err: options.err, webhookAllowNetworks: config.app.webhookAllowNetworks });
  // CRM connectors: background syncs and write-backs; safe with several processes (a lease per connection).
  const connectors = startConnectorRuntime(connectorEnv, { everySeconds: variables.HEADWAY_CRM_SYNC_SECONDS, err: options.err });

  let closing = false;
  const close = (signal: string) => {
    if (closing) return;
    closing = true;
    timers.stop();
    void pokes.close();
    if (!options.json && !options.worker) options.err(`${signal}: closing…`);
    // Idle keep-alive sockets would hold close() open; requests in flight still finish.
    server.close(() => {
      connectors.stop().finally(() => store.close().finally(() => process.exit(0)));
    });
    (server as Server).closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGTERM', () => close('SIGTERM'));
  process.once('SIGINT', () => close('SIGINT'));
  // A primary killed outright leaves its workers without a listening socket: they end too.
  if (options.worker) process.once('disconnect', () => close('primary gone'));
}
