/**
 * A fixed-capacity ring buffer of (time, value) points: pushing onto a full ring overwrites the
 * oldest point, so memory stays bounded however long a stream runs. Points are expected in time
 * order (messages are timestamped as they arrive), which lets old points be dropped from the front.
 *
 * DOM-free.
 */
export class Ring {
  private times: Float64Array;
  private values: Float64Array;
  /** Index of the oldest point. */
  private head = 0;
  private size = 0;

  constructor(capacity: number) {
    const slots = Math.max(1, Math.floor(capacity));
    this.times = new Float64Array(slots);
    this.values = new Float64Array(slots);
  }

  /** How many points the ring can hold. */
  get capacity(): number {
    return this.times.length;
  }

  /** How many points it holds. */
  get length(): number {
    return this.size;
  }

  /** Adds a point; a full ring forgets its oldest one. */
  push(time: number, value: number): void {
    const capacity = this.times.length;
    const slot = (this.head + this.size) % capacity;
    this.times[slot] = time;
    this.values[slot] = value;
    if (this.size < capacity) this.size++;
    else this.head = (this.head + 1) % capacity;
  }

  /** The time of the `i`th point, oldest first. */
  time(i: number): number {
    return this.times[(this.head + i) % this.times.length];
  }

  /** The value of the `i`th point, oldest first. */
  value(i: number): number {
    return this.values[(this.head + i) % this.values.length];
  }

  /** The newest value, if any. */
  last(): number | undefined {
    return this.size === 0 ? undefined : this.value(this.size - 1);
  }

  /** Drops the points older than `time` from the front. */
  dropBefore(time: number): void {
    while (this.size > 0 && this.times[this.head] < time) {
      this.head = (this.head + 1) % this.times.length;
      this.size--;
    }
  }

  /** A ring of another capacity holding the newest points of this one. */
  resized(capacity: number): Ring {
    const ring = new Ring(capacity);
    for (let i = Math.max(0, this.size - ring.capacity); i < this.size; i++) ring.push(this.time(i), this.value(i));
    return ring;
  }

  /** Forgets every point. */
  clear(): void {
    this.head = 0;
    this.size = 0;
  }
}
