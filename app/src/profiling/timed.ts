import { metrics, type Histogram, type MeterProvider } from '@opentelemetry/api';
import { appMeter } from '../appMeter.ts';
import { memoized } from '../memoized.ts';

/** In-process statistics of one timed function, for /api/metrics. */
export interface FunctionTiming {
  name: string;
  count: number;
  totalMs: number;
  avgMs: number;
  minMs: number;
  maxMs: number;
}

export interface TimedOptions {
  /** Milliseconds from a monotonic clock (tests pass a fake one). @default performance.now */
  now?: () => number;
}

interface Stats {
  count: number;
  totalMs: number;
  minMs: number;
  maxMs: number;
}

const stats = new Map<string, Stats>();
let instrument: { provider: MeterProvider; histogram: Histogram } | undefined;

/**
 * Runs `fn` (sync or async) and records its duration, thrown errors and rejections included: in the OpenTelemetry
 * histogram `app.function.duration` (Prometheus `app_function_duration_seconds{function}`) and in the in-process
 * statistics of functionTimings(). Returns what `fn` returns.
 *
 * @example
 *   const rows = await timed('tasks.list', () => repository.list(userId));
 */
export function timed<T>(name: string, fn: () => T, options: TimedOptions = {}): T {
  const now = options.now ?? (() => performance.now());
  const start = now();
  const done = (): void => record(name, now() - start);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    done();
    throw error;
  }
  if (isPromiseLike(result)) return Promise.resolve(result).finally(done) as T;
  done();
  return result;
}

/**
 * `fn` wrapped so that every call is timed under `name`; `this` and the arguments pass through.
 *
 * @example
 *   const rankItems = timedFunction('recommendations.rank', rank);
 */
export function timedFunction<A extends unknown[], R, This = unknown>(
  name: string,
  fn: (this: This, ...args: A) => R,
  options: TimedOptions = {},
): (this: This, ...args: A) => R {
  return function (this: This, ...args: A): R {
    return timed(name, () => fn.apply(this, args), options);
  };
}

/**
 * A view of `target` whose methods are timed as `<prefix>.<method>`; other properties read through unchanged.
 *
 * @example
 *   const service = timedMethods('taskService', createTaskService(pool));
 *   await service.list(userId); // timed as taskService.list
 */
export function timedMethods<T extends object>(prefix: string, target: T, options: TimedOptions = {}): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property === 'symbol') return value;
      if (!wrapped.has(property)) wrapped.set(property, timedFunction(`${prefix}.${property}`, value.bind(object) as () => unknown, options));
      return wrapped.get(property);
    },
  });
}

/** Every timed function's statistics since start (or the last reset), the most total time first. */
export function functionTimings(): FunctionTiming[] {
  return [...stats]
    .map(([name, { count, totalMs, minMs, maxMs }]) => ({ name, count, totalMs, avgMs: totalMs / count, minMs, maxMs }))
    .sort((a, b) => b.totalMs - a.totalMs);
}

/** Forgets the in-process statistics (tests); the OpenTelemetry histogram is cumulative and keeps its counts. */
export function resetFunctionTimings(): void {
  stats.clear();
}

function record(name: string, ms: number): void {
  const entry = stats.get(name);
  if (entry === undefined) stats.set(name, { count: 1, totalMs: ms, minMs: ms, maxMs: ms });
  else {
    entry.count += 1;
    entry.totalMs += ms;
    entry.minMs = Math.min(entry.minMs, ms);
    entry.maxMs = Math.max(entry.maxMs, ms);
  }
  durationHistogram().record(ms / 1000, attributesOf(name));
}

/** One attribute object per function name: the telemetry finds its series by it without hashing it. */
const attributesOf = memoized((name: string) => ({ function: name }));

/** Created on first use and again whenever another MeterProvider is registered (telemetry restarted in tests). */
function durationHistogram(): Histogram {
  const provider = metrics.getMeterProvider();
  if (instrument?.provider !== provider) {
    const histogram = appMeter().createHistogram('app.function.duration', { unit: 's', description: 'Duration of functions wrapped by timed()' });
    instrument = { provider, histogram };
  }
  return instrument.histogram;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
