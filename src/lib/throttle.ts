/**
 * "Leading edge, trailing timer, latest wins": the first value runs at once; values that come
 * within `interval` ms of the last run wait, each replacing the one before, and the latest runs when
 * the interval is over. So a burst runs at most once per interval and always ends on its last value.
 * The one throttle of the kit (a slider's publishes, announcements, a chart's accessible label).
 * DOM-free; times from `performance.now()`.
 */
export class Throttle<T> {
  /** ms between two runs; 0 runs every value at once. */
  interval: number;

  private lastRun = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiting: { value: T } | undefined;

  constructor(
    private readonly run: (value: T) => void,
    interval = 0
  ) {
    this.interval = interval;
  }

  /** Whether a value waits for the end of the interval. */
  get pending(): boolean {
    return this.waiting !== undefined;
  }

  /** Runs `value` now if the last run is `interval` ms ago and nothing waits; else it waits (latest wins). */
  push(value: T): void {
    const wait = this.lastRun + this.interval - performance.now();
    if (wait <= 0 && this.timer === undefined) {
      this.lastRun = performance.now();
      this.run(value);
      return;
    }
    this.waiting = { value };
    this.timer ??= setTimeout(() => this.flush(), Math.max(wait, 0));
  }

  /** Runs the waiting value now, if any. */
  flush(): void {
    const waiting = this.waiting;
    this.cancel();
    if (!waiting) return;
    this.lastRun = performance.now();
    this.run(waiting.value);
  }

  /** Drops the waiting value. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting = undefined;
  }

  /** A run happened outside the throttle (an explicit call): the interval starts again now. */
  ranNow(): void {
    this.lastRun = performance.now();
  }

  /** Forgets the last run: the next value runs at once. */
  forget(): void {
    this.lastRun = -Infinity;
  }
}
