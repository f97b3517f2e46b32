import type uPlot from 'uplot';
import { distinct, TIME_INCRS, timeValues, valueIncrs, valueStep } from './ticks.js';

/**
 * The uPlot adapter of `<mqtt-chart>`: the element's settings in, uPlot's options out. A pure
 * function of plain values (colours and font already read from CSS, formatters already made for
 * the locale), so that it is testable without a page. DOM-free; uPlot is imported as types only
 * (its `rangeNum` is passed in).
 */

/** Series colours when no `--mqtt-chart-color-N` is set: a colour-blind-friendly palette of 8. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7'];

/** The shortest span a young chart shows, ms. */
export const MIN_SPAN_MS = 20_000;

/**
 * The series colours: `--mqtt-chart-color-1` ... `-8` as `read` finds them (an empty string when a
 * property is not set), else the palette's.
 */
export function seriesColours(read: (property: string) => string): string[] {
  return PALETTE.map((fallback, i) => read(`--mqtt-chart-color-${i + 1}`) || fallback);
}

/** uPlot's `rangeNum(min, max, mult, extra)`: a padded, rounded range around the data. */
export type RangeNum = (min: number, max: number, mult: number, extra: boolean) => uPlot.Range.MinMax;

/** How values are written. */
export interface ValueFormat {
  /** A number as text, as the locale writes it, with the chart's digits (no unit). */
  readonly formatNumber: (value: number) => string;
  /** Shown after each value (`°C`), if any. */
  readonly unit?: string;
}

/** What a series needs: its colour and how its values are written. */
export interface SeriesLook extends ValueFormat {
  /** Series colours, in order; they repeat after the last. */
  readonly colours: readonly string[];
}

/** The element's settings, as plain values: what {@link chartOptions} turns into uPlot options. */
export interface ChartSettings extends SeriesLook {
  /** Colour of the axis text. */
  readonly text: string;
  /** Colour of the grid lines and ticks. */
  readonly grid: string;
  /** Font of the axis labels, as the CSS `font` shorthand. */
  readonly font: string;
  /** The plot's first size, CSS pixels (the element fits it to its box after the first draw). */
  readonly width: number;
  readonly height: number;
  /** The fraction digits values are written with (`digits`), if set: ticks are never finer. */
  readonly digits: number | undefined;
  /** Fixed ends of the y axis; an end that is `undefined` follows the data. */
  readonly range: readonly [min: number | undefined, max: number | undefined];
  /** The topic filter: one with wildcards (`+`, `#`) has a legend. */
  readonly topic: string | undefined;
  /** The labels of the series drawn, in order. */
  readonly labels: readonly string[];
  /** A time (ms since the epoch) as a clock time, with seconds or only minutes. */
  readonly formatTime: (ms: number, seconds: boolean) => string;
  /** The x axis's span now, seconds since the epoch (read at each draw: it slides with the clock). */
  readonly xRange: () => [number, number];
  /** uPlot's `rangeNum`, for the y axis that follows the data. */
  readonly rangeNum: RangeNum;
  /**
   * Zooms the time axis to the span a drag across the plot selected (ms since the epoch), or back
   * to live (`undefined`) on a double-click.
   */
  readonly zoom: (view: [from: number, to: number] | undefined) => void;
}

/** Whether a topic filter has wildcards, so that the chart may draw several series. */
export const hasWildcards = (topic: string | undefined): boolean => /[+#]/.test(topic ?? '');

/** A value as the chart writes it: formatted, with the unit after it. */
export function valueWithUnit(format: ValueFormat, value: number): string {
  const text = format.formatNumber(value);
  return format.unit ? `${text} ${format.unit}` : text;
}

/**
 * The y axis's range: the fixed ends, else uPlot's padded range around the data; never empty. Ends
 * that follow the data span at least two `step`s (the finest the labels write), so that values
 * closer than `digits` can tell apart still get two ticks, not one.
 */
export function yRange(
  range: ChartSettings['range'],
  rangeNum: RangeNum,
  dataMin: number | null,
  dataMax: number | null,
  step = 0
): [number, number] {
  const [min, max] = range;
  const [autoMin, autoMax] = rangeNum(dataMin ?? 0, dataMax ?? 1, 0.1, true);
  let low = min ?? autoMin ?? 0;
  let high = max ?? autoMax ?? 1;
  const short = 2 * step - (high - low);
  if (short > 0 && (min === undefined || max === undefined)) {
    if (min === undefined && max === undefined) [low, high] = [low - short / 2, high + short / 2];
    else if (min === undefined) low -= short;
    else high += short;
  }
  return low < high ? [low, high] : [low, low + 1];
}

/**
 * The x axis's span, ms: the last `windowMs` up to `now`. A young chart (its `oldest` point, ms, is
 * recent, or it has none yet) spans the last {@link MIN_SPAN_MS}, or from its oldest point when
 * that is longer ago, instead of drawing a stub at the right edge of an empty window; once the
 * window is full, it slides.
 */
export function timeSpan(now: number, windowMs: number, oldest: number | undefined): [number, number] {
  return [Math.max(now - windowMs, Math.min(oldest ?? now, now - MIN_SPAN_MS)), now];
}

/** A series' column as uPlot holds it: `undefined` where only other series have a point, `null` at a gap. */
type Column = ArrayLike<number | null | undefined>;

/**
 * The points of a column that no line reaches: a series' only point, or one alone between gaps
 * (`null`: the connection was lost). uPlot draws a line between two points or none, so these are
 * drawn as dots. `null` when there are none.
 */
export function lonePoints(ys: Column): number[] | null {
  const lone: number[] = [];
  // The last point whose previous neighbour is a gap or the start, while no point followed it.
  let candidate = -1;
  let afterPoint = false;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (y === undefined) continue;
    if (y === null) {
      if (candidate >= 0) lone.push(candidate);
      candidate = -1;
      afterPoint = false;
    } else {
      candidate = afterPoint ? -1 : i;
      afterPoint = true;
    }
  }
  if (candidate >= 0) lone.push(candidate);
  return lone.length > 0 ? lone : null;
}

