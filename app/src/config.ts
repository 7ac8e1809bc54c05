import { z } from 'zod';
import { BEARER_TOKEN_RULE, isBearerToken } from './http/bearerToken.ts';

const milliseconds = z.coerce.number().int().nonnegative();
const seconds = z.coerce.number().int().positive();
const booleanFlag = z.enum(['true', 'false']).transform((value) => value === 'true');
/** CATALOG_DEADLINE_MS when unset: 3 s, or one attempt's timeout when that is longer. */
const DEFAULT_CATALOG_DEADLINE_MS = 3000;

/** Every environment variable the service reads, with its default. The README documents each one. */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Port of the HTTP API; 0 picks a free one (tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/postgres'),
  PG_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Longest wait for a PostgreSQL connection (new, or a free one of the pool); beyond it a request answers 503. */
  PG_CONNECTION_TIMEOUT_MS: z.coerce.number().int().positive().default(2000),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  /** Prefix of every Redis key, so several instances or test runs can share one Redis. */
  REDIS_KEY_PREFIX: z.string().default('app:'),
  CATALOG_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4000'),
  /** Timeout of one catalog HTTP call. */
  CATALOG_TIMEOUT_MS: milliseconds.default(2000),
  /** Time one recommendation request may spend on the catalog, every attempt and wait included. Default below. */
  CATALOG_DEADLINE_MS: milliseconds.optional(),
  /** Largest catalog response body read; a longer one is cut off and counts as a server error. */
  CATALOG_MAX_RESPONSE_BYTES: z.coerce.number().int().positive().default(1_048_576),
  /** Attempts per catalog call, the first included. */
  CATALOG_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
  /** First retry delay; doubles per attempt, with full jitter. */
  CATALOG_BACKOFF_BASE_MS: milliseconds.default(100),
  /** Longest single wait between attempts, Retry-After included. */
  CATALOG_BACKOFF_MAX_MS: milliseconds.default(5000),
  /** Consecutive failed attempts (retries included) that open the circuit breaker. */
  CATALOG_BREAKER_THRESHOLD: z.coerce.number().int().min(1).default(5),
  /** How long the breaker stays open before one trial call. */
  CATALOG_BREAKER_COOLDOWN_MS: milliseconds.default(10_000),
  /** Freshness of cached catalog data; stale copies are kept longer for when the catalog is down. */
  CACHE_TTL_SECONDS: seconds.default(300),
  CACHE_STALE_TTL_SECONDS: seconds.default(86_400),
  /** Bearer token of the administrator (profiling and metrics endpoints): exactly what the auth middleware accepts. */
  ADMIN_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .refine(isBearerToken, `must be a bearer token: ${BEARER_TOKEN_RULE} (no spaces)`),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest accepted JSON body, in bytes. */
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(100_000),
  /** How long a graceful shutdown may take before in-flight requests are cut. */
  SHUTDOWN_TIMEOUT_MS: milliseconds.default(10_000),
  /** Apply SQL migrations at start. */
  MIGRATE_ON_START: booleanFlag.default(true),
  /** Longest wait for the migration lock another instance holds; beyond it start-up fails. */
  MIGRATION_LOCK_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  /** Requests slower than this go to the slow request log. */
  SLOW_REQUEST_MS: milliseconds.default(500),
  /** How many slow requests the slow request log keeps (the newest). */
  SLOW_REQUEST_LOG_SIZE: z.coerce.number().int().min(1).max(100_000).default(200),
  /** Where CPU and heap profiles are written. */
  PROFILE_DIR: z.string().default('profiles'),
  /** Take a CPU profile automatically when a request turns slow or the event loop stalls. */
  PROFILE_AUTO_CAPTURE: booleanFlag.default(true),
  /** Length of one automatic CPU profile, taken when a request turns slow or the event loop stalls. */
  PROFILE_CAPTURE_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** Least time between two automatic CPU profiles. */
  PROFILE_CAPTURE_MIN_INTERVAL_MS: milliseconds.default(60_000),
  /** An event loop blocked longer than this counts as a stall (and triggers an automatic CPU profile). */
  EVENT_LOOP_STALL_MS: z.coerce.number().int().min(10).default(200),
  /** Grafana's base URL: the admin page links each slow request's trace to Explore (Tempo) there. */
  GRAFANA_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:3000'),
  /** Time between two samples of the admin page's one-hour history. */
  METRICS_HISTORY_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
}).superRefine((config, ctx) => {
  // A deadline shorter than one attempt's timeout would cut every slow-but-healthy first attempt short.
  if (config.CATALOG_DEADLINE_MS !== undefined && config.CATALOG_DEADLINE_MS < config.CATALOG_TIMEOUT_MS) {
    ctx.addIssue({ code: 'custom', path: ['CATALOG_DEADLINE_MS'], message: `must be at least CATALOG_TIMEOUT_MS (${config.CATALOG_TIMEOUT_MS})` });
  }
}).transform((config) => ({ ...config, CATALOG_DEADLINE_MS: config.CATALOG_DEADLINE_MS ?? Math.max(DEFAULT_CATALOG_DEADLINE_MS, config.CATALOG_TIMEOUT_MS) }));

export type Config = z.infer<typeof schema>;

/** Reads and validates the environment once; throws an error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
