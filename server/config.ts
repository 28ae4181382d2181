import { z } from 'zod';
import { UserLocale } from '../core/schema';
import { isNetwork } from './http/networks';

/**
 * Which reverse proxies may tell us the client's address in X-Forwarded-For: none (`hops: 0`), the nearest N
 * (`hops`), or those in these networks (`networks`, safer: a client that reaches the server directly cannot pose as
 * a proxy). See server/http/client-ip.ts for how the header is read.
 */
export const TrustedProxies = z.union([
  z.object({ hops: z.number().int().min(0).max(10) }).strict(),
  z.object({ networks: z.array(z.string().refine(isNetwork, 'an IP address or a CIDR network such as 10.0.0.0/8')).min(1) }).strict(),
]);
export type TrustedProxies = z.infer<typeof TrustedProxies>;

/** HEADWAY_TRUST_PROXY: 0/false/no, 1/true/yes (one proxy), a number of proxies, or comma-separated addresses/CIDRs. */
const TrustProxyEnv = z
  .string()
  .trim()
  .transform((value, ctx): TrustedProxies => {
    const word = value.toLowerCase();
    if (['', '0', 'false', 'no'].includes(word)) return { hops: 0 };
    if (['true', 'yes'].includes(word)) return { hops: 1 };
    if (/^\d+$/.test(word)) return { hops: Number(word) };
    const networks = value.split(',').map((n) => n.trim()).filter((n) => n !== '');
    const wrong = networks.filter((n) => !isNetwork(n));
    if (wrong.length > 0) ctx.addIssue({ code: 'custom', message: `not a number of proxies nor addresses/CIDR networks: ${wrong.join(', ')}` });
    return { networks };
  })
  .pipe(TrustedProxies);

/** What createApp needs; every field has a default so tests and the CLI can pass `AppConfig.parse({})`. */
export const AppConfig = z.object({
  /** Largest accepted request body (a push of 500 mutations with long notes stays well below). */
  bodyLimitBytes: z.number().int().min(1024).default(1024 * 1024),
  /**
   * Largest CSV body POST /api/deals/import reads. It is read as a stream, never held whole, so it may be far
   * larger: 128 MiB is over a million rows of a typical CRM export.
   */
  importBodyLimitBytes: z.number().int().min(1024).default(128 * 1024 * 1024),
  /** Pairing attempts allowed per client IP per window. */
  pairRateLimit: z.object({ max: z.number().int().min(1), windowMs: z.number().int().min(1000) }).default({ max: 10, windowMs: 10 * 60 * 1000 }),
  /** Behind a reverse proxy the client IP comes from X-Forwarded-For; trusting it otherwise would let anyone dodge the limit. */
  trustProxy: TrustedProxies.default({ hops: 0 }),
  /** Internal networks a webhook may reach all the same (a chat server on the LAN); none by default. */
  webhookAllowNetworks: z.array(z.string().refine(isNetwork, 'an IP address or a CIDR network such as 10.0.0.0/8')).default([]),
});
export type AppConfig = z.infer<typeof AppConfig>;


/** The process environment, parsed once at start-up. */
export const ServerEnv = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  DATABASE_URL: z.string().min(1).optional(),
  HEADWAY_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).optional(),
  HEADWAY_IMPORT_LIMIT_BYTES: z.coerce.number().int().min(1024).optional(),
  HEADWAY_PAIR_ATTEMPTS: z.coerce.number().int().min(1).optional(),
  HEADWAY_TRUST_PROXY: TrustProxyEnv.optional(),
  /** The demo workspace's language (`npm start` seeds Волга Дистрибуция for ru); English by default. */
  HEADWAY_LOCALE: UserLocale.optional(),
  HEADWAY_WEBHOOK_ALLOW_NETWORKS: z.string().transform((value) => value.split(',').map((n) => n.trim()).filter((n) => n !== '')).optional(),
  /** Seconds between SLA sweeps (and the weekly report's check), and between delivery-outbox runs. */
  HEADWAY_SLA_SWEEP_SECONDS: z.coerce.number().min(0.1).default(60),
  HEADWAY_DELIVERY_SECONDS: z.coerce.number().min(0.1).default(10),
});

export interface ServerConfig {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  /** HEADWAY_LOCALE: which demo workspace --seed-demo seeds. */
  locale: UserLocale;
  app: AppConfig;
  /** How often `serve`'s background timers run (server/escalation/scheduler.ts). */
  timers: { sweepEveryMs: number; deliverEveryMs: number };
}

export function loadServerConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const parsed = ServerEnv.parse(env);
  const defaults = AppConfig.parse({});
  return {
    host: parsed.HOST,
    port: parsed.PORT,
    databaseUrl: parsed.DATABASE_URL,
    timers: { sweepEveryMs: parsed.HEADWAY_SLA_SWEEP_SECONDS * 1000, deliverEveryMs: parsed.HEADWAY_DELIVERY_SECONDS * 1000 },
    locale: parsed.HEADWAY_LOCALE ?? 'en',
    app: AppConfig.parse({
      bodyLimitBytes: parsed.HEADWAY_BODY_LIMIT_BYTES ?? defaults.bodyLimitBytes,
      importBodyLimitBytes: parsed.HEADWAY_IMPORT_LIMIT_BYTES ?? defaults.importBodyLimitBytes,
      pairRateLimit: { ...defaults.pairRateLimit, max: parsed.HEADWAY_PAIR_ATTEMPTS ?? defaults.pairRateLimit.max },
      trustProxy: parsed.HEADWAY_TRUST_PROXY ?? defaults.trustProxy,
      webhookAllowNetworks: parsed.HEADWAY_WEBHOOK_ALLOW_NETWORKS ?? defaults.webhookAllowNetworks,
    }),
  };
}
