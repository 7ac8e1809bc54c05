import type { RecommendationMetrics } from '../../app/src/recommendations/recommendationMetrics.ts';

/** RecommendationMetrics that keeps what was recorded, as `name label label…` lines, for assertions. */
export class RecordingMetrics implements RecommendationMetrics {
  readonly events: string[] = [];

  catalogAttempt(endpoint: string, outcome: string): void {
    this.events.push(`attempt ${endpoint} ${outcome}`);
  }

  catalogRetry(endpoint: string, reason: string): void {
    this.events.push(`retry ${endpoint} ${reason}`);
  }

  breakerRejection(endpoint: string): void {
    this.events.push(`rejected ${endpoint}`);
  }

  observeBreakerState(): void {}

  cacheRequests(cacheName: string, result: string, count: number): void {
    if (count > 0) this.events.push(`cache ${cacheName} ${result} ${count}`);
  }

  served(source: string): void {
    this.events.push(`served ${source}`);
  }
}
