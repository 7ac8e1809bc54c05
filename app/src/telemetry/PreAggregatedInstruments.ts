import {
  ValueType,
  type Attributes,
  type Counter,
  type Histogram,
  type HrTime,
  type Meter,
  type MeterOptions,
  type MeterProvider,
  type MetricOptions,
} from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type HistogramMetricData,
  type MetricData,
  type MetricProducer,
  type SumMetricData,
} from '@opentelemetry/sdk-metrics';
import type { ExemplarStore } from './exemplars.ts';
import { attributesKey, bucketIndex } from './histogramSeries.ts';

/** The SDK's default cardinality limit per instrument; the last series is the overflow series, as in the SDK. */
const CARDINALITY_LIMIT = 2000;
const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });
const NO_ATTRIBUTES: Attributes = Object.freeze({});
/** Attribute objects remembered by identity beyond the series themselves (frozen objects built per record). */
const MAX_REMEMBERED_OBJECTS = 4 * CARDINALITY_LIMIT;
/** The SDK's default explicit bucket boundaries, for a histogram with neither a duration unit nor advice. */
const SDK_DEFAULT_BOUNDARIES = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

/**
 * The series of one instrument, found by the identity of a frozen attribute object first (the app's records pass
 * the same object for the same series, from memoized.ts, so a record costs a Map lookup), and
 * otherwise by the SDK's key of the attributes. At most CARDINALITY_LIMIT series, the SDK's overflow series last.
 */
class SeriesTable<S extends { attributes: Attributes; startTime: HrTime }> {
  readonly #byObject = new Map<Attributes, S>();
  readonly #byKey = new Map<string, S>();
  readonly #create: (attributes: Attributes, startTime: HrTime) => S;

  constructor(create: (attributes: Attributes, startTime: HrTime) => S) {
    this.#create = create;
  }

  get(attributes: Attributes): S {
    return this.#byObject.get(attributes) ?? this.#lookUp(attributes);
  }

  #lookUp(attributes: Attributes): S {
    const key = attributesKey(attributes);
    let series = this.#byKey.get(key);
    if (series === undefined) {
      if (this.#byKey.size >= CARDINALITY_LIMIT - 1 && attributes !== OVERFLOW_ATTRIBUTES) return this.#lookUp(OVERFLOW_ATTRIBUTES);
      series = this.#create({ ...attributes }, millisToHrTime(Date.now()));
      this.#byKey.set(key, series);
    }
    if (Object.isFrozen(attributes) && this.#byObject.size < MAX_REMEMBERED_OBJECTS) this.#byObject.set(attributes, series);
    return series;
  }

  values(): IterableIterator<S> {
    return this.#byKey.values();
  }
}

function descriptorOf(name: string, options: MetricOptions): MetricData['descriptor'] {
  return { name, description: options.description ?? '', unit: options.unit ?? '', valueType: options.valueType ?? ValueType.DOUBLE };
}

/** The SDK's treatment of a value before aggregation: no negative values, numbers only, INT drops the fraction. */
function acceptedValue(value: number, valueType: ValueType): number | undefined {
  if (value < 0 || typeof value !== 'number') return undefined;
  return valueType === ValueType.INT ? Math.trunc(value) : value;
}

interface HistogramSeries {
  attributes: Attributes;
  startTime: HrTime;
  counts: number[];
  sum: number;
  count: number;
  min: number;
  max: number;
}

/** The SDK's explicit-bucket histogram: cumulative counts, sum, count, min and max per series. */
class PreAggregatedHistogram implements Histogram {
  readonly descriptor: MetricData['descriptor'];
  readonly #boundaries: readonly number[];
  readonly #series: SeriesTable<HistogramSeries>;

  constructor(descriptor: MetricData['descriptor'], boundaries: readonly number[]) {
    this.descriptor = descriptor;
    this.#boundaries = boundaries;
    this.#series = new SeriesTable((attributes, startTime) => ({
      attributes,
      startTime,
      counts: new Array<number>(boundaries.length + 1).fill(0),
      sum: 0,
      count: 0,
      min: Infinity,
      max: -Infinity,
    }));
  }

  record(value: number, attributes: Attributes = NO_ATTRIBUTES): void {
    const accepted = acceptedValue(value, this.descriptor.valueType);
    if (accepted === undefined) return;
    // As in the SDK, a NaN opens its series but is not counted.
    const series = this.#series.get(attributes);
    if (Number.isNaN(accepted)) return;
    series.count += 1;
    series.sum += accepted;
    series.min = Math.min(series.min, accepted);
    series.max = Math.max(series.max, accepted);
    series.counts[bucketIndex(this.#boundaries, accepted)]! += 1;
  }

  metricData(endTime: HrTime): HistogramMetricData {
    const boundaries = [...this.#boundaries];
    return {
      descriptor: this.descriptor,
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: [...this.#series.values()].map((series) => ({
        attributes: series.attributes,
        startTime: series.startTime,
        endTime,
        value: {
          buckets: { boundaries, counts: [...series.counts] },
          sum: series.sum,
          count: series.count,
          ...(series.count > 0 && { min: series.min, max: series.max }),
        },
      })),
    };
  }
}

interface SumSeries {
  attributes: Attributes;
  startTime: HrTime;
  value: number;
}

