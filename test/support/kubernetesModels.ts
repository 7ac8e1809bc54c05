import type { Model } from '@kubernetes-models/base';
import { PodMonitor, PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';

/** A Kubernetes object as YAML gives it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/**
 * The model class of every kind deploy/kubernetes/ may hold. kubernetes-models 5 is generated from the OpenAPI
 * schema of Kubernetes v1.36.0 (its CHANGELOG, 5.0.0: "Update to Kubernetes v1.36.0"), and
 * @kubernetes-models/prometheus-operator 6 from the Go API types of prometheus-operator v0.91.0 (the go.mod of
 * its third-party/prometheus-operator package); `validate()` checks types, required fields and enums, not unknown
 * fields (the generator's TypeScript types catch those at compile time).
 */
const MODELS: Record<string, new (data: never) => Model<unknown>> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

/** Throws, naming the object and the schema errors, unless `object` is valid for its kind's schema. */
export function validateObject(object: KubeObject): void {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!model) throw new Error(`${object.kind} ${object.metadata.name}: no schema for ${object.apiVersion}/${object.kind}`);
  try {
    new model(object as never).validate();
  } catch (error) {
    throw new Error(`${object.kind} ${object.metadata.name}: ${(error as Error).message}`, { cause: error });
  }
}
