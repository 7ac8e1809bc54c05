/** The last `capacity` items pushed, oldest first; older ones are dropped. */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.#items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.#items.length;
    this.#size = Math.min(this.#size + 1, this.#items.length);
  }

  /** A copy of the items, oldest first. */
  toArray(): T[] {
    const capacity = this.#items.length;
    const start = (this.#next - this.#size + capacity) % capacity;
    return Array.from({ length: this.#size }, (_, index) => this.#items[(start + index) % capacity] as T);
  }
}
