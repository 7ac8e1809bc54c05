import { z } from 'zod';

export const CATALOG_ENDPOINTS = ['top', 'items'] as const;
export type CatalogEndpoint = (typeof CATALOG_ENDPOINTS)[number];

export const milliseconds = z.number().int().min(0).max(600_000);

/** The faults the stand-in can inject, changeable at run time through `PUT /control`. */
export const knobsSchema = z.strictObject({
  /** Added to every /v1 response. */
  latencyMs: milliseconds,
  /** Per-endpoint latency, replacing `latencyMs` for that endpoint. */
  endpointLatencyMs: z.strictObject({ top: milliseconds.optional(), items: milliseconds.optional() }),
  /** Share of /v1 requests answered 503, 0–1. */
  errorRate: z.number().min(0).max(1),
  /** /v1 requests allowed per second (a fixed one-second window); beyond it 429 with Retry-After. 0 means no limit. */
  rateLimitRps: z.number().int().min(0),
  /** While true, /v1 and /healthz connections are closed without an answer, like a crashed upstream. */
  down: z.boolean(),
});
export type Knobs = z.infer<typeof knobsSchema>;

/** The body of `PUT /control`: any subset of the knobs, plus `resetCalls` to zero the call counters. */
export const knobsPatchSchema = knobsSchema.partial().extend({ resetCalls: z.boolean().optional() });
export type KnobsPatch = z.infer<typeof knobsPatchSchema>;

export const DEFAULT_KNOBS: Knobs = { latencyMs: 0, endpointLatencyMs: {}, errorRate: 0, rateLimitRps: 0, down: false };
