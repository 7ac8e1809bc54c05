import { ValueType, type Attributes, type Context, type Histogram, type HrTime, type Meter, type MetricOptions } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type HistogramMetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import type { ExemplarStore } from './exemplars.ts';
import { attributesKey, bucketIndex } from './histogramSeries.ts';

/** The SDK's default cardinality limit per instrument; the last series is the overflow series, as in the SDK. */
const CARDINALITY_LIMIT = 2000;
const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });
const NO_ATTRIBUTES: Attributes = Object.freeze({});
/** Attribute objects remembered by identity beyond the series themselves (frozen objects built per record). */
const MAX_REMEMBERED_OBJECTS = 4 * CARDINALITY_LIMIT;

/** One series: the cumulative explicit-bucket histogram point the SDK's aggregator keeps. */
interface Series {
  attributes: Attributes;
  startTime: HrTime;
  counts: number[];
  sum: number;
  count: number;
  min: number;
  max: number;
}

/**
 * One histogram instrument, aggregated like the SDK's explicit-bucket histogram (cumulative counts, sum, count,
 * min, max per attribute set, at most CARDINALITY_LIMIT series with the SDK's overflow series), but a series is found
 * by the identity of its frozen attribute object first: the hooks of this directory pass the same cached object for
 * the same series, so a record costs a Map lookup and a few additions instead of the SDK's attribute hash (JSON of
 * the sorted attributes) on every record. Other attribute objects are keyed as the SDK keys them.
 */
class PreAggregatedHistogram implements Histogram {
  readonly #boundaries: readonly number[];
  readonly #byObject = new Map<Attributes, Series>();
  readonly #byKey = new Map<string, Series>();
  readonly descriptor: HistogramMetricData['descriptor'];

  constructor(name: string, options: MetricOptions, boundaries: readonly number[]) {
    this.descriptor = { name, description: options.description ?? '', unit: options.unit ?? '', valueType: ValueType.DOUBLE };
    this.#boundaries = boundaries;
  }

  record(value: number, attributes: Attributes = NO_ATTRIBUTES, _context?: Context): void {
    if (typeof value !== 'number') return;
    // As in the SDK, a NaN opens its series but is not counted.
    const series = this.#byObject.get(attributes) ?? this.#seriesOf(attributes);
    if (Number.isNaN(value)) return;
    series.count += 1;
    series.sum += value;
    if (value < series.min) series.min = value;
    if (value > series.max) series.max = value;
    series.counts[bucketIndex(this.#boundaries, value)]! += 1;
  }

  #seriesOf(attributes: Attributes): Series {
    const key = attributesKey(attributes);
    let series = this.#byKey.get(key);
    if (series === undefined) {
      if (this.#byKey.size >= CARDINALITY_LIMIT - 1 && attributes !== OVERFLOW_ATTRIBUTES) return this.#seriesOf(OVERFLOW_ATTRIBUTES);
      series = {
        attributes: { ...attributes },
        startTime: millisToHrTime(Date.now()),
        counts: new Array<number>(this.#boundaries.length + 1).fill(0),
        sum: 0,
        count: 0,
        min: Infinity,
        max: -Infinity,
      };
      this.#byKey.set(key, series);
    }
    if (Object.isFrozen(attributes) && this.#byObject.size < MAX_REMEMBERED_OBJECTS) this.#byObject.set(attributes, series);
    return series;
  }

  metricData(endTime: HrTime): HistogramMetricData {
    const boundaries = [...this.#boundaries];
    return {
      descriptor: this.descriptor,
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: [...this.#byKey.values()].map((series) => ({
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

export interface PreAggregatedHistogramsOptions {
  /** The resource the collected metrics belong to (the MeterProvider's). */
  resource: Resource;
  /** The instrumentation scope they are collected under. */
  scopeName: string;
  /** Bucket boundaries (upper bounds) of every histogram here. */
  boundaries: readonly number[];
  /** Histograms whose names it keeps also offer each record of a sampled span to it. */
  exemplars?: ExemplarStore | undefined;
}

/**
 * The per-request histograms of the telemetry hooks (HTTP server, PostgreSQL and Redis durations), aggregated here
 * instead of in the SDK and handed to every reader of the MeterProvider through the SDK's MetricProducer interface
 * (the readers' `metricProducers` option, meant for metrics from outside the SDK). A record here costs about a
 * hundredth of the SDK's (`npm run bench:record`); what the readers see is the same cumulative histogram data the
 * SDK builds, so the exporter, the OpenMetrics writer and the snapshot read it unchanged. Cumulative only: every
 * reader of this app is. Written by hand because OpenTelemetry JS has no bound instruments (the specification's
 * `Bind`, in development since open-telemetry/opentelemetry-specification#4126) and hashes the attributes of every
 * record; it goes once the SDK binds or caches attribute sets.
 */
export class PreAggregatedHistograms implements MetricProducer {
  readonly #options: PreAggregatedHistogramsOptions;
  readonly #histograms = new Map<string, PreAggregatedHistogram>();

  constructor(options: PreAggregatedHistogramsOptions) {
    this.#options = options;
  }

  /**
   * `meter` with its histograms made here: one instrument per name (pg and Redis record into the same
   * `db.client.operation.duration`), with exemplars where the store keeps them. Everything else is `meter`'s own.
   */
  meter(meter: Meter): Meter {
    return new Proxy(meter, {
      get: (target, property, receiver) => {
        if (property !== 'createHistogram') return Reflect.get(target, property, receiver) as unknown;
        return (name: string, options: MetricOptions = {}): Histogram => this.#histogram(name, options);
      },
    });
  }

  #histogram(name: string, options: MetricOptions): Histogram {
    let histogram = this.#histograms.get(name);
    if (histogram === undefined) {
      histogram = new PreAggregatedHistogram(name, options, this.#options.boundaries);
      this.#histograms.set(name, histogram);
    }
    const { exemplars } = this.#options;
    if (exemplars?.keeps(name) !== true) return histogram;
    const recorded = histogram;
    return { record: (value, attributes, ctx) => exemplars.record(name, recorded, value, attributes, ctx) };
  }

  async collect(): Promise<CollectionResult> {
    const endTime = millisToHrTime(Date.now());
    return {
      resourceMetrics: {
        resource: this.#options.resource,
        scopeMetrics: [{ scope: { name: this.#options.scopeName }, metrics: [...this.#histograms.values()].map((histogram) => histogram.metricData(endTime)) }],
      },
      errors: [],
    };
  }
}
