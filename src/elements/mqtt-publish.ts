import { css, html, LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { CommandStateController } from '../controllers/command-state-controller.js';
import { ConfirmController } from '../controllers/confirm-controller.js';
import { ErrorReporter } from '../controllers/error-reporter.js';
import { numbersFromStrings } from '../controllers/numbers.js';
import { SessionController } from '../controllers/session-controller.js';
import { checkQos, checkType } from '../controllers/settings.js';
import { controlValue, defaultEventFor, findControl, firstControl } from '../dom/controls.js';
import { MqttPublishEvent, type MqttPublishDetail } from '../events.js';
import { Throttle } from '../lib/throttle.js';
import { encodeCommand, type PayloadType } from '../session/codec.js';
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
 * With `state-topic`, the control is a command/state control: it shows the state the device reports
 * on that topic, and a command waits for it (`:state(pending)`) or gives up after `confirm-timeout`
 * (`:state(timeout)`), putting the control back to the last confirmed state. A state that arrives
 * while the user drags, types in or has opened the control is shown when they let go, unless they
 * sent a newer command meanwhile.
 *
 * A command never runs after the page gave up on it. Made while offline, it waits (pending, and the
 * element `offline`) up to `confirm-timeout` to be sent; if the connection is not back by then it is
 * withdrawn, reported with `mqtt-error`, and never sent later. Once sent, it waits `confirm-timeout`
 * for its state; a QoS 1 or 2 command that the broker has not acknowledged by then is taken back too
 * (a reconnect does not send it again). A newer command replaces one that is still waiting to be
 * sent. A retained state (the broker's copy, sent again after a reconnect) confirms no command.
 *
 * @tag mqtt-publish
 * @summary Publishes what its control says.
 *
 * @slot - The control: a button, input, select, textarea, form or custom form control.
 *
 * @csspart dialog - The `confirm` dialog.
 * @csspart question - The question in it.
 * @csspart cancel - Its Cancel button (focused when it opens).
 * @csspart ok - Its OK button.
 *
 * @cssstate pending - A command was asked for (queued while offline, or sent) and its state (on `state-topic`) has not come yet.
 * @cssstate timeout - No state came within `confirm-timeout` after the last command; the control shows the last confirmed state again. Cleared by the next state or command.
 *
 * @event {MqttPublishEvent} mqtt-publish - The client accepted a message. `detail: { topic, payload, qos, retain }`.
 * @event {MqttErrorEvent} mqtt-error - A bad topic or value, a publish that failed, or a command withdrawn after `confirm-timeout`. `detail: { error, code?, hint }`.
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

  /** Topic (no wildcards) on which the device reports its state: the control shows it, and it confirms commands. Decoded by `type`. */
  @property({ attribute: 'state-topic' }) stateTopic?: string;

  /** A field to extract from a JSON state (`a.b[0].c`), when the device reports more than this control shows. */
  @property({ attribute: 'state-path' }) statePath?: string;

  /** ms a command waits for its state (from when it is sent) before `:state(timeout)` and the return to the last confirmed state; also how long one made while offline may wait to be sent before it is withdrawn. */
  @property({ attribute: 'confirm-timeout', type: Number }) confirmTimeout: number = 5000;

  /**
   * A question asked in a modal dialog before each command is sent (`confirm="Restart the boiler?"`),
   * with the focus on Cancel; Escape cancels. Cancel sends nothing and puts the control back: to the
   * last confirmed state with `state-topic`, else to what it showed before the user changed it.
   * `publish()` from code is not asked about.
   */
  @property() confirm?: string;

  /** The last state reported on `state-topic` (decoded by `type`, `state-path` applied); undefined before the first. @readonly */
  get state(): unknown {
    return this.command.state;
  }

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
  private readonly sessions = new SessionController(this, (status) =>
    this.toggleAttribute('offline', status !== 'connected')
  );
  private readonly command = new CommandStateController(this, {
    reporter: this.reporter,
    sessions: this.sessions,
    internals: this.attachInternals(),
  });
  private readonly confirmer = new ConfirmController(this, () => {
    if (this.command.state === undefined) return false;
    this.command.showConfirmed();
    return true;
  });
  /** Publishes a repeating event's values at most once per `throttle` ms, ending on the last. */
  private readonly throttled = new Throttle<unknown>((value) => this.send(value).catch(reported));
  private listenedEvent: string | undefined;

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
    this.throttled.flush();
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    numbersFromStrings(this, ['qos', 'throttle', 'confirmTimeout'], changed);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('event')) {
      if (this.listenedEvent) this.removeEventListener(this.listenedEvent, this);
      this.listenedEvent = this.event && !DEFAULT_EVENTS.includes(this.event) ? this.event : undefined;
      if (this.listenedEvent) this.addEventListener(this.listenedEvent, this);
    }
  }

  protected override render() {
    // A control added after the state came (a framework renders it later) shows it at once.
    return html`<slot @slotchange=${() => this.command.showConfirmed()}></slot>${this.confirmer.template()}`;
  }

  /** @internal Handles the trigger events of the controls inside. */
  handleEvent(event: Event): void {
    if (this.command.showingState) return;
    const control = findControl(this, event.target, !this.event);
    if (!control) return;
    if (event.type !== (this.event || defaultEventFor(control))) return;
    if (event.type === 'submit') event.preventDefault();
    const value = controlValue(control, this.payloadOn, this.payloadOff);
    if (this.confirm) void this.confirmer.ask().then((ok) => ok && this.requested(value));
    else this.requested(value);
  }

  /** A command the user made (and confirmed, with `confirm`): sent now, or throttled. */
  private requested(value: unknown): void {
    this.command.commandRequested();
    if (this.throttle > 0) {
      this.throttled.interval = this.throttle;
      this.throttled.push(value);
    } else {
      this.send(value).catch(reported);
    }
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

  private async send(value: unknown): Promise<void> {
    // Any publish, throttled or not, starts the throttle's interval again.
    this.throttled.ranNow();
    const topic = this.topic ?? '';
    try {
      validateTopic(topic);
    } catch (error) {
      this.reporter.report(error, 'topic');
      this.command.commandFailed();
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
      const payload = encodeCommand(value, checkType(this.reporter, this.type), this.payload);
      const qos = checkQos(this.reporter, this.qos);
      const { retain, properties } = this;
      await session.publish(topic, payload, { qos, retain, properties, ...this.command.track() });
      this.reporter.clear();
      this.lastPublished = properties ? { topic, payload, qos, retain, properties } : { topic, payload, qos, retain };
      this.dispatchEvent(new MqttPublishEvent(this.lastPublished));
    } catch (error) {
      if (this.command.replaced(error)) throw error;
      this.reporter.report(error);
      this.command.commandFailed();
      throw error;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mqtt-publish': MqttPublish;
  }
}
