// `npm run dashboards`: writes grafana/dashboards/<uid>.json from the TypeScript in this folder. Commit the result;
// test/unit/dashboards.test.ts fails when the committed JSON differs from what this generates.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { allDashboards, dashboardJson } from './allDashboards.ts';

const outDir = join(import.meta.dirname, '..', 'dashboards');
await mkdir(outDir, { recursive: true });
for (const stale of (await readdir(outDir)).filter((name) => name.endsWith('.json'))) await rm(join(outDir, stale));
for (const dashboard of allDashboards()) {
  const file = join(outDir, `${dashboard.uid}.json`);
  await writeFile(file, dashboardJson(dashboard));
  console.log(`wrote ${file} (${dashboard.panels?.length ?? 0} panels)`);
}
