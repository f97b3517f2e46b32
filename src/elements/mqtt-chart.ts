import { html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import uPlot from 'uplot';
import { SeriesSet } from '../chart/series.js';
import { numbersFromStrings } from '../controllers/numbers.js';
import { valueText } from '../session/codec.js';
import { MqttDiagnosticError } from '../session/diagnostics.js';
import type { MqttMessage } from '../session/message.js';
import styles from './mqtt-chart.styles.js';
import { MqttSubscriberElement } from './subscriber-element.js';

const DEFAULT_WINDOW = 300;
const DEFAULT_MAX_POINTS = 1000;
const MAX_MAX_POINTS = 100_000;
/** A `#` filter can match any number of topics: beyond this many series, further topics are not drawn. */
const MAX_SERIES = 20;
/** The aria-label is rewritten at most this often, so that screen readers are not flooded. */
const LABEL_EVERY_MS = 1000;
/** The shortest span a young chart shows, ms. */
const MIN_SPAN_MS = 20_000;
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7'];

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

/**
 * A time series of a topic's numeric values, drawn with uPlot. A filter with wildcards draws one
 * series per matching topic, labelled in a legend by its named-wildcard values
 * (`home/+room/temperature` gives `kitchen`, `bedroom`, ...) or else by the topic; a filter without
 * wildcards has no legend. The time axis spans `window` seconds; a new chart's axis spans the last
 * 20 s at first, then grows from its first point until it spans `window`. Each series keeps at most `max-points` points in a
 * ring buffer and none older than `window` seconds, so memory stays bounded however long it runs;
 * however fast messages arrive, the chart redraws at most once per animation frame. It fills its
 * own box (default height 240px: size it with CSS) and follows its container's size. Payloads that
 * are not numbers are reported and skipped; `true`/`false` are drawn as 1/0. Labels are set as
 * text, never as HTML.
 *
 * It has an entry of its own, so that pages without charts do not load uPlot: `mqtt-elements/chart`
 * from npm (which defines the other elements too), or `dist/mqtt-elements-chart.min.js` next to the
 * CDN bundle.
 *
 * @tag mqtt-chart
 * @summary A live time series of a topic's values (one line per matching topic).
 *
 * @csspart chart - The chart (`role="img"`, with an `aria-label` that sums up the series and their latest values).
 *
 * @cssproperty --mqtt-chart-color-1 - Colour of the 1st series (and `-2` ... `-8` for the next ones; they repeat after 8). Default: a colour-blind-friendly palette.
 * @cssproperty --mqtt-chart-grid - Colour of the grid lines and ticks. Default: translucent grey.
 * @cssproperty --mqtt-chart-text - Colour of the axis and legend text. Default: the element's `color`.
 * @cssproperty --mqtt-chart-font - Font of the axis labels, as the CSS `font` shorthand (`12px system-ui`). Default: 12px in the element's font family.
 *
 * @event {MqttMessageEvent} mqtt-message - A message arrived. `detail` is the `MqttMessage`.
 * @event {MqttErrorEvent} mqtt-error - An invalid filter or attribute, a payload that is not a number, or too many topics. `detail: { error, code?, hint }`.
 */
export class MqttChart extends MqttSubscriberElement {
  static override styles = styles;

  /** Seconds of history shown (and kept). */
  @property({ type: Number }) window = DEFAULT_WINDOW;

  /** The most points kept per series: a bound on memory, whatever the message rate. */
  @property({ attribute: 'max-points', type: Number }) maxPoints = DEFAULT_MAX_POINTS;

  /** Lower end of the y axis. Default: follows the data. */
  @property({ type: Number }) min?: number;

  /** Upper end of the y axis. Default: follows the data. */
  @property({ type: Number }) max?: number;

  /** Shown after the values on the y axis, in the legend and in the accessible label (`°C`). */
  @property() unit?: string;

  /** Fixed number of fraction digits for values on the axis and in the legend. */
  @property({ type: Number }) digits?: number;

  private readonly data = new SeriesSet(DEFAULT_MAX_POINTS, MAX_SERIES);
  private uplot: uPlot | undefined;
  /** How many series the plot has (after its x series). */
  private plotted = 0;
  private resizer: ResizeObserver | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private labelTimer: ReturnType<typeof setTimeout> | undefined;
  private labelledAt = 0;
  /** The plot must be made again (its options changed). */
  private rebuild = true;
  /** The plot's size must be fitted to the element again. */
  private unfitted = true;
  /** Valid settings in use. */
  private windowMs = DEFAULT_WINDOW * 1000;
  private digitsShown: number | undefined;
  private range: [number | undefined, number | undefined] = [undefined, undefined];
  private xRange: [number, number] = [0, 1];
  private formatter: Intl.NumberFormat | undefined;
  private timeFormat: Intl.DateTimeFormat | undefined;
  private timeFormatKey = '';

  /** The uPlot instance while the element is in a document, for code that needs it (hooks, cursor sync). @readonly */
  // Typed through import() so that the declaration file needs no default import of uPlot's
  // `export =` types (which projects without esModuleInterop could not read).
  get plot(): import('uplot') | undefined {
    return this.uplot;
  }

  /** The series drawn, in the order their topics first sent a number: topic, label, points kept and latest value. @readonly */
  get series(): ChartSeries[] {
    return this.data.list.map(({ topic, label, ring }) => ({ topic, label, points: ring.length, latest: ring.last() }));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in a document (or moved): draw again from the points kept.
    if (this.hasUpdated) this.scheduleFrame();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ticker);
    this.ticker = undefined;
    clearTimeout(this.labelTimer);
    this.labelTimer = undefined;
    this.resizer?.disconnect();
    this.resizer = undefined;
    this.uplot?.destroy();
    this.uplot = undefined;
    this.rebuild = true;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    numbersFromStrings(this, ['window', 'maxPoints', 'min', 'max', 'digits'], changed);
    if (changed.has('topic') || changed.has('path') || changed.has('type')) this.data.clear();
    if (changed.has('window')) this.windowMs = this.validWindow() * 1000;
    if (changed.has('maxPoints')) this.data.setCapacity(this.validMaxPoints());
    if (changed.has('digits')) this.digitsShown = this.validDigits();
    if (changed.has('min') || changed.has('max')) this.range = this.validRange();
    if (
      ['window', 'min', 'max', 'digits', 'unit', 'topic', 'path', 'type'].some((name) =>
        changed.has(name as keyof MqttChart)
      )
    ) {
      this.rebuild = true;
      this.formatter = undefined;
    }
  }

  protected override render() {
    return html`<div part="chart" role="img" aria-label=${this.summary()}></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.rebuild) this.scheduleFrame();
  }

  protected override received(message: MqttMessage): void {
    const value = message.value;
    // A payload that could not be decoded was reported already.
    if (value === undefined) return;
    const number = toNumber(value);
    if (number === undefined) {
      this.reporter.report(
        new MqttDiagnosticError({
          message: `The payload on ${message.topic} is not a number (${clip(value)}), so the chart skips it.`,
          hint: 'A chart draws numbers: publish a number such as 21.5, or add path="field" to pick a number out of a JSON payload.',
        })
      );
      return;
    }
    const label = Object.values(message.params).join('/') || message.topic;
    const evictions = this.data.evictions;
    const added = this.data.add(message.topic, label, message.receivedAt, number);
    // A silent series made room for this topic: the plot's series are no longer the list's.
    if (this.data.evictions !== evictions) this.rebuild = true;
    if (!added) {
      this.reporter.report(
        new MqttDiagnosticError({
          message: `The filter "${this.topic}" matches more than ${MAX_SERIES} topics that sent values within the window; the chart draws ${MAX_SERIES} only.`,
          hint: 'Narrow the topic filter (one chart per group of topics), so that each chart stays readable.',
        })
      );
      return;
    }
    this.scheduleFrame();
  }

  /** Draws: at most once per animation frame, however many messages arrive (see scheduleFrame). */
  protected override onFrame(): void {
    this.draw();
  }

  private draw(): void {
    if (!this.isConnected || !this.hasUpdated) return;
    // Observed from the first draw after each connection (the observer ends with the element's removal).
    if (!this.resizer) {
      this.resizer = new ResizeObserver(() => {
        this.unfitted = true;
        this.scheduleFrame();
      });
      this.resizer.observe(this.box());
    }
    const now = Date.now();
    this.data.dropBefore(now - this.windowMs);
    const columns = this.data.aligned() as uPlot.AlignedData;
    // A young chart spans from its first point (at least MIN_SPAN) instead of drawing a stub at the
    // right edge of an empty window; once the window is full, it slides.
    const oldest = columns[0]?.[0];
    const start =
      oldest === undefined
        ? now - this.windowMs
        : Math.max(now - this.windowMs, Math.min(oldest * 1000, now - MIN_SPAN_MS));
    this.xRange = [start / 1000, now / 1000];
    const list = this.data.list;
    if (this.rebuild || !this.uplot) {
      this.uplot?.destroy();
      // uPlot hands over its root element: into the `chart` part it goes.
      this.uplot = new uPlot(this.options(), columns, (self, init) => {
        this.box().replaceChildren(self.root);
        init();
      });
      this.plotted = list.length;
      this.rebuild = false;
      this.unfitted = true;
    } else {
      const plot = this.uplot;
      plot.batch(() => {
        const colours = this.colours();
        for (; this.plotted < list.length; this.plotted++) {
          plot.addSeries(this.seriesOptions(list[this.plotted].label, this.plotted, colours));
          // The legend may take another line.
          this.unfitted = true;
        }
        plot.setData(columns);
      });
    }
    if (this.unfitted) this.fit();
    // While there are points, the window slides with the clock even when no message comes.
    const hasPoints = this.data.hasPoints;
    if (hasPoints && this.ticker === undefined) {
      this.ticker = setInterval(() => this.scheduleFrame(), Math.min(1000, Math.max(100, this.windowMs / 300)));
    } else if (!hasPoints && this.ticker !== undefined) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
    this.relabel(now);
  }

  /** Sizes the plot to the element's box, less the legend below it. */
  private fit(): void {
    const plot = this.uplot;
    if (!plot) return;
    this.unfitted = false;
    const box = this.box();
    const legend = plot.root.querySelector<HTMLElement>('.u-legend')?.offsetHeight ?? 0;
    const width = Math.max(0, Math.floor(box.clientWidth));
    const height = Math.max(40, Math.floor(box.clientHeight - legend));
    if (width !== plot.width || height !== plot.height) plot.setSize({ width, height });
  }

  private box(): HTMLElement {
    return this.renderRoot.querySelector<HTMLElement>('[part=chart]')!;
  }

  private options(): uPlot.Options {
    const style = getComputedStyle(this);
    const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    const text = read('--mqtt-chart-text', style.color);
    const grid = read('--mqtt-chart-grid', 'rgba(128, 128, 128, 0.25)');
    const font = read('--mqtt-chart-font', `12px ${style.fontFamily}`);
    const colours = this.colours(style);
    const axis = {
      stroke: text,
      font,
      labelFont: font,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
    };
    const [min, max] = this.range;
    const box = this.box();
    return {
      width: Math.max(0, box.clientWidth),
      height: Math.max(40, box.clientHeight - 30),
      pxAlign: false,
      // Room on the right for the half of the last time label that would stick out.
      padding: [8, 32, 0, 0],
      // Labels only: a live legend shows "–" for every series until the pointer is over the plot; the
      // latest values are in the accessible label.
      // A filter without wildcards has one series whose label is the topic the page already names.
      legend: { live: false, show: /[+#]/.test(this.topic ?? '') },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: () => this.xRange },
        y: {
          range: (_self, dataMin, dataMax) => {
            const [autoMin, autoMax] = uPlot.rangeNum(dataMin ?? 0, dataMax ?? 1, 0.1, true);
            const low = min ?? autoMin ?? 0;
            const high = max ?? autoMax ?? 1;
            return low < high ? [low, high] : [low, low + 1];
          },
        },
      },
      axes: [
        // Clock times are wide ("12:04:30 PM"): ticks at least 100 px apart.
        { ...axis, space: 100, values: (_self, splits) => this.formatTimes(splits) },
        {
          ...axis,
          values: (_self, splits) => splits.map((v) => this.format(v)),
          size: (self, values) => {
            if (!values?.length) return 40;
            self.ctx.font = font;
            return Math.ceil(Math.max(...values.map((v) => self.ctx.measureText(v).width))) + 24;
          },
        },
      ],
      series: [{}, ...this.data.list.map((series, i) => this.seriesOptions(series.label, i, colours))],
    };
  }

  private seriesOptions(label: string, index: number, colours: string[]): uPlot.Series {
    return {
      label,
      stroke: colours[index % colours.length],
      width: 2,
      spanGaps: true,
      points: { show: false },
      value: (_self, v) => (v === null || v === undefined ? '–' : this.format(v)),
    };
  }

  /** The series colours from `--mqtt-chart-color-1` ... `-8`, else the palette. */
  private colours(style = getComputedStyle(this)): string[] {
    return PALETTE.map((fallback, i) => style.getPropertyValue(`--mqtt-chart-color-${i + 1}`).trim() || fallback);
  }

  /** Clock times for the x axis, with seconds while the span is short. */
  private formatTimes(splits: number[]): string[] {
    const seconds = splits.length > 1 && splits[splits.length - 1] - splits[0] <= 180;
    const key = seconds ? 'seconds' : 'minutes';
    if (this.timeFormatKey !== key) {
      this.timeFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        hour: 'numeric',
        minute: '2-digit',
        second: seconds ? '2-digit' : undefined,
      });
      this.timeFormatKey = key;
    }
    return splits.map((at) => this.timeFormat!.format(at * 1000));
  }

  private format(value: number): string {
    const digits = this.digitsShown;
    this.formatter ??= new Intl.NumberFormat(
      document.documentElement.lang || undefined,
      digits === undefined
        ? { maximumFractionDigits: 6 }
        : { minimumFractionDigits: digits, maximumFractionDigits: digits }
    );
    const text = this.formatter.format(value);
    return this.unit ? `${text} ${this.unit}` : text;
  }

  /** What the `chart` part says to assistive technology: the filter, the series and their latest values. */
  private summary(): string {
    const what = `Chart of ${this.topic ?? 'no topic'}`;
    const list = this.data.list;
    if (list.length === 0) return `${what}: no data yet`;
    const latest = list.map(({ label, ring }) => {
      const last = ring.last();
      return `${label} ${last === undefined ? 'no recent value' : this.format(last)}`;
    });
    return `${what}, ${list.length} series, latest: ${latest.join('; ')}`;
  }

  /** Rewrites the aria-label now if it was not rewritten lately, else once that time has passed. */
  private relabel(now: number): void {
    if (this.labelTimer !== undefined) return;
    const wait = this.labelledAt + LABEL_EVERY_MS - now;
    if (wait > 0) {
      this.labelTimer = setTimeout(() => {
        this.labelTimer = undefined;
        this.relabel(Date.now());
      }, wait);
      return;
    }
    this.labelledAt = now;
    this.box()?.setAttribute('aria-label', this.summary());
  }

  /** `window` when it is a positive number of seconds; anything else is reported and the default used. */
  private validWindow(): number {
    const seconds = this.window;
    const valid = typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0;
    const problem = valid
      ? undefined
      : {
          message: `window="${seconds}" is not a number of seconds.`,
          hint: `Use a positive number of seconds, such as window="300" (5 minutes, the default used for now).`,
        };
    return this.reporter.check('window', problem) ? seconds : DEFAULT_WINDOW;
  }

  /** `max-points` when it is a whole number from 2 to 100 000; anything else is reported and the default used. */
  private validMaxPoints(): number {
    const points = this.maxPoints;
    const valid = Number.isInteger(points) && points >= 2 && points <= MAX_MAX_POINTS;
    const problem = valid
      ? undefined
      : {
          message: `max-points="${points}" is not a number of points.`,
          hint: `Use a whole number from 2 to ${MAX_MAX_POINTS}, such as max-points="1000" (the default used for now).`,
        };
    return this.reporter.check('max-points', problem) ? points : DEFAULT_MAX_POINTS;
  }

  /** `digits` when it is a whole number from 0 to 20; anything else is reported and ignored. */
  private validDigits(): number | undefined {
    const digits = this.digits;
    const valid = digits === undefined || digits === null || (Number.isInteger(digits) && digits >= 0 && digits <= 20);
    const problem = valid
      ? undefined
      : {
          message: `digits="${digits}" is not a number of decimals.`,
          hint: 'Use a whole number from 0 to 20, such as digits="1".',
        };
    return this.reporter.check('digits', problem) ? (digits ?? undefined) : undefined;
  }

  /** `min` and `max` when they are numbers with min below max; anything else is reported and the axis follows the data. */
  private validRange(): [number | undefined, number | undefined] {
    const given = (n: unknown) => n !== undefined && n !== null;
    const { min, max } = this;
    let problem;
    for (const [name, n] of [
      ['min', min],
      ['max', max],
    ] as const) {
      if (given(n) && !(typeof n === 'number' && Number.isFinite(n))) {
        problem = {
          message: `${name}="${n}" is not a number.`,
          hint: `Write ${name} as a plain number, such as ${name}="0", or leave it out for an axis that follows the data.`,
        };
      }
    }
    if (!problem && given(min) && given(max) && (min as number) >= (max as number)) {
      problem = {
        message: `min="${min}" is not below max="${max}".`,
        hint: 'Make min smaller than max, such as min="0" max="40", or leave them out for an axis that follows the data.',
      };
    }
    return this.reporter.check('min/max', problem) ? [min ?? undefined, max ?? undefined] : [undefined, undefined];
  }
}

/** A value as the number to draw: numbers, numeric strings, and booleans as 1/0. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  return undefined;
}

function clip(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : valueText(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

declare global {
  interface HTMLElementTagNameMap {
    'mqtt-chart': MqttChart;
  }
}
