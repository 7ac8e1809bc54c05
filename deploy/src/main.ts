// `npm run manifests`: writes deploy/kubernetes/ from the TypeScript in this folder. Commit the result;
// test/unit/kubernetesManifests.test.ts fails when the committed files differ from what this generates.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderManifests } from './allManifests.ts';

const outDir = join(import.meta.dirname, '..', 'kubernetes');
await mkdir(outDir, { recursive: true });
for (const stale of await readdir(outDir)) await rm(join(outDir, stale));
for (const [file, content] of renderManifests()) {
  await writeFile(join(outDir, file), content);
  console.log(`wrote ${join(outDir, file)} (${Buffer.byteLength(content)} bytes)`);
}