/** A column's newest value, if any. */
export function latest(ys: Column): number | undefined {
  for (let i = ys.length - 1; i >= 0; i--) {
    const y = ys[i];
    if (y !== null && y !== undefined) return y;
  }
  return undefined;
}

/**
 * The options of the `index`th series (0 is the first after x), labelled `label`. Its legend value
 * is its latest value, or the value under the pointer while there is one; a line breaks at a gap
 * (`null`), and a point no line reaches is a dot.
 */
export function seriesOptions(label: string, index: number, look: SeriesLook): uPlot.Series {
  const colour = look.colours[index % look.colours.length];
  return {
    label,
    stroke: colour,
    width: 2,
    // `undefined` (a time of another series only) is spanned, `null` (a gap) is not.
    spanGaps: false,
    points: { show: false, size: 6, width: 1, fill: colour, filter: (self, i) => lonePoints(self.data[i]) },
    value: (self, v, i, at) => {
      const shown = at === null || at === undefined ? latest(self.data[i]) : v;
      return shown === null || shown === undefined ? '–' : valueWithUnit(look, shown);
    },
  };
}

/** uPlot's options for a chart with these settings. */
export function chartOptions(settings: ChartSettings): uPlot.Options {
  const { text, grid, font } = settings;
  const step = valueStep(settings.digits);
  const axis = {
    stroke: text,
    font,
    labelFont: font,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
  };
  return {
    width: settings.width,
    height: settings.height,
    pxAlign: false,
    // Room on the right for the half of the last time label that would stick out.
    padding: [8, 32, 0, 0],
    // Each series' label and latest value (under the pointer, the value there). A filter without
    // wildcards has one series whose label is the topic the page already names: no legend.
    legend: { live: true, show: hasWildcards(settings.topic) },
    // A drag on x (of 5 px at least: a click is no drag) selects a span; the element zooms to it.
    cursor: {
      drag: { x: true, y: false, setScale: false, dist: 5 },
      // A double-click goes back to live (in place of uPlot's own, which would fit the data).
      bind: {
        dblclick: () => (event) => {
          if (event.button === 0) settings.zoom(undefined);
          return null;
        },
      },
    },
    hooks: {
      setSelect: [
        (self) => {
          const { left, width } = self.select;
          if (width > 0) settings.zoom([self.posToVal(left, 'x') * 1000, self.posToVal(left + width, 'x') * 1000]);
          self.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        },
      ],
    },
    scales: {
      x: { time: true, range: () => settings.xRange() },
      y: {
        range: (_self, dataMin, dataMax) => yRange(settings.range, settings.rangeNum, dataMin, dataMax, step),
      },
    },
    axes: [
      // Clock times are wide ("12:04:30 PM"): ticks at least 100 px apart.
      {
        ...axis,
        space: 100,
        incrs: TIME_INCRS,
        values: (_self, splits, _axis, _space, incr) => timeValues(splits, incr, settings.formatTime),
      },
      {
        ...axis,
        incrs: valueIncrs(settings.digits),
        values: (_self, splits) => distinct(splits.map((v) => valueWithUnit(settings, v))),
        // As wide as the widest label, measured on the plot's canvas in the axis's font.
        size: (self, values) => {
          const labels = (values ?? []).filter((v) => v !== null && v !== undefined);
          if (!labels.length) return 40;
          self.ctx.font = font;
          return Math.ceil(Math.max(...labels.map((v) => self.ctx.measureText(v).width))) + 24;
        },
      },
    ],
    series: [{}, ...settings.labels.map((label, i) => seriesOptions(label, i, settings))],
  };
}
