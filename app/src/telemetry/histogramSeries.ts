import type { Attributes } from '@opentelemetry/api';

/** The SDK's key for an attribute set (its hashAttributes): the same for the same attributes in any order. */
export function attributesKey(attributes: Attributes): string {
  return JSON.stringify(Object.keys(attributes).sort().map((key) => [key, attributes[key]]));
}

/** Index of the bucket a value falls in: the first boundary ≥ value, or the +Inf bucket (the SDK's rule). */
export function bucketIndex(boundaries: readonly number[], value: number): number {
  let index = 0;
  while (index < boundaries.length && value > boundaries[index]!) index++;
  return index;
}
