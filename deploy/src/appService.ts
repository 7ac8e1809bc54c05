import { Service } from 'kubernetes-models/v1';
import { labelsOf, selectorOf } from './stack.ts';

/** `http://app:3000` inside the namespace, for the load generator and an Ingress the user adds. */
export function appService(): Service {
  return new Service({
    metadata: { name: 'app', labels: labelsOf('app') },
    spec: { selector: selectorOf('app'), ports: [{ name: 'http', port: 3000, targetPort: 'http' }] },
  });
}
