import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Attributes } from '@opentelemetry/api';
import { attributesKey } from '../../app/src/telemetry/histogramSeries.ts';

const attributeSets = fc.array(
  fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: -2, max: 2 }), fc.boolean()), { maxKeys: 4 }),
  { minLength: 1, maxLength: 20 },
);

test('property: a frozen attribute object, keyed again and again, has the key of its plain copy in any key order', () => {
  fc.assert(
    fc.property(attributeSets, (sets) => {
      const frozen = sets.map((set) => Object.freeze({ ...set }) as Attributes);
      // Twice over every object: the second pass reads the remembered keys.
      for (const _pass of [1, 2]) {
        frozen.forEach((attributes, index) => {
          const reordered = Object.fromEntries(Object.entries(sets[index]!).reverse()) as Attributes;
          assert.equal(attributesKey(attributes), attributesKey(reordered));
        });
      }
      // Different attribute sets keep different keys.
      const distinct = new Set(sets.map((set) => JSON.stringify(Object.entries(set).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))));
      assert.equal(new Set(frozen.map(attributesKey)).size, distinct.size);
    }),
  );
});
