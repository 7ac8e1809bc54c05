import { readFileSync } from 'node:fs';
import { findPackageJSON } from 'node:module';
import {
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
  type Resource,
  type ResourceDetector,
} from '@opentelemetry/resources';
import { ATTR_DEPLOYMENT_ENVIRONMENT_NAME, ATTR_SERVICE_NAME, ATTR_SERVICE_NAMESPACE, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { ATTR_PROCESS_COMMAND_ARGS, ATTR_PROCESS_COMMAND_LINE } from './semconv.ts';

/** `service.namespace` unless OTEL_RESOURCE_ATTRIBUTES says otherwise: the product these services belong to. */
const DEFAULT_SERVICE_NAMESPACE = 'observable-node-stack';

/**
 * The resource attributes put on every Prometheus series (`service_name`, `service_namespace`,
 * `deployment_environment_name`), as Prometheus's own OTLP ingestion does with `promote_resource_attributes`, so
 * dashboards built for that path (they filter every query by these three) find our series unchanged. Constant per
 * process: no extra cardinality.
 */
export const CONSTANT_LABEL_ATTRIBUTES = /^(service\.name|service\.namespace|deployment\.environment\.name)$/;

/**
 * The service's own resource attributes. The detectors run after it and win, so `OTEL_SERVICE_NAME` and
 * `OTEL_RESOURCE_ATTRIBUTES` override any of these.
 */
export function serviceResource(env: NodeJS.ProcessEnv = process.env): Resource {
  return resourceFromAttributes({
    [ATTR_SERVICE_NAME]: 'app',
    [ATTR_SERVICE_NAMESPACE]: DEFAULT_SERVICE_NAMESPACE,
    [ATTR_SERVICE_VERSION]: packageVersion(),
    [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: env.NODE_ENV ?? 'development',
  });
}

/**
 * The process detector without the command line, which can carry secrets passed as arguments and would land in
 * every trace batch and in Prometheus's `target_info`.
 */
const processWithoutArgsDetector: ResourceDetector = {
  detect(config) {
    const { attributes = {} } = processDetector.detect(config);
    const { [ATTR_PROCESS_COMMAND_ARGS]: _args, [ATTR_PROCESS_COMMAND_LINE]: _line, ...kept } = attributes;
    return { attributes: kept };
  },
};

/** service.instance.id (a UUID per process), host, process, then the `OTEL_*` environment last so it wins. */
export const resourceDetectors: ResourceDetector[] = [serviceInstanceIdDetector, hostDetector, processWithoutArgsDetector, envDetector];

function packageVersion(): string {
  const path = findPackageJSON(new URL('.', import.meta.url));
  if (path === undefined) return 'unknown';
  return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? 'unknown';
}
