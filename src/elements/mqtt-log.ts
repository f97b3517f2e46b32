import { css, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { numbersFromStrings } from '../controllers/numbers.js';
import { checkLocale, checkNumber, wholeNumber } from '../controllers/settings.js';
import { elementLocale } from '../dom/lang.js';
import { timeFormat } from '../lib/intl.js';
import { valueText } from '../session/codec.js';
import type { MqttMessage } from '../session/message.js';
import { MqttSubscriberElement } from './subscriber-element.js';

/** How many characters of a payload a line shows. */
const MAX_TEXT = 200;
const DEFAULT_LIMIT = 50;

interface LogLine {
  readonly receivedAt: number;
  /** The arrival time as text, written when the line is first rendered. */
  time?: string;
  readonly topic: string;
  readonly text: string;
}

/**
 * A running log of the messages on a topic filter, newest first: time, topic and payload as text,
 * for dashboards and debugging without script. Keeps the last `limit` lines; renders at most once per
 * animation frame however fast messages arrive. Payloads are always shown as text, never as HTML. Not
 * a live region: a screen reader reads it when asked, not at message rate. It scrolls (give it a
 * height) and can be focused to scroll with the keyboard (`tabindex="0"` unless the page sets one).
 *
 * @tag mqtt-log
 * @summary The latest messages of a topic filter, as a list.
 *
 * @csspart list - The list (`<ol>`).
 * @csspart line - One message.
 * @csspart time - Its arrival time.
 * @csspart topic - Its topic.
 * @csspart payload - Its payload as text (cut after 200 characters).
 *
 * @event {MqttMessageEvent} mqtt-message - A message arrived. `detail` is the `MqttMessage`.
 * @event {MqttErrorEvent} mqtt-error - An invalid filter or attribute, or a payload that cannot be decoded as asked. `detail: { error, code?, hint }`.
 */
export class MqttLog extends MqttSubscriberElement {
  static override styles = css`
    :host {
      display: block;
      overflow: auto;
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      font-size: 0.85em;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li {
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    [part='time'],
    [part='topic'] {
      margin-inline-end: 0.5em;
    }
  `;

  /** How many lines are kept; older ones are dropped. Default 50. */
  @property({ type: Number }) limit = DEFAULT_LIMIT;

  /** Locale for the times. Default: the page's `lang`, else the browser's. */
  @property() locale?: string;

  /** Hide the topic on each line (for a filter without wildcards, where it is always the same). */
  @property({ attribute: 'hide-topic', type: Boolean }) hideTopic = false;

  /** The lines shown, newest first. */
  private lines: LogLine[] = [];
  /** `limit` if valid. */
  private kept = DEFAULT_LIMIT;
  /** `locale` if valid. */
  private localeShown: string | undefined;

  /** The number of lines kept now. */
  get size(): number {
    return this.lines.length;
  }

  /** Empties the log. */
  clear(): void {
    this.lines = [];
    this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The log scrolls: keyboard users must be able to reach it to scroll it.
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    numbersFromStrings(this, ['limit'], changed);
    if (changed.has('locale')) {
      this.localeShown = checkLocale(this.reporter, this.locale);
      for (const line of this.lines) line.time = undefined;
    }
    if (changed.has('limit')) {
      this.kept = this.validLimit();
      this.lines = this.lines.slice(0, this.kept);
    }
  }

  protected override render() {
    const format = timeFormat(elementLocale(this, this.localeShown), 'medium');
    for (const line of this.lines) line.time ??= format.format(line.receivedAt);
    return html`<ol part="list">
      ${this.lines.map(
        (line) =>
          html`<li part="line">
            <span part="time">${line.time}</span
            >${this.hideTopic ? '' : html`<span part="topic">${line.topic}</span>`}<span part="payload"
              >${line.text}</span
            >
          </li>`
      )}
    </ol>`;
  }

  /** A log shows what arrives: nothing remembered from an earlier page load. */
  protected override rememberCount(): number {
    return 0;
  }

  protected override received(message: MqttMessage): void {
    const text =
      message.value === undefined
        ? `(${message.payload.length} bytes that could not be decoded)`
        : valueText(message.value);
    const line: LogLine = {
      receivedAt: message.receivedAt,
      topic: message.topic,
      text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text,
    };
    this.lines.unshift(line);
    if (this.lines.length > this.kept) this.lines.length = this.kept;
    this.scheduleFrame();
  }

  /** `limit` when it is a whole number of at least 1; anything else is reported and 50 is used. */
  private validLimit(): number {
    return checkNumber(this.reporter, 'limit', this.limit, DEFAULT_LIMIT, {
      valid: wholeNumber(1, Number.MAX_SAFE_INTEGER),
      what: 'a number of lines',
      allowed: 'a whole number of at least 1, such as limit="20"',
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mqtt-log': MqttLog;
  }
}
