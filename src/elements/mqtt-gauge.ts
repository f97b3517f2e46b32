import { css, html, svg, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { numbersFromStrings } from '../controllers/numbers.js';
import { levelOf, ReadingController, type ValueLevel } from '../controllers/reading-controller.js';
import { checkNumber } from '../controllers/settings.js';
import { PayloadError, valueText, type PayloadType } from '../session/codec.js';
import type { MqttMessage } from '../session/message.js';
import { MqttSubscriberElement } from './subscriber-element.js';

/** How good a gauge's value is, as HTML's `<meter>` judges it against `low`, `high` and `optimum`. */
export type GaugeRating = 'optimum' | 'suboptimum' | 'even-less-good';

/** The scale as HTML's `<meter>` reads it: thresholds and optimum kept within min..max. */
interface Scale {
  min: number;
  max: number;
  low: number;
  high: number;
  optimum: number;
}

const finite = { valid: Number.isFinite, what: 'a number', allowed: 'a number such as 0 or 21.5' };
/** The dial's centre and radius, in viewBox units. */
const CX = 50;
const CY = 50;
const R = 40;
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
const round = (n: number) => Math.round(n * 100) / 100;

/**
 * A dial for one numeric value: an arc filled up to the value, a needle, and the value as text with
 * its unit. `min`, `max`, `low`, `high` and `optimum` are read as HTML's `<meter>` reads them; a
 * value outside `min`..`max` pins the needle at that end and is shown as it is. For screen readers it
 * is a `meter` (`role`, `aria-valuenow` kept within the scale, `aria-valuemin`, `aria-valuemax`,
 * `aria-valuetext` as shown, set on the element itself): give it a name with `aria-label`. Renders
 * at most once per animation frame; it takes the width of its container.
 *
 * @tag mqtt-gauge
 * @summary The live value of a topic, on a dial.
 *
 * @csspart dial - The SVG.
 * @csspart track - The arc of the whole scale.
 * @csspart bar - The arc from `min` to the value.
 * @csspart needle - The needle.
 * @csspart value - The formatted value.
 * @csspart unit - The unit after the value.
 *
 * @cssproperty --mqtt-gauge-width - Width of the gauge (its height follows). Default: `100%` of its container.
 * @cssproperty --mqtt-gauge-thickness - Thickness of the arc, in units of a 100-wide dial. Default: `8px`.
 * @cssproperty --mqtt-gauge-track - Colour of the arc of the whole scale. Default: translucent grey.
 * @cssproperty --mqtt-gauge-optimum - Colour of the bar when the value is in the optimum region. Default: green.
 * @cssproperty --mqtt-gauge-suboptimum - Colour of the bar next to the optimum region. Default: amber.
 * @cssproperty --mqtt-gauge-even-less-good - Colour of the bar in the region farthest from the optimum. Default: red.
 * @cssproperty --mqtt-gauge-needle - Colour of the needle. Default: the element's `color`.
 * @cssproperty --mqtt-gauge-text - Colour of the value and unit. Default: the element's `color`.
 *
 * @event {MqttMessageEvent} mqtt-message - A message arrived. `detail` is the `MqttMessage`.
 * @event {MqttErrorEvent} mqtt-error - An invalid filter or attribute, or a payload that is not a number. `detail: { error, code?, hint }`.
 */
export class MqttGauge extends MqttSubscriberElement {
  static override styles = css`
    :host {
      display: inline-block;
      width: var(--mqtt-gauge-width, 100%);
    }
    svg {
      display: block;
      width: 100%;
      height: auto;
      overflow: visible;
    }
    path {
      fill: none;
      stroke-width: var(--mqtt-gauge-thickness, 8px);
    }
    [part='track'] {
      stroke: var(--mqtt-gauge-track, rgb(128 128 128 / 25%));
    }
    .optimum {
      stroke: var(--mqtt-gauge-optimum, #2e7d32);
    }
    .suboptimum {
      stroke: var(--mqtt-gauge-suboptimum, #b26a00);
    }
    .even-less-good {
      stroke: var(--mqtt-gauge-even-less-good, #c62828);
    }
    [part='needle'] {
      stroke: var(--mqtt-gauge-needle, currentColor);
      fill: var(--mqtt-gauge-needle, currentColor);
      stroke-width: 2.5px;
      stroke-linecap: round;
    }
    text {
      fill: var(--mqtt-gauge-text, currentColor);
      font-size: 14px;
      text-anchor: middle;
    }
    [part='unit'] {
      font-size: 0.7em;
    }
  `;

  /** How payloads are decoded; a gauge reads numbers (with `path`, the field may also be a numeric string). */
  @property() override type: PayloadType = 'number';

  /** The lower end of the scale. */
  @property({ type: Number }) min = 0;

  /** The upper end of the scale. */
  @property({ type: Number }) max = 100;

  /** Below this number, `level` is `low` (as `<meter low>`; kept within the scale). */
  @property({ type: Number }) low?: number;

  /** Above this number, `level` is `high` (as `<meter high>`; kept within the scale, not below `low`). */
  @property({ type: Number }) high?: number;

  /** The best value (as `<meter optimum>`): which region is good, which less so; default the middle of the scale. */
  @property({ type: Number }) optimum?: number;

  /** Fixed number of fraction digits. */
  @property({ type: Number }) digits?: number;

  /** Shown after the value, in `part="unit"`, and read with it. */
  @property() unit?: string;

  /** Locale for number formatting. Default: the page's `lang`, else the browser's. */
  @property() locale?: string;

  /** Seconds without a message after which the `stale` attribute is set (cleared by the next message). */
  @property({ attribute: 'stale-after', type: Number }) staleAfter?: number;

  private readonly reading = new ReadingController(this, this.reporter);
  private scale: Scale = { min: 0, max: 100, low: 0, high: 100, optimum: 50 };
  /** The last number received. */
  private number: number | undefined;

  /** `low`, `high` or `normal` against the thresholds; reflected as the `level` attribute (absent without a number, or without `low` and `high`). */
  get level(): ValueLevel | undefined {
    if (this.low === undefined && this.high === undefined) return undefined;
    const { low, high } = this.scale;
    return levelOf(this.clamped(), low, high);
  }

  /** How good the value is against `optimum`, as `<meter>` colours it; absent without a number. @readonly */
  get rating(): GaugeRating | undefined {
    const value = this.clamped();
    if (value === undefined) return undefined;
    const { low, high, optimum } = this.scale;
    const region = levelOf(value, low, high);
    const best = levelOf(optimum, low, high);
    if (region === best) return 'optimum';
    return best === 'normal' || region === 'normal' ? 'suboptimum' : 'even-less-good';
  }

  /** Whether no message came for `stale-after` seconds, or the value is one a `persist` connection remembered (until a live one comes); reflected as `stale`. */
  get stale(): boolean {
    return this.hasAttribute('stale');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.reading.read(changed);
    numbersFromStrings(this, ['min', 'max', 'optimum'], changed);
    if (['min', 'max', 'low', 'high', 'optimum'].some((name) => changed.has(name as keyof MqttGauge))) {
      this.scale = this.checkScale();
    }
    this.reading.reflectLevel(this.level);
    const { min, max } = this.scale;
    const value = this.clamped();
    this.setAttribute('role', 'meter');
    this.setAttribute('aria-valuemin', String(min));
    this.setAttribute('aria-valuemax', String(max));
    this.setAttribute('aria-valuenow', String(value ?? min));
    this.setAttribute('aria-valuetext', this.text());
  }

  protected override render() {
    const { min, max } = this.scale;
    const value = this.clamped();
    const turn = value === undefined ? 0 : (value - min) / (max - min);
    const x = round(CX - R * Math.cos(Math.PI * turn));
    const y = round(CY - R * Math.sin(Math.PI * turn));
    const shown = this.number === undefined ? '–' : this.reading.format(this.number);
    return html`<svg part="dial" viewBox="0 0 100 75" aria-hidden="true">
      <path part="track" d="M${CX - R} ${CY}A${R} ${R} 0 0 1 ${CX + R} ${CY}"></path>
      ${
        value === undefined
          ? null
          : svg`<path part="bar" class=${this.rating ?? ''} d="M${CX - R} ${CY}A${R} ${R} 0 0 1 ${x} ${y}"></path>`
      }
      <g part="needle" transform="rotate(${round(turn * 180 - 90)} ${CX} ${CY})">
        <line x1=${CX} y1=${CY} x2=${CX} y2=${CY - R + 6}></line>
        <circle cx=${CX} cy=${CY} r="3.5"></circle>
      </g>
      <text x=${CX} y="72">
        <tspan part="value">${shown}</tspan>
        ${this.unit ? svg`<tspan part="unit" dx="2">${this.unit}</tspan>` : null}
      </text>
    </svg>`;
  }

  protected override received(message: MqttMessage): void {
    this.reading.received(message);
    const value = message.value;
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number === 'number' && Number.isFinite(number)) this.number = number;
    else if (value !== undefined) {
      this.reporter.report(
        new PayloadError(
          `"${valueText(value).slice(0, 80)}" is not a number.`,
          'A gauge shows numbers: check the path attribute against what the device publishes.'
        )
      );
    }
    this.scheduleFrame();
  }

  protected override forget(): void {
    this.number = undefined;
    super.forget();
  }

  /** The value as shown, with its unit (for `aria-valuetext`). */
  private text(): string {
    const shown = this.number === undefined ? '–' : this.reading.format(this.number);
    return this.unit && this.number !== undefined ? `${shown} ${this.unit}` : shown;
  }

  /** The last number, kept within the scale. */
  private clamped(): number | undefined {
    return this.number === undefined ? undefined : clamp(this.number, this.scale.min, this.scale.max);
  }

  /** The scale from the attributes, as `<meter>` reads them; bad numbers reported (defaults used meanwhile). */
  private checkScale(): Scale {
    const reporter = this.reporter;
    let min = checkNumber(reporter, 'min', this.min, 0, finite);
    let max = checkNumber(reporter, 'max', this.max, 100, finite);
    const ordered = min < max;
    const problem = ordered
      ? undefined
      : {
          message: `min="${min}" is not below max="${max}".`,
          hint: 'Give the gauge a scale with min below max, such as min="0" max="100"; 0 to 100 is used meanwhile.',
        };
    if (!reporter.check('scale', problem)) [min, max] = [0, 100];
    const low = clamp(checkNumber(reporter, 'low', this.low, min, finite), min, max);
    const high = clamp(checkNumber(reporter, 'high', this.high, max, finite), low, max);
    const optimum = clamp(checkNumber(reporter, 'optimum', this.optimum, (min + max) / 2, finite), min, max);
    return { min, max, low, high, optimum };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mqtt-gauge': MqttGauge;
  }
}
