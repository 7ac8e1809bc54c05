import { startBenchApp, type BenchApp } from '../support/startBenchApp.ts';
import type { Variant } from './variants.ts';
import { withListUser, type BenchFixture } from './workloads.ts';

export interface VariantServers {
  catalogUrl: string;
  /** The OTLP sink spans and log records go to. */
  otlpEndpoint: string;
  /** NODE_OPTIONS of the app process; empty for none. */
  nodeOptions: string;
}

/**
 * One variant of the app as the benches run it: logging at `info` as shipped (one request line per request, on
 * stdout and by OTLP: log export is part of the cost), recommendations cached for the whole run, the given Node
 * flags, and its workloads' users (workloads.ts). `name` names its database, Redis prefix and users.
 */
export async function startVariant(variant: Variant, name: string, servers: VariantServers): Promise<BenchFixture> {
  return withListUser(await startVariantApp(variant, name, servers), name);
}

/** The variant's app alone, without the list workload's user. */
export function startVariantApp(variant: Variant, name: string, servers: VariantServers): Promise<BenchApp> {
  return startBenchApp({
    name,
    imports: variant.imports,
    env: { LOG_LEVEL: 'info', CACHE_TTL_SECONDS: '3600', ...(servers.nodeOptions !== '' && { NODE_OPTIONS: servers.nodeOptions }), ...variant.env },
    catalogUrl: servers.catalogUrl,
    otlpEndpoint: servers.otlpEndpoint,
  });
}
