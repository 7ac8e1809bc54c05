import { parse, stringify } from 'yaml';

/** Where each job of the compose scrape config runs locally; jobs without an entry are left out. */
export type LocalTargets = Record<string, string>;

export interface LocalPrometheusOptions {
  targets: LocalTargets;
  alertmanager: string;
  ruleFiles: string[];
  scrapeInterval: string;
  evaluationInterval: string;
}

interface ScrapeJob {
  job_name: string;
  static_configs?: unknown;
  dns_sd_configs?: unknown;
  [field: string]: unknown;
}

/**
 * The compose stack's prometheus.yml turned into a local one: same jobs and settings, each job's service discovery
 * replaced by its local address, alerts to the local Alertmanager. Returns the jobs that have nothing local to scrape.
 */
export function localPrometheusConfig(composeConfig: string, options: LocalPrometheusOptions): { yaml: string; leftOut: string[] } {
  const config = parse(composeConfig) as { global?: object; scrape_configs: ScrapeJob[]; [key: string]: unknown };
  const leftOut: string[] = [];
  const scrapeConfigs: ScrapeJob[] = [];
  for (const job of config.scrape_configs) {
    const target = options.targets[job.job_name];
    if (target === undefined) {
      leftOut.push(job.job_name);
      continue;
    }
    const { static_configs: _static, dns_sd_configs: _dns, ...rest } = job;
    scrapeConfigs.push({ ...rest, static_configs: [{ targets: [target] }] });
  }
  const local = {
    ...config,
    global: { ...config.global, scrape_interval: options.scrapeInterval, evaluation_interval: options.evaluationInterval },
    rule_files: options.ruleFiles,
    alerting: { alertmanagers: [{ static_configs: [{ targets: [options.alertmanager] }] }] },
    scrape_configs: scrapeConfigs,
  };
  return { yaml: stringify(local), leftOut };
}

/** A rule file with the `for` of every alert replaced: tests wait seconds, not the real minutes. */
export function withAlertFor(rules: string, alertFor: string): string {
  const file = parse(rules) as { groups: Array<{ rules: Array<{ alert?: string; for?: string }> }> };
  for (const group of file.groups) {
    for (const rule of group.rules) if (rule.alert !== undefined) rule.for = alertFor;
  }
  return stringify(file);
}

export interface LocalAlertmanagerOptions {
  /** Base URL of the local webhook receiver; each webhook keeps its path. */
  webhookUrl: string;
  /** Replaces group_wait and group_interval on every route (tests). */
  groupWait?: string;
}

/** The compose stack's alertmanager.yml with its webhooks pointed at the local receiver. */
export function localAlertmanagerConfig(composeConfig: string, options: LocalAlertmanagerOptions): string {
  type Route = { group_wait?: string; group_interval?: string; routes?: Route[] };
  const config = parse(composeConfig) as { route: Route; receivers: Array<{ webhook_configs?: Array<{ url: string }> }> };
  for (const receiver of config.receivers) {
    for (const webhook of receiver.webhook_configs ?? []) {
      webhook.url = new URL(new URL(webhook.url).pathname, options.webhookUrl).toString();
    }
  }
  const shorten = (route: Route): void => {
    if (options.groupWait === undefined) return;
    route.group_wait = options.groupWait;
    route.group_interval = options.groupWait;
    route.routes?.forEach(shorten);
  };
  shorten(config.route);
  return stringify(config);
}
