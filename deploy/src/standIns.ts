import type { Deployment } from 'kubernetes-models/apps/v1';
import { Service } from 'kubernetes-models/v1';
import { nodeDeployment } from './nodeDeployment.ts';
import { labelsOf, selectorOf } from './stack.ts';

/** The catalog API stand-in (`npm run catalog`), at `http://catalog:4000` as app-config's CATALOG_URL says. */
export function catalog(): [Deployment, Service] {
  return [
    nodeDeployment({ name: 'catalog', script: 'dist/catalog/src/main.js', env: [{ name: 'CATALOG_PORT', value: '4000' }], port: 4000, healthPath: '/healthz' }),
    new Service({
      metadata: { name: 'catalog', labels: labelsOf('catalog') },
      spec: { selector: selectorOf('catalog'), ports: [{ name: 'http', port: 4000, targetPort: 'http' }] },
    }),
  ];
}

/** The load generator of the compose stack, 20 requests/s at the app's Service; its status page is its probe. */
export function loadGenerator(): Deployment {
  return nodeDeployment({
    name: 'loadgen',
    script: 'dist/stack/loadgen/main.js',
    env: [
      { name: 'LOADGEN_TARGET_URL', value: 'http://app:3000' },
      { name: 'LOADGEN_RATE', value: '20' },
      { name: 'LOADGEN_STATUS_PORT', value: '9000' },
    ],
    port: 9000,
    healthPath: '/',
  });
}
