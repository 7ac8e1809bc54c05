import type { Attributes } from '@opentelemetry/api';

/** Keys of frozen attribute objects (memoized.ts builds one per series), which cannot change, by identity. */
const keysOfFrozen = new WeakMap<Attributes, string>();

/**
 * The SDK's key for an attribute set (its hashAttributes): the same for the same attributes in any order. A frozen
 * object is keyed once and then found by identity (a WeakMap look-up instead of sorting and JSON per record).
 */
export function attributesKey(attributes: Attributes): string {
  if (!Object.isFrozen(attributes)) return keyOf(attributes);
  let key = keysOfFrozen.get(attributes);
  if (key === undefined) keysOfFrozen.set(attributes, (key = keyOf(attributes)));
  return key;
}

function keyOf(attributes: Attributes): string {
  return JSON.stringify(Object.keys(attributes).sort().map((key) => [key, attributes[key]]));
}

/** Index of the bucket a value falls in: the first boundary ≥ value, or the +Inf bucket (the SDK's rule). */
export function bucketIndex(boundaries: readonly number[], value: number): number {
  let index = 0;
  while (index < boundaries.length && value > boundaries[index]!) index++;
  return index;
}