/** The SDK's monotonic sum. */
class PreAggregatedCounter implements Counter {
  readonly descriptor: MetricData['descriptor'];
  readonly #series = new SeriesTable<SumSeries>((attributes, startTime) => ({ attributes, startTime, value: 0 }));

  constructor(descriptor: MetricData['descriptor']) {
    this.descriptor = descriptor;
  }

  add(value: number, attributes: Attributes = NO_ATTRIBUTES): void {
    const accepted = acceptedValue(value, this.descriptor.valueType);
    if (accepted === undefined) return;
    this.#series.get(attributes).value += accepted;
  }

  metricData(endTime: HrTime): SumMetricData {
    return {
      descriptor: this.descriptor,
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: [...this.#series.values()].map(({ attributes, startTime, value }) => ({ attributes, startTime, endTime, value })),
    };
  }
}

type Instrument = PreAggregatedHistogram | PreAggregatedCounter;

export interface PreAggregatedInstrumentsOptions {
  /** The resource the collected metrics belong to (the MeterProvider's). */
  resource: Resource;
  /** Boundaries of histograms in seconds (unit `s`); others take their advice's, or the SDK's default. */
  durationBoundaries: readonly number[];
  /** Histograms whose names it keeps also offer each record of a sampled span to it. */
  exemplars?: ExemplarStore | undefined;
}

/**
 * The synchronous counters and histograms of this service's own meters (the telemetry hooks' per-request durations,
 * the app's business metrics), aggregated here instead of in the SDK and handed to every reader of the MeterProvider
 * through the SDK's MetricProducer interface (the readers' `metricProducers` option, meant for metrics from outside
 * the SDK). What the readers see is the cumulative data the SDK would build for the same records (a property test
 * compares them), so the exporter, the OpenMetrics writer and the snapshot read it unchanged. A record with a cached
 * attribute object costs about 30 ns instead of the SDK's 0.6 µs (`npm run bench:record`): the SDK hashes the
 * attributes of every record (JSON of the sorted attributes), here a cached object is found by identity (a new
 * object is keyed as the SDK keys it, at about the SDK's cost). Cumulative only: every
 * reader of this app is. Written by hand because OpenTelemetry JS has no bound instruments (the specification's
 * `Bind`, in development since open-telemetry/opentelemetry-specification#4126) or cached attribute sets; it goes
 * once the SDK has either. The latency histograms' exemplars are recorded here too (see exemplars.ts).
 */
export class PreAggregatedInstruments implements MetricProducer {
  readonly #options: PreAggregatedInstrumentsOptions;
  /** Per meter name (the instrumentation scope), per instrument name. */
  readonly #meters = new Map<string, Map<string, Instrument>>();

  constructor(options: PreAggregatedInstrumentsOptions) {
    this.#options = options;
  }

  /** `provider`, except that the meters named have their counters and histograms made here. */
  meterProvider(provider: MeterProvider, meterNames: readonly string[]): MeterProvider {
    return {
      getMeter: (name: string, version?: string, options?: MeterOptions): Meter => {
        const meter = provider.getMeter(name, version, options);
        return meterNames.includes(name) ? this.#meter(name, meter) : meter;
      },
    };
  }

  #meter(scope: string, meter: Meter): Meter {
    let instruments = this.#meters.get(scope);
    if (instruments === undefined) this.#meters.set(scope, (instruments = new Map()));
    const known = instruments;
    // One instrument per name and meter, as in the SDK: pg and Redis record into one db.client.operation.duration.
    const instrument = <T extends Instrument>(name: string, make: () => T): T => {
      const existing = known.get(name);
      if (existing !== undefined) return existing as T;
      const made = make();
      known.set(name, made);
      return made;
    };
    return new Proxy(meter, {
      get: (target, property, receiver) => {
        if (property === 'createCounter') {
          return (name: string, options: MetricOptions = {}): Counter => instrument(name, () => new PreAggregatedCounter(descriptorOf(name, options)));
        }
        if (property === 'createHistogram') {
          return (name: string, options: MetricOptions = {}): Histogram =>
            this.#withExemplars(name, instrument(name, () => new PreAggregatedHistogram(descriptorOf(name, options), this.#boundaries(options))));
        }
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
  }

  /** What a view of this app would give it: durations the standard buckets, otherwise the advice, then the default. */
  #boundaries(options: MetricOptions): readonly number[] {
    if (options.unit === 's') return this.#options.durationBoundaries;
    return options.advice?.explicitBucketBoundaries ?? SDK_DEFAULT_BOUNDARIES;
  }

  #withExemplars(name: string, histogram: PreAggregatedHistogram): Histogram {
    const { exemplars } = this.#options;
    if (exemplars?.keeps(name) !== true) return histogram;
    return { record: (value, attributes, ctx) => exemplars.record(name, histogram, value, attributes, ctx) };
  }

  async collect(): Promise<CollectionResult> {
    const endTime = millisToHrTime(Date.now());
    return {
      resourceMetrics: {
        resource: this.#options.resource,
        scopeMetrics: [...this.#meters].map(([name, instruments]) => ({
          scope: { name },
          // As the SDK, an instrument without a series yet is left out.
          metrics: [...instruments.values()].map((instrument) => instrument.metricData(endTime)).filter((metric) => metric.dataPoints.length > 0),
        })),
      },
      errors: [],
    };
  }
}
