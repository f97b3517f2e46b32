import { css, html, LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { PayloadType } from '../session/codec.js';
import { ErrorReporter } from '../controllers/error-reporter.js';
import { numbersFromStrings } from '../controllers/numbers.js';
import { SessionController } from '../controllers/session-controller.js';
import { checkQos, checkType } from '../controllers/subscription-controller.js';
import { controlValue, defaultEventFor, findControl, firstControl } from '../dom/controls.js';
import { MqttPublishEvent, type MqttPublishDetail } from '../events.js';
import { encodePayload, PayloadError } from '../session/codec.js';
import { MqttDiagnosticError } from '../session/diagnostics.js';
import type { PublishOptions, QoS } from '../session/message.js';
import { validateTopic } from '../session/topic.js';

/** For publishes nobody awaits: their errors were reported with `mqtt-error` already. */
const reported = () => {};

/** Events listened for whatever `event` says: each control's default trigger. */
const DEFAULT_EVENTS = ['click', 'change', 'submit'];

/**
 * Publishes when the control inside it fires its trigger (a button's `click`, an input's, select's or
 * textarea's `change`, a form's `submit`), or when `publish()` is called. While the connection is not
 * `connected`, it carries the `offline` attribute and queues what it publishes.
 *
 * @tag mqtt-publish
 * @summary Publishes what its control says.
 *
 * @slot - The control: a button, input, select, textarea, form or custom form control.
 *
 * @event {MqttPublishEvent} mqtt-publish - The client accepted a message. `detail: { topic, payload, qos, retain }`.
 * @event {MqttErrorEvent} mqtt-error - A bad topic or value, or a publish that failed. `detail: { error, code?, hint }`.
 */
export class MqttPublish extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** The topic to publish to (no wildcards). */
  @property() topic?: string;

  /** QoS to publish at: 0, 1 or 2. */
  @property({ type: Number }) qos: QoS = 0;

  /** How the value is encoded: `auto`, `text`, `json`, `number`, `boolean` or `bytes`. */
  @property() type: PayloadType = 'auto';

  /** The id of the `<mqtt-connection>` to use instead of the nearest ancestor. */
  @property() connection?: string;

  /** Publish as a retained message. */
  @property({ type: Boolean }) retain = false;

  /** A fixed payload, or a template in which `{value}` is replaced by the control's value (JSON-encoded where `type="json"`). */
  @property() payload?: string;

  /** The DOM event of a child that triggers a publish. Default: `submit` for a form, `change` for inputs, selects, textareas and custom form controls, `click` for anything else. */
  @property() event?: string;

  /** ms: at most one publish per interval while the event repeats; the last value is always published. */
  @property({ type: Number }) throttle = 0;

  /** What a checkbox or switch publishes when on. */
  @property({ attribute: 'payload-on' }) payloadOn = 'true';

  /** What a checkbox or switch publishes when off. */
  @property({ attribute: 'payload-off' }) payloadOff = 'false';

  /**
   * MQTT 5 publish properties sent with every message, e.g.
   * `{ userProperties: { room: 'kitchen' }, contentType: 'application/json' }`. Ignored by MQTT 3.1.1
   * connections.
   */
  @property({ attribute: false }) properties?: PublishOptions['properties'];

  /** The last message the client accepted from this element. @readonly */
  lastPublished: MqttPublishDetail | undefined;

  /**
   * The last problem (bad topic or value, failed publish) as a sentence with its hint; reflected as
   * the `error` attribute, cleared by the next accepted publish.
   */
  get error(): string | undefined {
    return this.reporter.error;
  }

  private readonly reporter = new ErrorReporter(this);
  private readonly sessions = new SessionController(this, (status) => this.toggleAttribute('offline', status !== 'connected'));
  private listenedEvent: string | undefined;
  private lastSentAt = -Infinity;
  private throttleTimer: ReturnType<typeof setTimeout> | undefined;
  private throttled: { value: unknown } | undefined;

  constructor() {
    super();
    for (const type of DEFAULT_EVENTS) this.addEventListener(type, this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.toggleAttribute('offline', this.sessions.status !== 'connected');
  }

  override disconnectedCallback(): void {
    // Send the last throttled value while the session is still known.
    this.flushThrottled();
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    numbersFromStrings(this, ['qos', 'throttle'], changed);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('event')) {
      if (this.listenedEvent) this.removeEventListener(this.listenedEvent, this);
      this.listenedEvent = this.event && !DEFAULT_EVENTS.includes(this.event) ? this.event : undefined;
      if (this.listenedEvent) this.addEventListener(this.listenedEvent, this);
    }
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  /** @internal Handles the trigger events of the controls inside. */
  handleEvent(event: Event): void {
    const control = findControl(this, event.target, !this.event);
    if (!control) return;
    if (event.type !== (this.event || defaultEventFor(control))) return;
    if (event.type === 'submit') event.preventDefault();
    const value = controlValue(control, this.payloadOn, this.payloadOff);
    if (this.throttle > 0) this.publishThrottled(value);
    else this.send(value).catch(reported);
  }

  /**
   * Publishes `value` now (encoded by `type`, inserted into a `payload` template). Without an
   * argument: the fixed `payload`, else the value of the control inside. Resolves once the client
   * accepted the message; problems are reported with `mqtt-error` and reject.
   */
  publish(value?: unknown): Promise<void> {
    if (arguments.length === 0) {
      const control = firstControl(this);
      value = control ? controlValue(control, this.payloadOn, this.payloadOff) : undefined;
    }
    return this.send(value);
  }

  private publishThrottled(value: unknown): void {
    const wait = this.lastSentAt + this.throttle - performance.now();
    if (wait <= 0 && this.throttleTimer === undefined) {
      this.send(value).catch(reported);
      return;
    }
    // The latest value waits for the end of the interval, replacing older ones.
    this.throttled = { value };
    this.throttleTimer ??= setTimeout(() => this.flushThrottled(), Math.max(wait, 0));
  }

  private flushThrottled(): void {
    clearTimeout(this.throttleTimer);
    this.throttleTimer = undefined;
    const pending = this.throttled;
    this.throttled = undefined;
    if (pending) this.send(pending.value).catch(reported);
  }

  private async send(value: unknown): Promise<void> {
    this.lastSentAt = performance.now();
    const topic = this.topic ?? '';
    try {
      validateTopic(topic);
    } catch (error) {
      this.reporter.report(error, 'topic');
      throw error;
    }
    this.reporter.settle('topic');
    try {
      const session = this.sessions.session;
      if (!session) {
        throw new MqttDiagnosticError({
          message: `Nothing was published to "${topic}": no connection.`,
          hint: 'Put <mqtt-publish> inside an <mqtt-connection>, or name one with connection="its-id".',
        });
      }
      const payload = this.encode(value);
      const qos = checkQos(this.qos, this.reporter);
      const { retain, properties } = this;
      await session.publish(topic, payload, { qos, retain, properties });
      this.reporter.clear();
      this.lastPublished = properties ? { topic, payload, qos, retain, properties } : { topic, payload, qos, retain };
      this.dispatchEvent(new MqttPublishEvent(this.lastPublished));
    } catch (error) {
      this.reporter.report(error);
      throw error;
    }
  }

  /** The payload for `value`: the template or fixed `payload`, else `value` encoded by `type`. */
  private encode(value: unknown): string | Uint8Array {
    const type = checkType(this.type, this.reporter);
    const template = this.payload;
    if (template === undefined || template === null) return encodePayload(value, type);
    if (!template.includes('{value}')) return value === undefined ? encodePayload(template, type === 'json' ? 'text' : type) : encodePayload(value, type);
    const inserted = type === 'json' ? JSON.stringify(value ?? null) : value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    const text = template.split('{value}').join(inserted);
    if (type === 'json') {
      try {
        JSON.parse(text);
      } catch {
        throw new PayloadError(`The payload template gives invalid JSON: ${text}`, 'Check the quotes in the payload attribute: {value} is inserted already JSON-encoded, so write {"level": {value}}, not {"level": "{value}"}.');
      }
    }
    return text;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mqtt-publish': MqttPublish;
  }
}
