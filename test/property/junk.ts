import fc from 'fast-check';

/**
 * Generated junk of the kinds clients send: text with NUL, lone surrogates and any code point, malformed
 * percent-encoding, numbers in every spelling, dates at and beyond every edge.
 */

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));
const anyCodePoint = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
const asciiControl = fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 });

/** Any text: every code point, control characters, NUL and unpaired surrogates, sometimes long. */
export const junkText = fc.oneof(
  fc.string({ unit: fc.oneof(anyCodePoint, asciiControl, loneSurrogate, fc.constant('\u0000')), maxLength: 40 }),
  fc.string({ maxLength: 20 }),
  fc.tuple(fc.constantFrom('a', '\u0000', '€', '\ud800'), fc.integer({ min: 100, max: 3000 })).map(([unit, n]) => unit.repeat(n)),
);

/** Numbers as text, in the spellings Number() reads and PostgreSQL does not (or the other way round). */
export const junkNumberText = fc.oneof(
  fc.constantFrom('0x10', '1e0', '01', '1.0', '+1', '-1', '0', ' 1', '1 ', 'Infinity', 'NaN', '0b1', '0o7', '1_000', '٣'),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.double().map(String),
  fc.integer({ min: 1, max: 3 }).map(String),
);

/** Percent-encoding with broken or overlong sequences and bytes that are not UTF-8, e.g. `%E0%A4%A`, `%ZZ`, `%ff`. */
export const percentGarbage = fc
  .array(fc.oneof(fc.constantFrom('%', '%%', '%Z', '%ZZ', '%ff', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%00', '%2F', '%25'), fc.stringMatching(/^[A-Za-z0-9._~-]{1,3}$/)), {
    minLength: 1,
    maxLength: 6,
  })
  .map((parts) => parts.join(''));

/** UTF-8 bytes of a string, percent-encoded except for unreserved characters (a lone surrogate becomes U+FFFD). */
export function percentEncode(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9._~-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/**
 * A path segment or query value as it goes on the wire: encoded text, raw garbage or a number spelling. At most 1000
 * characters, so a URL of a dozen of them stays under Node's 16 KiB header limit (a 431, tested on its own).
 */
export const junkUrlComponent = fc
  .oneof(junkText.map(percentEncode), percentGarbage, junkNumberText.map(percentEncode))
  .map((component) => component.slice(0, 1000).replace(/%[0-9A-Fa-f]?$/, ''));

const pad = (n: number, width: number): string => String(Math.abs(n)).padStart(width, '0');

/** RFC 3339-shaped date-times with every component at, inside and beyond its range. */
export const junkDateTime = fc.oneof(
  fc.constantFrom(
    '0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '0001-01-01T00:00:00+00:01', '9999-12-31T23:59:59Z',
    '9999-12-31T23:59:59.9999999Z', '10000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00Z',
    '2026-01-01T00:00:00+20:00', '2026-01-01T00:00:00+15:59', '2026-01-01T00:00:00-16:00', '2026-02-30T00:00:00Z',
    '2026-01-01T24:00:00Z', '2026-12-31T23:59:60Z', '2026-01-01', '2026-01-01T00:00:00', '2026-01-01 00:00:00Z', 'now', 'infinity',
  ),
  fc
    .record({
      year: fc.integer({ min: 0, max: 10_001 }),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      hour: fc.integer({ min: 0, max: 25 }),
      minute: fc.integer({ min: 0, max: 60 }),
      second: fc.integer({ min: 0, max: 61 }),
      fraction: fc.stringMatching(/^(\.\d{1,12})?$/),
      offset: fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 })).map(([sign, h, m]) => `${sign}${pad(h, 2)}:${pad(m, 2)}`)),
    })
    .map((d) => `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}T${pad(d.hour, 2)}:${pad(d.minute, 2)}:${pad(d.second, 2)}${d.fraction}${d.offset}`),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
);

/** Any JSON value, with junk text and dates among the leaves. */
const junkLeaf = fc.oneof(junkText, junkDateTime, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('todo', 'doing', 'done'));
export const junkJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, junkLeaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(fc.oneof(junkText, fc.constantFrom('__proto__', 'constructor')), tie('value'), { maxKeys: 5 }),
})).value;

/** A value for a body field: mostly text (with NUL, surrogates, …) or a date-time, sometimes any JSON. */
const fieldValue = fc.oneof({ arbitrary: junkText, weight: 3 }, { arbitrary: junkDateTime, weight: 2 }, { arbitrary: junkJson, weight: 1 });

/**
 * Junk for one or two of the route's own fields (merged over a body the route accepts, the rest stays valid, so the
 * junk is what validation sees), sometimes with unknown keys besides.
 */
export const junkObjectFor = (fields: readonly string[]): fc.Arbitrary<Record<string, unknown>> => {
  const extra = fc.option(fc.dictionary(fc.oneof(junkText, fc.constantFrom('__proto__', 'constructor')), junkJson, { maxKeys: 3 }), { freq: 4 });
  if (fields.length === 0) return extra.map((keys) => ({ ...keys }));
  const known = fc
    .subarray([...fields], { minLength: 1, maxLength: 2 })
    .chain((keys) => fc.tuple(...keys.map(() => fieldValue)).map((values) => Object.fromEntries(keys.map((key, i) => [key, values[i]]))));
  return fc.tuple(known, extra).map(([own, keys]) => ({ ...keys, ...own }));
};

/** Bodies JSON.stringify cannot produce: huge number literals, duplicate keys, truncation, deep nesting, not JSON. */
export const rawJunkBodyFor = (fields: readonly string[]) =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...fields, 'x'), fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890', '0.0000000000000000000001e-400', '-0')).map(([field, literal]) => `{"${field}":${literal}}`),
    fc.constantFrom('', '{', '}', '[', 'null', 'true', '0', '"text"', '[]', '{"a":1,"a":2}', '{"title":"\\ud800"}', '{"title":"\\u0000"}', '\ufeff{}', `${'['.repeat(3000)}${']'.repeat(3000)}`),
    junkText,
  );
