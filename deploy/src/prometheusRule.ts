import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import type { IRuleGroup } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { parse } from 'yaml';
import { labelsOf, ROOT } from './stack.ts';

const RULES_DIR = join(ROOT, 'prometheus', 'rules');

/** The recording and alert rules of prometheus/rules/*.yml, the same groups in file order, for the operator. */
export function prometheusRule(): PrometheusRule {
  const groups = readdirSync(RULES_DIR)
    .filter((file) => file.endsWith('.yml'))
    .sort()
    .flatMap((file) => (parse(readFileSync(join(RULES_DIR, file), 'utf8')) as { groups: IRuleGroup[] }).groups);
  return new PrometheusRule({ metadata: { name: 'app', labels: labelsOf('app') }, spec: { groups } });
}
