import { Ring } from './ring.js';

/** One line of a chart: the points of one topic. */
export interface Series {
  /** The topic whose values these are. */
  readonly topic: string;
  /** What the legend shows: the named-wildcard values, else the topic. */
  readonly label: string;
  readonly ring: Ring;
}

/**
 * Columns in uPlot's aligned form: shared x values (seconds), then one column per series, with
 * `undefined` where a series has no point at a time (another series has) and `null` at a break.
 */
export type AlignedColumns = [Float64Array | number[], ...(Float64Array | (number | null | undefined)[])[]];

/**
 * The series of a chart, one per topic, each in its own {@link Ring}; and their merge into the aligned
 * columns uPlot draws (one x array shared by every series, `undefined` where a series has no point).
 * Breaks (the connection was lost) are times where every line stops: `null` in every column.
 *
 * DOM-free.
 */
export class SeriesSet {
  private readonly byTopic = new Map<string, Series>();
  private capacity: number;
  /** Times (ms) of the breaks, in order; each after a point that came after the previous break. */
  private breaks: number[] = [];
  /** The time of the newest point. */
  private newest = -Infinity;

  constructor(
    capacity: number,
    /** At most this many series; points of further topics are refused. */
    readonly maxSeries = Infinity
  ) {
    this.capacity = capacity;
  }

  /** The series in the order their topics first appeared. */
  get list(): Series[] {
    return [...this.byTopic.values()];
  }

  get size(): number {
    return this.byTopic.size;
  }

  /**
   * Adds a point to the series of `topic` (made on its first point, labelled `label`). Returns
   * `false` when that would be one series too many (the point is not kept).
   */
  add(topic: string, label: string, time: number, value: number): boolean {
    let series = this.byTopic.get(topic);
    if (!series) {
      if (this.byTopic.size >= this.maxSeries && !this.evictSilent()) return false;
      series = { topic, label, ring: new Ring(this.capacity) };
      this.byTopic.set(topic, series);
    }
    series.ring.push(time, value);
    this.newest = Math.max(this.newest, time);
    return true;
  }

  /**
   * Breaks every line at `time` (ms): no line joins a point before it to one after it. Only after a
   * point that came since the last break; returns whether it made one.
   */
  breakAt(time: number): boolean {
    const last = this.breaks[this.breaks.length - 1] ?? -Infinity;
    if (!this.hasPoints || this.newest <= last) return false;
    // After the newest point, so that the break has a time of its own.
    this.breaks.push(Math.max(time, this.newest + 1));
    return true;
  }

  /**
   * Makes room by dropping a series with no point left (its topic was silent for a whole window).
   * Series otherwise stay, so that colours do not move; `evictions` counts the times one left.
   */
  private evictSilent(): boolean {
    for (const [topic, series] of this.byTopic) {
      if (series.ring.length > 0) continue;
      this.byTopic.delete(topic);
      this.evictions++;
      return true;
    }
    return false;
  }

  /** How many series were dropped to make room for new topics (the plot then rebuilds its series). */
  evictions = 0;

  /** Whether any series has a point. */
  get hasPoints(): boolean {
    for (const series of this.byTopic.values()) if (series.ring.length > 0) return true;
    return false;
  }

  /** Keeps at most `capacity` points per series (the newest). */
  setCapacity(capacity: number): void {
    if (capacity === this.capacity) return;
    this.capacity = capacity;
    for (const [topic, series] of this.byTopic)
      this.byTopic.set(topic, { ...series, ring: series.ring.resized(capacity) });
  }

  /** Drops points older than `time` (series stay, empty or not, so that their colours stay put). */
  dropBefore(time: number): void {
    for (const series of this.byTopic.values()) series.ring.dropBefore(time);
  }

  clear(): void {
    this.byTopic.clear();
    this.breaks = [];
    this.newest = -Infinity;
  }

  /**
   * The breaks between the oldest point kept and the newest: those before it break nothing and are
   * forgotten; one after the newest point waits for the next point.
   */
  private liveBreaks(): number[] {
    let oldest = Infinity;
    for (const { ring } of this.byTopic.values()) if (ring.length > 0) oldest = Math.min(oldest, ring.time(0));
    const first = this.breaks.findIndex((time) => time > oldest);
    if (first !== 0) this.breaks = first < 0 ? [] : this.breaks.slice(first);
    const last = this.breaks[this.breaks.length - 1];
    return last === undefined || last < this.newest ? this.breaks : this.breaks.slice(0, -1);
  }

  /**
   * The points in uPlot's aligned form, times in seconds. One series without breaks: its own
   * columns. Else: the sorted union of the times of the points and of the breaks; each series
   * `undefined` where it has no point at a time, `null` at a break and from there to its
   * neighbouring points (so that uPlot's gap runs from a line's last point to its next one).
   */
  aligned(): AlignedColumns {
    const list = this.list;
    const breaks = this.liveBreaks();
    if (list.length === 1 && breaks.length === 0) {
      const { ring } = list[0];
      const xs = new Float64Array(ring.length);
      const ys = new Float64Array(ring.length);
      for (let i = 0; i < ring.length; i++) {
        xs[i] = ring.time(i) / 1000;
        ys[i] = ring.value(i);
      }
      return [xs, ys];
    }
    let total = breaks.length;
    for (const { ring } of list) total += ring.length;
    const all = new Float64Array(total);
    all.set(breaks);
    let n = breaks.length;
    for (const { ring } of list) for (let i = 0; i < ring.length; i++) all[n++] = ring.time(i);
    all.sort();
    // The distinct times.
    let distinct = 0;
    for (let i = 0; i < total; i++) if (i === 0 || all[i] !== all[distinct - 1]) all[distinct++] = all[i];
    const times = all.subarray(0, distinct);
    const columns: AlignedColumns = [Array.from(times, (t) => t / 1000)];
    for (const { ring } of list) {
      const ys: (number | null | undefined)[] = new Array(distinct).fill(undefined);
      // Both in time order: walk them together.
      let at = 0;
      for (let i = 0; i < ring.length; i++) {
        const t = ring.time(i);
        while (times[at] < t) at++;
        ys[at] = ring.value(i);
      }
      at = 0;
      for (const t of breaks) {
        while (times[at] < t) at++;
        for (let i = at; i >= 0 && ys[i] === undefined; i--) ys[i] = null;
        for (let i = at + 1; i < distinct && ys[i] === undefined; i++) ys[i] = null;
      }
      columns.push(ys);
    }
    return columns;
  }
}

/** What the chart knows about one of its series (a read-only snapshot). */
export interface ChartSeries {
  /** The topic whose values the series draws. */
  readonly topic: string;
  /** Its legend label: the named-wildcard values (`kitchen` for `home/+room/temperature`), else the topic. */
  readonly label: string;
  /** How many points it keeps now (at most `max-points`, none older than `window`). */
  readonly points: number;
  /** Its latest value. */
  readonly latest: number | undefined;
}
