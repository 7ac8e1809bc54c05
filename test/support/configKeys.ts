/**
 * What a key of a backend's YAML config may hold, for checking a config against the pinned version's config structs
 * without running the backend (Loki and Tempo refuse unknown keys at start):
 * - `'value'`: a scalar, or a list of scalars;
 * - `'anyKeys'`: a map whose keys are data, not config (labels);
 * - a `KeyTree`: the keys of a nested block;
 * - `[KeyTree]`: a list of blocks with those keys.
 */
export type KeySpec = 'value' | 'anyKeys' | KeyTree | readonly [KeyTree];
export interface KeyTree {
  readonly [key: string]: KeySpec;
}

/** Every key path of `config` that `allowed` does not list, e.g. `limits_config.retention_perod`, or the wrong shape. */
export function unknownKeys(config: unknown, allowed: KeyTree, path = ''): string[] {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return [`${path || '(root)'}: not a block`];
  return Object.entries(config).flatMap(([key, value]) => {
    const at = path ? `${path}.${key}` : key;
    const spec = allowed[key];
    if (spec === undefined) return [at];
    if (spec === 'anyKeys') return typeof value === 'object' && value !== null && !Array.isArray(value) ? [] : [`${at}: not a map`];
    if (spec === 'value') {
      const scalars = Array.isArray(value) ? value : [value];
      return scalars.every((item) => typeof item !== 'object' || item === null) ? [] : [`${at}: not a value`];
    }
    if (Array.isArray(spec)) {
      const items = Array.isArray(value) ? (value as unknown[]) : [];
      return items.length > 0 ? items.flatMap((item, index) => unknownKeys(item, spec[0] as KeyTree, `${at}[${index}]`)) : [`${at}: not a list`];
    }
    return unknownKeys(value, spec as KeyTree, at);
  });
}
