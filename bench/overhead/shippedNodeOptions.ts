import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * The app's NODE_OPTIONS in docker-compose.yml (V8's heap caps, which the Kubernetes manifests set too): bench:overhead
 * runs every variant with them, as the stack runs the app. Without them V8 sizes its heap from the machine's 24 GiB,
 * and RSS after load measures how far V8 lets the heap grow before collecting rather than what the process keeps.
 */
export function shippedNodeOptions(composeFile = 'docker-compose.yml'): string {
  const compose = parse(readFileSync(composeFile, 'utf8')) as { services?: { app?: { environment?: Record<string, unknown> } } };
  const value = compose.services?.app?.environment?.NODE_OPTIONS;
  if (typeof value !== 'string') throw new Error(`${composeFile}: services.app.environment.NODE_OPTIONS is not a string`);
  return value;
}

/** The Node flags the benches run every variant with: BENCH_NODE_OPTIONS if set (empty for none), else the shipped ones. */
export function benchNodeOptions(): string {
  return process.env.BENCH_NODE_OPTIONS ?? shippedNodeOptions();
}
