import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

const run = promisify(execFile);
/** Any admin token of the accepted form: compose refuses to resolve the file without one. */
const COMPOSE_ENV = { ...process.env, ADMIN_TOKEN: 'compose-test-admin-token-0123456789' };

interface Service {
  image?: string;
  build?: { args?: Record<string, string> };
  healthcheck?: { test?: string[]; interval?: string };
  mem_limit?: string;
  restart?: string;
  container_name?: string;
  ports?: Array<string | { published?: number; host_ip?: string }>;
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

/** `docker-compose config` (Debian's 1.29) output: the file with .env and `env` substituted. */
async function composeConfig(env: NodeJS.ProcessEnv): Promise<string> {
  return (await run('docker-compose', ['config'], { env })).stdout;
}
/** One resolution with the default environment for the tests that only read it (docker-compose takes seconds). */
const defaultConfig = composeConfig(COMPOSE_ENV);

/** The services as docker-compose 1.29 resolves them. */
async function resolvedCompose(env?: NodeJS.ProcessEnv): Promise<Record<string, Service>> {
  const config = env === undefined ? await defaultConfig : await composeConfig(env);
  return (parse(config) as { services: Record<string, Service> }).services;
}

/** docker-compose.yml as written, YAML merge keys (`<<: *node-service`) resolved, variables not substituted. */
async function rawCompose(): Promise<{ services: Record<string, Service> }> {
  return parse(await readFile('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
}

/** The host address of a published port, `127.0.0.1:9090:9090/tcp` or `127.0.0.1::3000/tcp` as 1.29 prints them. */
function hostIp(port: string | { host_ip?: string }): string | undefined {
  if (typeof port === 'object') return port.host_ip;
  const parts = port.split(':');
  return parts.length === 3 ? parts[0] : undefined;
}

async function pinnedVersions(): Promise<Map<string, string>> {
  const lines = (await readFile('.env', 'utf8')).split('\n').filter((line) => /^[A-Z_]+=/.test(line));
  return new Map(lines.map((line) => line.split('=', 2) as [string, string]));
}

describe('docker-compose.yml', () => {
  it("is accepted by Debian's docker-compose 1.29", async () => {
    assert.match(await defaultConfig, /^services:/m);
  });

  it('is valid against the Compose Specification schema, as written and as resolved', async () => {
    // ajv cannot fetch the draft-07 meta-schema the file names, so it is not validated itself (test/schemas/README.md).
    // strict: false because the schema uses union types (`"type": ["string", "number"]`), which ajv's strict mode flags.
    const ajv = new Ajv({ validateSchema: false, strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(await readFile('test/schemas/compose-spec.json', 'utf8')) as object);
    for (const [what, file] of [['as written', await rawCompose()], ['as resolved by docker-compose 1.29', parse(await defaultConfig) as object]] as const) {
      assert.ok(validate(file), `${what}: ${JSON.stringify(validate.errors, null, 2)}`);
    }
  });

  it('refuses to start without ADMIN_TOKEN, naming the variable and how to make one', async () => {
    const { ADMIN_TOKEN: _token, ...withoutToken } = COMPOSE_ENV;
    await assert.rejects(run('docker-compose', ['config', '-q'], { env: withoutToken }), (error: Error & { stderr: string }) => {
      assert.match(error.stderr, /set ADMIN_TOKEN .*openssl rand -hex 32/);
      return true;
    });
    assert.equal((await resolvedCompose()).app?.environment?.ADMIN_TOKEN, COMPOSE_ENV.ADMIN_TOKEN);
  });

  it('publishes every port on 127.0.0.1 by default and on BIND_ADDRESS when set', async () => {
    for (const [env, expected] of [[undefined, '127.0.0.1'], [{ ...COMPOSE_ENV, BIND_ADDRESS: '0.0.0.0' }, '0.0.0.0']] as const) {
      const published = Object.entries(await resolvedCompose(env)).flatMap(([name, service]) => (service.ports ?? []).map((port) => ({ name, port })));
      // Grafana, Prometheus, Alertmanager, Tempo, Loki, the catalog, the webhook receiver and the app.
      assert.equal(published.length, 8, JSON.stringify(published));
      for (const { name, port } of published) assert.equal(hostIp(port), expected, `${name}: ${JSON.stringify(port)}`);
    }
  });

  it('takes every image version from .env, and none is "latest" or untagged', async () => {
    const raw = await rawCompose();
    const versions = await pinnedVersions();
    for (const [name, service] of Object.entries(raw.services)) {
      const reference = service.build ? service.build.args?.NODE_IMAGE : service.image;
      const variable = reference?.match(/\$\{(\w+)\}/)?.[1];
      assert.ok(variable && versions.has(variable), `${name}: image "${reference}" does not come from .env`);
    }
    for (const [variable, version] of versions) {
      assert.match(version, /^[\w.-]+(:[\w.-]+)?$/, `${variable}=${version}`);
      assert.doesNotMatch(version, /latest/, `${variable} is not pinned`);
    }
    for (const [name, service] of Object.entries(await resolvedCompose())) {
      const image = service.build ? service.build.args?.NODE_IMAGE : service.image;
      assert.match(image ?? '', /:[\w.-]*\d[\w.-]*$/, `${name}: ${image} has no version tag`);
    }
  });

  it('builds the Node image on the version pinned in .env, which is also the Dockerfile default', async () => {
    const pinned = (await pinnedVersions()).get('NODE_IMAGE');
    assert.match(pinned ?? '', /^node:24\.[\d.]+-[\w-]*slim$/);
    assert.match(await readFile('Dockerfile', 'utf8'), new RegExp(`ARG NODE_IMAGE=${pinned}\\n`));
  });

  it('runs the app in its image exactly as `npm start` does, telemetry imported first', async () => {
    const { scripts } = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: { start: string } };
    const cmd = (await readFile('Dockerfile', 'utf8')).match(/^CMD (\[.*\])$/m)?.[1];
    assert.deepEqual(JSON.parse(cmd ?? '[]'), scripts.start.split(' '));
    assert.match(scripts.start, /^node --import \S+telemetry\/register\.js /);
  });

  it('gives every service a healthcheck, a memory limit and a restart policy, and waits for healthy dependencies', async () => {
    const services = await resolvedCompose();
    assert.ok(Object.keys(services).length >= 14, Object.keys(services).join(', '));
    for (const [name, service] of Object.entries(services)) {
      assert.ok(service.healthcheck?.test?.length, `${name} has no healthcheck`);
      assert.ok(service.mem_limit, `${name} has no memory limit`);
      // Every service here runs until stopped; a one-shot job would have none.
      assert.equal(service.restart, 'unless-stopped', name);
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        // The app's telemetry does not wait for the collector, whose healthcheck is slow on purpose.
        const expected = name === 'app' && dependency === 'otel-collector' ? 'service_started' : 'service_healthy';
        assert.equal(condition, expected, `${name} → ${dependency}`);
      }
    }
  });

  it("keeps the catalog's healthcheck off the endpoints its outage closes", async () => {
    const test = (await resolvedCompose()).catalog?.healthcheck?.test?.join(' ') ?? '';
    assert.match(test, /\/control'/);
    assert.doesNotMatch(test, /healthz|\/v1\//);
  });

  it("gives the app's V8 heap limits that fit its container's memory limit", async () => {
    const app = (await resolvedCompose()).app!;
    const flags = app.environment?.NODE_OPTIONS ?? '';
    const semiSpace = Number(/--max-semi-space-size=(\d+)/.exec(flags)?.[1]);
    const oldSpace = Number(/--max-old-space-size=(\d+)/.exec(flags)?.[1]);
    assert.ok(semiSpace > 0 && oldSpace > 0, flags);
    const limitMb = Number(/^(\d+)m$/.exec(app.mem_limit ?? '')?.[1]);
    // Young generation (three semi-spaces), old space, about 100 MB of code and native memory, and the 62 MB of the
    // healthcheck's `node -e` (measured) below the limit.
    assert.ok(3 * semiSpace + oldSpace + 100 + 62 <= limitMb, `${flags} in ${app.mem_limit}`);
  });

  it('lets the app scale: no container name, no fixed host port, replicas found by DNS', async () => {
    const app = (await resolvedCompose()).app!;
    assert.equal(app.container_name, undefined);
    assert.ok((app.ports ?? []).length > 0);
    for (const port of app.ports ?? []) {
      const published = typeof port === 'object' ? port.published : port.split(':').at(-2);
      assert.ok(published === undefined || published === '', `fixed host port: ${JSON.stringify(port)}`);
    }
    const prometheus = parse(await readFile('prometheus/prometheus.yml', 'utf8')) as { scrape_configs: Array<{ job_name: string; dns_sd_configs?: unknown }> };
    assert.deepEqual(prometheus.scrape_configs.find((job) => job.job_name === 'app')?.dns_sd_configs, [
      { names: ['app'], type: 'A', port: 9464, refresh_interval: '15s' },
    ]);
  });

  it('mounts the Grafana provisioning and dashboards folders', async () => {
    const volumes = (await rawCompose()).services.grafana?.volumes ?? [];
    assert.ok(volumes.includes('./grafana/provisioning:/etc/grafana/provisioning:ro'));
    assert.ok(volumes.includes('./grafana/dashboards:/var/lib/grafana/dashboards:ro'));
  });

  it('runs Loki on its mounted config with its data in a named volume, and the collector waits for it', async () => {
    const { services } = await rawCompose();
    assert.deepEqual(services.loki?.volumes, ['./loki/loki.yaml:/etc/loki/loki.yaml:ro', 'lokidata:/loki']);
    assert.deepEqual(services.loki?.healthcheck?.test, ['CMD', '/usr/bin/loki', '-health']);
    assert.equal(services['otel-collector']?.depends_on?.loki?.condition, 'service_healthy');
    assert.equal(services.grafana?.depends_on?.loki?.condition, 'service_healthy');
  });
});
