import { context, trace, TraceFlags, type Attributes, type Context, type Histogram } from '@opentelemetry/api';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import { withUnitSuffix } from './prometheusNames.ts';
import { attributesKey, bucketIndex } from './histogramSeries.ts';

/**
 * Exemplars for OpenTelemetry JS, which records none: the SDK's exemplar code was never wired into its pipeline
 * (open-telemetry/opentelemetry-js#5147). This file, the exemplar part of
 * PreAggregatedInstruments.ts and openMetrics.ts go once it ships.
 */

/** One observation of a sampled span, as OpenMetrics writes it after a bucket line. */
export interface Exemplar {
  value: number;
  /** Unix time in seconds. */
  timestamp: number;
  traceId: string;
  spanId: string;
}

/** A histogram that keeps exemplars, and the series it records into. */
export interface ExemplarInstrument {
  /** The instrument's name. */
  name: string;
  /** Its unit, which names the exported metric (`http.server.request.duration_seconds`). */
  unit: string;
  /** Bucket boundaries of its series (upper bounds, `le`). */
  boundaries: readonly number[];
}

export interface ExemplarStoreOptions {
  /** Attribute sets kept per instrument; more are dropped. @default 2000, the SDK's default cardinality limit */
  maxSeries?: number;
  /** Unix time in milliseconds. @default Date.now */
  now?: () => number;
}

/** Exemplars of one instrument: per attribute set, the newest per bucket. */
class InstrumentExemplars {
  readonly #boundaries: readonly number[];
  readonly #series = new Map<string, Array<Exemplar | undefined>>();

  constructor(instrument: ExemplarInstrument) {
    this.#boundaries = instrument.boundaries;
  }

  offer(value: number, attributes: Attributes, exemplar: Exemplar, maxSeries: number): void {
    const key = attributesKey(attributes);
    let buckets = this.#series.get(key);
    if (buckets === undefined) {
      if (this.#series.size >= maxSeries) return;
      buckets = new Array<Exemplar | undefined>(this.#boundaries.length + 1).fill(undefined);
      this.#series.set(key, buckets);
    }
    buckets[bucketIndex(this.#boundaries, value)] = exemplar;
  }

  forSeries(attributes: Attributes): ReadonlyArray<Exemplar | undefined> | undefined {
    return this.#series.get(attributesKey(attributes));
  }
}

/**
 * The newest exemplar per bucket per series of each instrument named, taken only from sampled spans, so each one
 * points at a trace the trace backend has. Its size is bounded by series × buckets; the series are cumulative and
 * never go away, so neither do their exemplars (a newer one replaces the old).
 */
export class ExemplarStore {
  readonly #instruments = new Map<string, InstrumentExemplars>();
  /** The same, by the unit-suffixed name the exporter collects them under. */
  readonly #exported = new Map<string, InstrumentExemplars>();
  readonly #maxSeries: number;
  readonly #now: () => number;

  constructor(instruments: readonly ExemplarInstrument[], options: ExemplarStoreOptions = {}) {
    for (const instrument of instruments) {
      const exemplars = new InstrumentExemplars(instrument);
      this.#instruments.set(instrument.name, exemplars);
      this.#exported.set(withUnitSuffix(instrument.name, instrument.unit, DataPointType.HISTOGRAM), exemplars);
    }
    this.#maxSeries = options.maxSeries ?? 2000;
    this.#now = options.now ?? Date.now;
  }

  /** Whether histograms of this name keep exemplars. */
  keeps(instrumentName: string): boolean {
    return this.#instruments.has(instrumentName);
  }

  /** Records into `histogram`, and keeps an exemplar when the span of `ctx` (or the active one) is sampled. */
  record(instrumentName: string, histogram: Histogram, value: number, attributes: Attributes = {}, ctx: Context = context.active()): void {
    histogram.record(value, attributes, ctx);
    const span = trace.getSpanContext(ctx);
    if (span === undefined || (span.traceFlags & TraceFlags.SAMPLED) === 0) return;
    const exemplar = { value, timestamp: this.#now() / 1000, traceId: span.traceId, spanId: span.spanId };
    this.#instruments.get(instrumentName)?.offer(value, attributes, exemplar, this.#maxSeries);
  }

  /**
   * The exemplars of one exported series: the metric's unit-suffixed name as the exporter collects it and its data
   * point's attributes. One slot per bucket, +Inf last.
   */
  forSeries(exportedName: string, attributes: Attributes): ReadonlyArray<Exemplar | undefined> | undefined {
    return this.#exported.get(exportedName)?.forSeries(attributes);
  }
}
