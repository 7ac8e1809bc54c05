import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const run = promisify(execFile);

interface Service {
  image?: string;
  build?: { args?: Record<string, string> };
  healthcheck?: { test?: string[] };
  mem_limit?: string;
  container_name?: string;
  ports?: Array<string | { published?: number }>;
  depends_on?: Record<string, { condition: string }>;
}

/** docker-compose.yml as Debian's docker-compose 1.29 resolves it, with .env substituted. */
async function resolvedCompose(): Promise<Record<string, Service>> {
  const { stdout } = await run('docker-compose', ['config']);
  return (parse(stdout) as { services: Record<string, Service> }).services;
}

async function pinnedVersions(): Promise<Map<string, string>> {
  const lines = (await readFile('.env', 'utf8')).split('\n').filter((line) => /^[A-Z_]+=/.test(line));
  return new Map(lines.map((line) => line.split('=', 2) as [string, string]));
}

describe('docker-compose.yml', () => {
  it("is accepted by Debian's docker-compose 1.29", async () => {
    await run('docker-compose', ['config', '-q']);
  });

  it('takes every image version from .env, and none is "latest" or untagged', async () => {
    const raw = parse(await readFile('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
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

  it('gives every service a healthcheck and a memory limit, and waits for healthy dependencies', async () => {
    const services = await resolvedCompose();
    assert.ok(Object.keys(services).length >= 13, Object.keys(services).join(', '));
    for (const [name, service] of Object.entries(services)) {
      assert.ok(service.healthcheck?.test?.length, `${name} has no healthcheck`);
      assert.ok(service.mem_limit, `${name} has no memory limit`);
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        assert.equal(condition, 'service_healthy', `${name} → ${dependency}`);
      }
    }
  });

  it('lets the app scale: no container name, no fixed host port, replicas found by DNS', async () => {
    const app = (await resolvedCompose()).app!;
    assert.equal(app.container_name, undefined);
    for (const port of app.ports ?? []) assert.equal(typeof port === 'object' ? port.published : undefined, undefined);
    const prometheus = parse(await readFile('prometheus/prometheus.yml', 'utf8')) as { scrape_configs: Array<{ job_name: string; dns_sd_configs?: unknown }> };
    assert.deepEqual(prometheus.scrape_configs.find((job) => job.job_name === 'app')?.dns_sd_configs, [
      { names: ['app'], type: 'A', port: 9464, refresh_interval: '15s' },
    ]);
  });

  it('mounts the Grafana provisioning and dashboards folders', async () => {
    const raw = parse(await readFile('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, { volumes?: string[] }> };
    const volumes = raw.services.grafana?.volumes ?? [];
    assert.ok(volumes.includes('./grafana/provisioning:/etc/grafana/provisioning:ro'));
    assert.ok(volumes.includes('./grafana/dashboards:/var/lib/grafana/dashboards:ro'));
  });
});
