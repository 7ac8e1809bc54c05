import type { Clock } from '../../app/src/recommendations/clock.ts';

/** A clock whose time moves only when code sleeps or a test calls `advance`; `random` is fixed unless set. */
export class FakeClock implements Clock {
  time = 1_700_000_000_000;
  readonly sleeps: number[] = [];
  randomValue = 0.5;

  now = (): number => this.time;
  random = (): number => this.randomValue;

  /** Like the system clock's, refuses to wait on a signal that has already aborted. */
  sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.time += ms;
  };

  advance(ms: number): void {
    this.time += ms;
  }
}
