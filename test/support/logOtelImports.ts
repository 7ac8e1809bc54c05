/**
 * `node --import` this before the app to learn which OpenTelemetry packages a process loads: every package under
 * `@opentelemetry/` resolved by `import` or `require` is written once to stderr as `otel-import <name>`.
 */
import { registerHooks } from 'node:module';

const seen = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    const name = /\/node_modules\/(@opentelemetry\/[^/]+)\//.exec(resolved.url)?.[1];
    if (name !== undefined && !seen.has(name)) {
      seen.add(name);
      process.stderr.write(`otel-import ${name}\n`);
    }
    return resolved;
  },
});
