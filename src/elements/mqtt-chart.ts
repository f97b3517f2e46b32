import { html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import uPlot from 'uplot';
import { chartOptions, seriesColours, seriesOptions, timeSpan, valueWithUnit } from '../chart/options.js';
import type { SeriesLook, ValueFormat } from '../chart/options.js';
import { ChartPlot } from '../chart/plot.js';
import { SeriesSet, type ChartSeries } from '../chart/series.js';

export type { ChartSeries } from '../chart/series.js';
import { MAX_POINTS_RULE, validRange, WINDOW_RULE } from '../chart/settings.js';
import { chartSummary, notANumber, toNumber, tooManySeries } from '../chart/values.js';
import { ChartZoom } from '../chart/zoom.js';
import { numbersFromStrings } from '../controllers/numbers.js';
import { SessionController } from '../controllers/session-controller.js';
import { checkDigits, checkLocale, checkNumber } from '../controllers/settings.js';
import { elementLocale } from '../dom/lang.js';
import { numberFormat, timeFormat } from '../lib/intl.js';
import { Throttle } from '../lib/throttle.js';
import { MqttDiagnosticError } from '../session/diagnostics.js';
import type { MqttMessage } from '../session/message.js';
import styles from './mqtt-chart.styles.js';
import { MqttSubscriberElement } from './subscriber-element.js';

const DEFAULT_WINDOW = 300;
const DEFAULT_MAX_POINTS = 1000;
/** A `#` filter can match any number of topics: beyond this many series, further topics are not drawn. */
const MAX_SERIES = 20;
/** The aria-label is rewritten at most this often, so that screen readers are not flooded. */
const LABEL_EVERY_MS = 1000;

/**
 * A time series of a topic's numeric values, drawn with uPlot. A filter with wildcards draws one
 * series per matching topic, shown in a legend by its named-wildcard values
 * (`home/+room/temperature` gives `kitchen`, `bedroom`, ...) or else by the topic, each with its
 * latest value as `digits`, `unit` and the locale write it (`kitchen 21.5 °C`; while the pointer is
 * over the plot, the value there); a filter without wildcards has no legend. The time axis spans
 * `window` seconds; a new chart's axis (with no points yet, or only recent ones) spans the last
 * 20 s, then grows from its first point until it spans `window`. Tick labels never repeat: ticks
 * are at least as far apart as the labels can write (`digits` on the value axis; a second, or a
 * minute once ticks are a minute apart or more, on the time axis). When the connection is lost,
 * every line breaks there, so that no line is drawn across an outage; a point that no line reaches
 * (a series' only point, such as a retained value just arrived) is drawn as a dot. Each series
 * keeps at most `max-points` points in a ring buffer and none older than `window` seconds, so
 * memory stays bounded however long it runs; however fast messages arrive, the chart redraws at
 * most once per animation frame. It fills its own box (default height 240px: size it with CSS) and
 * follows its container's size. Payloads that are not numbers are reported and skipped;
 * `true`/`false` are drawn as 1/0. Labels are set as text, never as HTML.
 *
 * Zoom: a drag across the plot zooms the time axis to the span dragged over, which it then shows
 * exactly, no longer sliding with the clock (points keep arriving; those in view are drawn and kept);
 * a double-click goes back to live. Keys, on the focused `chart` part: `+` or `=` halves the span
 * around its middle (zooming in from live), `-` doubles it (live again once it would span the
 * window), `ArrowLeft`/`ArrowRight` move it by a quarter, `Escape`, `0` or `Home` go back to live.
 *
 * It has an entry of its own, so that pages without charts do not load uPlot: `mqtt-elements/chart`
 * from npm (which defines the other elements too), or `dist/mqtt-elements-chart.min.js` next to the
 * CDN bundle.
 *
 * @tag mqtt-chart
 * @summary A live time series of a topic's values (one line per matching topic).
 *
 * @csspart chart - The chart (`role="img"`, focusable for the zoom keys, with an `aria-label` that sums up the series and their latest values, and the zoom).
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

  /** Shown after the values: on the y axis, after each series' latest value in the legend, and in the accessible label (`°C`). */
  @property() unit?: string;

  /** Fixed number of fraction digits for values on the y axis, in the legend and in the accessible label; the axis's ticks are never closer than these digits write (`digits="1"`: 0.1 apart at least). Default: up to 6, as needed. */
  @property({ type: Number }) digits?: number;

  /** Locale for numbers and times. Default: the page's `lang` (nearest, through shadow roots), else the browser's. */
  @property() locale?: string;

  private readonly data = new SeriesSet(DEFAULT_MAX_POINTS, MAX_SERIES);
  private readonly chart = new ChartPlot(
    () => this.box(),
    () => this.scheduleFrame()
  );
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** Rewrites the aria-label: at once, then at most once per LABEL_EVERY_MS (the latest summary). */
  private readonly labeller = new Throttle<void>(
    () => this.box()?.setAttribute('aria-label', this.summary()),
    LABEL_EVERY_MS
  );
  /** The plot must be made again (its options changed). */
  private rebuild = true;
  /** Valid settings in use. */
  private windowMs = DEFAULT_WINDOW * 1000;
  private digitsShown: number | undefined;
  private localeShown: string | undefined;
  /**
   * The locale in use (SPEC "Locale": `locale` if valid, else the nearest `lang`, else the browser's),
   * looked up once per render and per draw, not for every number and tick label written.
   */
  private localeNow: string | undefined;
  private range: [number | undefined, number | undefined] = [undefined, undefined];
  /** The most points kept per series (valid `max-points`): as many are remembered with `persist`. */
  private capacity = DEFAULT_MAX_POINTS;
  /** Whether the last point came from a `persist` connection's memory (the lines break before the next live one). */
  private fromMemory = false;
  /** The time axis's span: the zoom's view, or live. A change draws again (which rewrites the label too). */
  private readonly zoom = new ChartZoom(this, () => this.scheduleFrame());

  constructor() {
    super();
    // When the connection is lost, every line breaks there: no line is drawn across an outage. (Not
    // when the element leaves the page: moved elsewhere, it keeps drawing its lines on.)
    new SessionController(this, (status) => {
      if (status !== 'connected' && this.isConnected && this.data.breakAt(Date.now())) this.scheduleFrame();
    });
  }

  /** The uPlot instance while the element is in a document, for code that needs it (hooks, cursor sync). @readonly */
  // Typed through import() so that the declaration file needs no default import of uPlot's
  // `export =` types (which projects without esModuleInterop could not read).
  get plot(): import('uplot') | undefined {
    return this.chart.plot;
  }

  /** The series drawn, in the order their topics first sent a number: topic, label, points kept and latest value. @readonly */
  get series(): ChartSeries[] {
    return this.data.list.map(({ topic, label, ring }) => ({ topic, label, points: ring.length, latest: ring.last() }));
  }

  /** Whether the time axis is zoomed (by a drag, the keys or `zoomTo`), not live; reflected as the `zoomed` attribute. */
  get zoomed(): boolean {
    return this.zoom.view !== undefined;
  }

  /** Zooms the time axis to `from` ... `to` (ms since the epoch), as a drag does; ignored unless `from < to`. */
  zoomTo(from: number, to: number): void {
    this.zoom.set([from, to]);
  }

  /** Back to live, as a double-click does: the time axis slides with the clock again. */
  resetZoom(): void {
    this.zoom.set(undefined);
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
    this.labeller.cancel();
    this.chart.destroy();
    this.rebuild = true;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    numbersFromStrings(this, ['window', 'maxPoints', 'min', 'max', 'digits'], changed);
    if (changed.has('topic') || changed.has('path') || changed.has('type')) this.data.clear();
    if (changed.has('window'))
      this.windowMs = checkNumber(this.reporter, 'window', this.window, DEFAULT_WINDOW, WINDOW_RULE) * 1000;
    if (changed.has('maxPoints')) {
      this.capacity = checkNumber(this.reporter, 'max-points', this.maxPoints, DEFAULT_MAX_POINTS, MAX_POINTS_RULE);
      this.data.setCapacity(this.capacity);
    }
    if (changed.has('digits')) this.digitsShown = checkDigits(this.reporter, this.digits);
    if (changed.has('locale')) this.localeShown = checkLocale(this.reporter, this.locale);
    if (changed.has('min') || changed.has('max')) this.range = validRange(this.reporter, this.min, this.max);
    const redrawn = ['window', 'min', 'max', 'digits', 'unit', 'locale', 'topic', 'path', 'type'] as const;
    if (redrawn.some((name) => changed.has(name))) this.rebuild = true;
  }

  protected override render() {
    this.localeNow = elementLocale(this, this.localeShown);
    const { key } = this.zoom;
    return html`<div part="chart" role="img" tabindex="0" aria-label=${this.summary()} @keydown=${key}></div>`;
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
      this.reporter.report(new MqttDiagnosticError(notANumber(message.topic, value)));
      return;
    }
    const label = Object.values(message.params).join('/') || message.topic;
    // History from an earlier page load (`persist`) is drawn, and no line joins it to the live points.
    if (this.fromMemory && !message.remembered) this.data.breakAt(message.receivedAt - 1);
    this.fromMemory = message.remembered === true;
    const evictions = this.data.evictions;
    const added = this.data.add(message.topic, label, message.receivedAt, number);
    // A silent series made room for this topic: the plot's series are no longer the list's.
    if (this.data.evictions !== evictions) this.rebuild = true;
    if (!added) {
      this.reporter.report(new MqttDiagnosticError(tooManySeries(this.topic, MAX_SERIES)));
      return;
    }
    this.scheduleFrame();
  }

  /** A chart remembers (with `persist`) as many points of each topic as it keeps, up to 1000. */
  protected override rememberCount(): number {
    return Math.min(this.capacity, 1000);
  }

  /** Draws: at most once per animation frame, however many messages arrive (see scheduleFrame). */
  protected override onFrame(): void {
    this.draw();
  }

  private draw(): void {
    if (!this.isConnected || !this.hasUpdated) return;
    this.localeNow = elementLocale(this, this.localeShown);
    const now = Date.now();
    // While zoomed, the points in view stay (within max-points) even once older than the window.
    this.data.dropBefore(Math.min(now - this.windowMs, this.zoom.view?.[0] ?? now));
    const columns = this.data.aligned() as uPlot.AlignedData;
    const oldest = columns[0]?.[0];
    this.zoom.live = timeSpan(now, this.windowMs, oldest === undefined ? undefined : oldest * 1000);
    const labels = this.data.list.map((series) => series.label);
    const series = (label: string, i: number) => seriesOptions(label, i, this.look());
    this.chart.draw(columns, labels, this.rebuild, () => this.options(), series);
    this.rebuild = false;
    // While there are points, the window slides with the clock even when no message comes.
    const hasPoints = this.data.hasPoints;
    if (hasPoints && this.ticker === undefined) {
      this.ticker = setInterval(() => this.scheduleFrame(), Math.min(1000, Math.max(100, this.windowMs / 300)));
    } else if (!hasPoints && this.ticker !== undefined) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
    this.labeller.push();
  }

  private box(): HTMLElement {
    return this.renderRoot.querySelector<HTMLElement>('[part=chart]')!;
  }

  /** The options of a new plot: the element's CSS and settings, read now, through the adapter. */
  private options(): uPlot.Options {
    const style = getComputedStyle(this);
    const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    const box = this.box();
    return chartOptions({
      ...this.look(style),
      text: read('--mqtt-chart-text', style.color),
      grid: read('--mqtt-chart-grid', 'rgba(128, 128, 128, 0.25)'),
      font: read('--mqtt-chart-font', `12px ${style.fontFamily}`),
      width: Math.max(0, box.clientWidth),
      height: Math.max(40, box.clientHeight - 30),
      digits: this.digitsShown,
      range: this.range,
      topic: this.topic,
      labels: this.data.list.map((series) => series.label),
      formatTime: (ms, seconds) => timeFormat(this.localeNow, seconds ? 'seconds' : 'minutes').format(ms),
      xRange: () => this.zoom.seconds(),
      rangeNum: uPlot.rangeNum,
      zoom: (view) => this.zoom.set(view),
    });
  }

  /** How series are drawn: the colours from `--mqtt-chart-color-1` ... `-8` (else the palette), and {@link valueFormat}. */
  private look(style = getComputedStyle(this)): SeriesLook {
    return { ...this.valueFormat(), colours: seriesColours((name) => style.getPropertyValue(name).trim()) };
  }

  /** How values are written: in the locale in use, with `digits`, and the unit. */
  private valueFormat(): ValueFormat {
    return {
      formatNumber: (value) => numberFormat(this.localeNow, this.digitsShown).format(value),
      unit: this.unit,
    };
  }

  /** What the `chart` part says to assistive technology: the filter, the series and their latest values, the zoom. */
  private summary(): string {
    const format = this.valueFormat();
    const zoom = this.zoom.note(timeFormat(this.localeNow, 'seconds'));
    return `${chartSummary(this.topic, this.series, (value) => valueWithUnit(format, value))}; ${zoom}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mqtt-chart': MqttChart;
  }
}
