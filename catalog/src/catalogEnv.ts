import { z } from 'zod';
import { DEFAULT_KNOBS, knobsSchema, milliseconds, type Knobs } from './knobs.ts';
import type { CatalogOptions } from './startCatalog.ts';

const envMilliseconds = z.coerce.number().pipe(milliseconds);

/** Every environment variable `npm run catalog` reads. The README documents each one. */
const envSchema = z.object({
  CATALOG_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  CATALOG_HOST: z.string().default('0.0.0.0'),
  CATALOG_SEED: z.coerce.number().int().default(42),
  CATALOG_ITEM_COUNT: z.coerce.number().int().min(1).max(1_000_000).default(5000),
  CATALOG_LATENCY_MS: envMilliseconds.default(DEFAULT_KNOBS.latencyMs),
  CATALOG_TOP_LATENCY_MS: envMilliseconds.optional(),
  CATALOG_ITEMS_LATENCY_MS: envMilliseconds.optional(),
  CATALOG_ERROR_RATE: z.coerce.number().pipe(knobsSchema.shape.errorRate).default(DEFAULT_KNOBS.errorRate),
  CATALOG_RATE_LIMIT_RPS: z.coerce.number().pipe(knobsSchema.shape.rateLimitRps).default(DEFAULT_KNOBS.rateLimitRps),
  CATALOG_DOWN: z.enum(['true', 'false']).transform((value) => value === 'true').default(DEFAULT_KNOBS.down),
});

/** The stand-in's options from the environment; throws naming every invalid variable. */
export function catalogOptionsFromEnv(env: NodeJS.ProcessEnv): CatalogOptions {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid catalog configuration:\n${problems.join('\n')}`);
  }
  const { data } = parsed;
  const endpointLatencyMs: Knobs['endpointLatencyMs'] = {};
  if (data.CATALOG_TOP_LATENCY_MS !== undefined) endpointLatencyMs.top = data.CATALOG_TOP_LATENCY_MS;
  if (data.CATALOG_ITEMS_LATENCY_MS !== undefined) endpointLatencyMs.items = data.CATALOG_ITEMS_LATENCY_MS;
  return {
    port: data.CATALOG_PORT,
    host: data.CATALOG_HOST,
    seed: data.CATALOG_SEED,
    itemCount: data.CATALOG_ITEM_COUNT,
    knobs: {
      latencyMs: data.CATALOG_LATENCY_MS,
      endpointLatencyMs,
      errorRate: data.CATALOG_ERROR_RATE,
      rateLimitRps: data.CATALOG_RATE_LIMIT_RPS,
      down: data.CATALOG_DOWN,
    },
  };
}
