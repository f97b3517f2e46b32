import { css, html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { levelOf, ReadingController, type ValueLevel } from '../controllers/reading-controller.js';
import { Throttle } from '../lib/throttle.js';
import { valueText } from '../session/codec.js';
import type { MqttMessage } from '../session/message.js';
import { MqttSubscriberElement } from './subscriber-element.js';

/** Seconds between announcements when `announce` gives none. */
const DEFAULT_ANNOUNCE_SECONDS = 5;
/**
 * ms after which a spoken text leaves the live region (as React Aria's announcer does), so that a
 * screen reader reading the page does not find the value twice once it is quiet.
 */
const ANNOUNCEMENT_KEPT = 7000;

/** `announce` as an attribute: absent → off; empty or `true` → on; `false` → off; else seconds. */
const announceConverter = {
  fromAttribute(value: string | null): boolean | number {
    if (value === null || value.trim().toLowerCase() === 'false') return false;
    const text = value.trim();
    return text === '' || text.toLowerCase() === 'true' ? true : Number(text);
  },
};

/**
 * Shows the latest value of a topic as text: formatted for the page's locale, with fixed digits, a
 * unit, labels from a map, a `level` against thresholds and a `stale` flag. Rendering is coalesced to
 * at most once per animation frame, always ending on the latest value. The value is always set as
 * text, never as HTML.
 *
 * The value is not a live region: a screen reader reads it where it stands. With `announce`, changes
 * are also spoken, politely (`aria-live="polite"`), at most once every `announce` seconds (default 5):
 * the latest value wins, and a text that did not change is not announced again. A spoken text leaves
 * the (visually hidden) live region after 7 s, so that a quiet value is not read twice.
 *
 * @tag mqtt-value
 * @summary The live value of a topic, as text.
 *
 * @csspart value - The formatted value.
 * @csspart unit - The unit after the value.
 *
 * @event {MqttMessageEvent} mqtt-message - A message arrived. `detail` is the `MqttMessage`.
 * @event {MqttErrorEvent} mqtt-error - An invalid filter or attribute, or a payload that cannot be decoded as asked. `detail: { error, code?, hint }`.
 */
export class MqttValue extends MqttSubscriberElement {
  static override styles = css`
    :host {
      display: inline;
    }
    [part='unit'] {
      margin-inline-start: 0.2em;
    }
    .announcer {
      position: absolute;
      width: 1px;
      height: 1px;
      margin: -1px;
      padding: 0;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
      border: 0;
    }
  `;

  /** Text shown before the first message. */
  @property() placeholder = '–';

  /** Fixed number of fraction digits for numbers. */
  @property({ type: Number }) digits?: number;

  /** Shown after the value, in `part="unit"`. */
  @property() unit?: string;

  /** Locale for number formatting. Default: the page's `lang`, else the browser's. */
  @property() locale?: string;

  /** JSON object from value to label, such as `{"1":"On","0":"Off"}`. */
  @property() map?: string;

  /**
   * For code: a function applied to each value before it is shown (then `map`, `digits` and `unit`
   * apply), such as `(celsius) => (celsius * 9) / 5 + 32`. One that throws shows the value as it came.
   */
  @property({ attribute: false }) transform?: (value: unknown) => unknown;

  /** Below this number, `level` is `low`. */
  @property({ type: Number }) low?: number;

  /** Above this number, `level` is `high`. */
  @property({ type: Number }) high?: number;

  /** Seconds without a message after which the `stale` attribute is set (cleared by the next message). */
  @property({ attribute: 'stale-after', type: Number }) staleAfter?: number;

  /**
   * Speak changes to screen readers through a polite live region, at most once every so many seconds
   * (the latest value wins; an unchanged text is not repeated). `announce` alone: every 5 s;
   * `announce="10"`: every 10 s.
   */
  @property({ converter: announceConverter }) announce: boolean | number = false;

  private labels: Record<string, unknown> | undefined;
  private readonly reading = new ReadingController(this, this.reporter);
  /** ms between announcements; 0: not announcing. */
  private announceEvery = 0;
  /** The live region, once rendered. */
  private announcer: HTMLElement | null = null;
  private announced = '';
  private readonly announcements = new Throttle<string>((text) => this.speak(text));
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;

  /** `low`, `high` or `normal` against the thresholds; reflected as the `level` attribute (absent without a number). */
  get level(): ValueLevel | undefined {
    return levelOf(this.value, this.low, this.high);
  }

  /** Whether no message came for `stale-after` seconds, or the value is one a `persist` connection remembered (until a live one comes); reflected as `stale`. */
  get stale(): boolean {
    return this.hasAttribute('stale');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.announcements.cancel();
    clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // Frameworks set announce="false" or "10" as strings: read them as the attribute would be.
    if (typeof this.announce === 'string') this.announce = announceConverter.fromAttribute(this.announce);
    this.reading.read(changed);
    if (changed.has('announce')) this.announcements.interval = this.announceEvery = this.checkAnnounce();
    if (changed.has('map')) this.labels = this.parseMap();
    this.reading.reflectLevel(this.level);
  }

  protected override render() {
    const text = this.message === undefined || this.value === undefined ? this.placeholder : this.format(this.value);
    // The live region's text is written by announceLater, never by this template.
    return html`<span part="value">${text}</span>${this.unit ? html`<span part="unit">${this.unit}</span>` : nothing}${
        this.announceEvery ? html`<span class="announcer" aria-live="polite" aria-atomic="true"></span>` : nothing
      }`;
  }

  protected override updated(): void {
    const region = this.announceEvery ? this.renderRoot.querySelector<HTMLElement>('.announcer') : null;
    if (region !== this.announcer) {
      // A new (empty) region: nothing said in it yet.
      this.announcer = region;
      this.announced = '';
      this.announcements.forget();
    }
    if (!region || this.message === undefined || this.value === undefined) return;
    this.announceLater(this.unit ? `${this.format(this.value)} ${this.unit}` : this.format(this.value));
  }

  /** Puts `text` in the live region now if the last announcement is old enough, else when it is. */
  private announceLater(text: string): void {
    // Back to what was said last (even if the region was emptied since): nothing new to say.
    if (text === this.announced) this.announcements.cancel();
    else this.announcements.push(text);
  }

  private speak(text: string): void {
    const region = this.announcer;
    if (text === this.announced || !region) return;
    region.textContent = text;
    this.announced = text;
    // Emptying a polite region is not spoken (aria-relevant defaults to additions and text).
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => (region.textContent = ''), ANNOUNCEMENT_KEPT);
  }

  /** ms between announcements: `announce` seconds when valid, else the default; 0 when off. */
  private checkAnnounce(): number {
    const announce: unknown = this.announce;
    if (announce === false || announce === undefined || announce === null) {
      this.reporter.settle('announce');
      return 0;
    }
    const valid = announce === true || (typeof announce === 'number' && Number.isFinite(announce) && announce > 0);
    const problem = valid
      ? undefined
      : {
          message: `announce="${this.getAttribute('announce') ?? String(announce)}" is not a number of seconds.`,
          hint: `Write announce alone (every ${DEFAULT_ANNOUNCE_SECONDS} s) or a positive number of seconds between announcements, such as announce="10"; ${DEFAULT_ANNOUNCE_SECONDS} s is used meanwhile.`,
        };
    const seconds =
      this.reporter.check('announce', problem) && typeof announce === 'number' ? announce : DEFAULT_ANNOUNCE_SECONDS;
    return seconds * 1000;
  }

  protected override received(message: MqttMessage): void {
    this.reading.received(message);
    this.scheduleFrame();
  }

  private parseMap(): Record<string, unknown> | undefined {
    let parsed: unknown;
    try {
      parsed = this.map ? JSON.parse(this.map) : undefined;
    } catch {
      parsed = null;
    }
    const valid = !this.map || (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed));
    const problem = valid
      ? undefined
      : {
          message: `map="${this.map}" is not a JSON object.`,
          hint: 'Write map as a JSON object with double quotes, such as map=\'{"1":"On","0":"Off"}\'.',
        };
    return this.reporter.check('map', problem) ? (parsed as Record<string, unknown> | undefined) : undefined;
  }

  private format(given: unknown): string {
    let value = given;
    try {
      if (this.transform) value = this.transform(given);
    } catch (error) {
      this.reporter.report(error, 'transform');
    }
    const labels = this.labels;
    const key = String(value);
    if (labels && Object.hasOwn(labels, key)) return String(labels[key]);
    if (typeof value === 'number') return this.reading.format(value);
    return valueText(value);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mqtt-value': MqttValue;
  }
}
