import type { Histogram, Meter, MeterOptions, MeterProvider, MetricOptions } from '@opentelemetry/api';
import type { ExemplarStore } from './exemplars.ts';

/**
 * The SDK's MeterProvider, except that histograms the store keeps exemplars for also offer each record of a sampled
 * span to it. Registered globally in its place, so exemplars do not depend on who records: the HTTP hook here and
 * the recommendation domain (through the OpenTelemetry API) alike. Everything else is the SDK's own object.
 * Stopgap for open-telemetry/opentelemetry-js#5147 (see exemplars.ts).
 */
export class ExemplarMeterProvider implements MeterProvider {
  readonly #provider: MeterProvider;
  readonly #store: ExemplarStore;

  constructor(provider: MeterProvider, store: ExemplarStore) {
    this.#provider = provider;
    this.#store = store;
  }

  getMeter(name: string, version?: string, options?: MeterOptions): Meter {
    const meter = this.#provider.getMeter(name, version, options);
    const store = this.#store;
    return new Proxy(meter, {
      get(target, property, receiver) {
        if (property !== 'createHistogram') return Reflect.get(target, property, receiver) as unknown;
        return (instrumentName: string, metricOptions?: MetricOptions): Histogram => {
          const histogram = target.createHistogram(instrumentName, metricOptions);
          if (!store.keeps(instrumentName)) return histogram;
          return { record: (value, attributes, ctx) => store.record(instrumentName, histogram, value, attributes, ctx) };
        };
      },
    });
  }
}
