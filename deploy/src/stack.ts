import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** The repository root, for the files the manifests are generated from. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** The namespace the kustomization puts everything in; the plain Prometheus scrape config looks only there. */
export const NAMESPACE = 'observable-node-stack';

const versions = parseEnv(readFileSync(join(ROOT, '.env'), 'utf8'));
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/**
 * Every image the manifests run, pinned: the project's own image (the Dockerfile, tagged with package.json's
 * version; the README says how to build and push it) and the collector of the compose stack (OTELCOL_VERSION).
 */
export const IMAGES = {
  app: `observable-node-stack:${version}`,
  collector: `otel/opentelemetry-collector-contrib:${versions.OTELCOL_VERSION}`,
} as const;

/** The recommended labels (kubernetes.io/docs/concepts/overview/working-with-objects/common-labels). */
export function labelsOf(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'observable-node-stack', 'app.kubernetes.io/version': version };
}

/** The label a Service, PodDisruptionBudget or PodMonitor selects a component's pods by; stable across versions. */
export function selectorOf(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name };
}
