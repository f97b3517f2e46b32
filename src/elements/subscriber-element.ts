import { LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ErrorReporter } from '../controllers/error-reporter.js';
import { numbersFromStrings } from '../controllers/numbers.js';
import { SubscriptionController, type SubscriptionRequest } from '../controllers/subscription-controller.js';
import { MqttMessageEvent } from '../events.js';
import type { PayloadType } from '../session/codec.js';
import type { MqttMessage, QoS } from '../session/message.js';

/**
 * What every subscribing element shares: the topic vocabulary (`topic`, `qos`, `type`, `path`,
 * `connection`), the last `value` and `message`, and one `mqtt-message` event per message. Not an
 * element of its own: `<mqtt-subscribe>` and `<mqtt-value>` extend it.
 */
export abstract class MqttSubscriberElement extends LitElement {
  /** Topic filter; `+` and `#` wildcards, and named wildcards (`+room`, `#rest`) whose matches appear in `message.params`. */
  @property() topic?: string;

  /** Highest QoS to receive at: 0, 1 or 2. */
  @property({ type: Number }) qos: QoS = 0;

  /** How payloads are decoded: `auto`, `text`, `json`, `number`, `boolean` or `bytes`. */
  @property() type: PayloadType = 'auto';

  /** A field to extract from a JSON payload (`a.b[0].c`); implies JSON. */
  @property() path?: string;

  /** The id of the `<mqtt-connection>` to use instead of the nearest ancestor. */
  @property() connection?: string;

  /** The last decoded value. @readonly */
  value: unknown;

  /** The last message. @readonly */
  message: MqttMessage | undefined;

  protected readonly reporter = new ErrorReporter(this);

  private frame = 0;

  /**
   * The last problem (invalid topic, payload that cannot be decoded, refused subscription) as a
   * sentence with its hint; reflected as the `error` attribute, cleared by the next good message.
   */
  get error(): string | undefined {
    return this.reporter.error;
  }

  constructor() {
    super();
    new SubscriptionController(this, {
      reporter: this.reporter,
      request: () => this.subscription(),
      onMessage: (message) => {
        // A remembered message (`persist`) is shown as stale until a live one comes.
        if (message.remembered) this.setAttribute('stale', '');
        else if (this.message?.remembered) this.removeAttribute('stale');
        this.message = message;
        // A payload that could not be decoded was reported; the last good value stays.
        if (message.value !== undefined) {
          this.value = message.value;
          this.reporter.clear();
        }
        this.dispatchEvent(new MqttMessageEvent(message));
        this.received(message);
      },
      onChange: () => this.forget(),
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    numbersFromStrings(this, ['qos'], changed);
  }

  /**
   * Calls {@link onFrame} at the next animation frame: once, however many times this is called
   * before then. This is how every subscriber renders at most once per frame, whatever the message
   * rate. (A frame due when the element leaves the page still runs; what it does checks for that.)
   */
  protected scheduleFrame(): void {
    if (this.frame || !this.isConnected) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.onFrame();
    });
  }

  /** What a frame asked for with {@link scheduleFrame} does: an update, unless overridden. */
  protected onFrame(): void {
    this.requestUpdate();
  }

  /** The subscription changed (a new topic): what came from the old one is dropped. */
  protected forget(): void {
    if (this.message?.remembered) this.removeAttribute('stale');
    this.value = undefined;
    this.message = undefined;
    this.requestUpdate();
  }

  /** What to subscribe to now; read on every update. */
  protected subscription(): SubscriptionRequest | undefined {
    return { filter: this.topic, qos: this.qos, type: this.type, path: this.path, remember: this.rememberCount() };
  }

  /** How many of each topic's last messages a `persist` connection remembers for this element: the last one, unless overridden. */
  protected rememberCount(): number {
    return 1;
  }

  /** Called after `value`, `message` and the `mqtt-message` event, once for every message. */
  protected abstract received(message: MqttMessage): void;
}
