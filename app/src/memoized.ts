type Key = string | number | boolean | undefined;

/**
 * One frozen object per distinct argument list: `build` runs once for each, and every later call with the same
 * arguments returns the same object. For the attribute objects of metric records, which the telemetry then finds its
 * series by without hashing them (an attribute object built per record costs the SDK's JSON keying, about 0.6 µs,
 * every time), and for other per-record options built from a few enum-like values. Keyed exactly, argument by
 * argument (no string joining, so `undefined` and `'undefined'` stay apart). `maxEntries` bounds what is kept; beyond
 * it, objects are built per call and not remembered.
 */
export function memoized<Args extends Key[], T extends object>(build: (...args: Args) => T, maxEntries = 1000): (...args: Args) => Readonly<T> {
  const root = new Map<Key, unknown>();
  let entries = 0;
  return (...args) => {
    let node = root;
    for (let index = 0; index < args.length - 1; index++) {
      let next = node.get(args[index]) as Map<Key, unknown> | undefined;
      if (next === undefined) node.set(args[index], (next = new Map()));
      node = next;
    }
    const last = args[args.length - 1];
    let value = node.get(last) as Readonly<T> | undefined;
    if (value === undefined) {
      value = Object.freeze(build(...args));
      if (entries < maxEntries) {
        node.set(last, value);
        entries += 1;
      }
    }
    return value;
  };
}
