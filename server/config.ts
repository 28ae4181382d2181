import { z } from 'zod';

/** What createApp needs; every field has a default so tests and the CLI can pass `AppConfig.parse({})`. */
export const AppConfig = z.object({
  /** Largest accepted request body (a push of 500 mutations with long notes stays well below). */
  bodyLimitBytes: z.number().int().min(1024).default(1024 * 1024),
  /** Pairing attempts allowed per client IP per window. */
  pairRateLimit: z.object({ max: z.number().int().min(1), windowMs: z.number().int().min(1000) }).default({ max: 10, windowMs: 10 * 60 * 1000 }),
  /** Behind a reverse proxy the client IP comes from X-Forwarded-For; trusting it otherwise would let anyone dodge the limit. */
  trustProxy: z.boolean().default(false),
});
export type AppConfig = z.infer<typeof AppConfig>;

const flag = z.enum(['1', '0', 'true', 'false', 'yes', 'no']).transform((value) => ['1', 'true', 'yes'].includes(value));

/** The process environment, parsed once at start-up. */
export const ServerEnv = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  DATABASE_URL: z.string().min(1).optional(),
  HEADWAY_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).optional(),
  HEADWAY_PAIR_ATTEMPTS: z.coerce.number().int().min(1).optional(),
  HEADWAY_TRUST_PROXY: flag.optional(),
});

export interface ServerConfig {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  app: AppConfig;
}

export function loadServerConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const parsed = ServerEnv.parse(env);
  const defaults = AppConfig.parse({});
  return {
    host: parsed.HOST,
    port: parsed.PORT,
    databaseUrl: parsed.DATABASE_URL,
    app: AppConfig.parse({
      bodyLimitBytes: parsed.HEADWAY_BODY_LIMIT_BYTES ?? defaults.bodyLimitBytes,
      pairRateLimit: { ...defaults.pairRateLimit, max: parsed.HEADWAY_PAIR_ATTEMPTS ?? defaults.pairRateLimit.max },
      trustProxy: parsed.HEADWAY_TRUST_PROXY ?? false,
    }),
  };
}
