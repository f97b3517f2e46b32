import { css, html, LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ErrorReporter } from '../controllers/error-reporter.js';
import { InteractionController } from '../controllers/interaction-controller.js';
import { numbersFromStrings } from '../controllers/numbers.js';
import { SessionController } from '../controllers/session-controller.js';
import { checkQos, checkType } from '../controllers/settings.js';
import { SubscriptionController } from '../controllers/subscription-controller.js';
import { controlValue, defaultEventFor, findControl, firstControl, showState } from '../dom/controls.js';
import { MqttPublishEvent, type MqttPublishDetail } from '../events.js';
import { Throttle } from '../lib/throttle.js';
import { encodeCommand, type PayloadType } from '../session/codec.js';
import { MqttDiagnosticError } from '../session/diagnostics.js';
import type { MqttMessage, PublishOptions, QoS } from '../session/message.js';
import { validateTopic } from '../session/topic.js';

/** For publishes nobody awaits: their errors were reported with `mqtt-error` already. */
const reported = () => {};

/** Events listened for whatever `event` says: each control's default trigger. */
const DEFAULT_EVENTS = ['click', 'change', 'submit'];

/** How long a command waits for its state, ms, when `confirm-timeout` is not set (or not valid). */
const DEFAULT_CONFIRM_TIMEOUT = 5000;

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
 * @tag mqtt-publish
 * @summary Publishes what its control says.
 *
 * @slot - The control: a button, input, select, textarea, form or custom form control.
 *
 * @cssstate pending - A command was sent and its state (on `state-topic`) has not come yet.
 * @cssstate timeout - No state came within `confirm-timeout` after the last command; the control shows the last confirmed state again. Cleared by the next state or command.
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

  /** Topic (no wildcards) on which the device reports its state: the control shows it, and it confirms commands. Decoded by `type`. */
  @property({ attribute: 'state-topic' }) stateTopic?: string;

  /** A field to extract from a JSON state (`a.b[0].c`), when the device reports more than this control shows. */
  @property({ attribute: 'state-path' }) statePath?: string;

  /** ms a command waits for its state before `:state(timeout)` and the return to the last confirmed state. */
  @property({ attribute: 'confirm-timeout', type: Number }) confirmTimeout: number = 5000;

  /** The last state reported on `state-topic` (decoded by `type`, `state-path` applied); undefined before the first. @readonly */
  get state(): unknown {
    return this.confirmed?.value;
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
  private readonly internals = this.attachInternals();
  private readonly interaction = new InteractionController(this, () => {
    if (this.stateDeferred) this.showConfirmed();
  });
  /** Publishes a repeating event's values at most once per `throttle` ms, ending on the last. */
  private readonly throttled = new Throttle<unknown>((value) => this.send(value).catch(reported));
  private listenedEvent: string | undefined;
  /** `state-topic` if it is a valid topic. */
  private stateFilter: string | undefined;
  /** The last confirmed state, boxed: a device may report `null`. */
  private confirmed: { value: unknown } | undefined;
  /** Whether the control waits to show the confirmed state until the user lets go of it. */
  private stateDeferred = false;
  private confirmTimer: ReturnType<typeof setTimeout> | undefined;
  /** Where the last command stands, as shown by the custom states. */
  private commandState: 'pending' | 'timeout' | undefined;
  /** `confirm-timeout` if valid. */
  private confirmWait = DEFAULT_CONFIRM_TIMEOUT;
  /** Set while the element writes a state into its control: events that causes are no commands. */
  private showingState = false;

  constructor() {
    super();
    for (const type of DEFAULT_EVENTS) this.addEventListener(type, this);
    new SubscriptionController(this, {
      reporter: this.reporter,
      sessions: this.sessions,
      setting: 'state-topic',
      request: () =>
        this.stateFilter === undefined
          ? undefined
          : { filter: this.stateFilter, qos: this.qos, type: this.type, path: this.statePath },
      onMessage: (message) => this.stateReceived(message),
      onChange: () => this.forgetState(),
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.toggleAttribute('offline', this.sessions.status !== 'connected');
  }

  override disconnectedCallback(): void {
    // Send the last throttled value while the session is still known.
    this.throttled.flush();
    super.disconnectedCallback();
    // No confirmation will come to an element that left the page.
    this.stopWaiting();
    if (this.commandState === 'pending') this.setCommandState(undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    numbersFromStrings(this, ['qos', 'throttle', 'confirmTimeout'], changed);
    if (changed.has('stateTopic')) {
      this.stateFilter = this.checkStateTopic();
      if (this.stateFilter === undefined) this.forgetState();
    }
    if (changed.has('confirmTimeout')) this.confirmWait = this.checkConfirmTimeout();
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
    return html`<slot @slotchange=${() => this.showConfirmed()}></slot>`;
  }

  /** @internal Handles the trigger events of the controls inside. */
  handleEvent(event: Event): void {
    if (this.showingState) return;
    const control = findControl(this, event.target, !this.event);
    if (!control) return;
    if (event.type !== (this.event || defaultEventFor(control))) return;
    if (event.type === 'submit') event.preventDefault();
    const value = controlValue(control, this.payloadOn, this.payloadOff);
    this.commandSent();
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
    this.commandSent();
    return this.send(value);
  }

  /** A command left (or is about to): wait for its state; a state the control held back is superseded. */
  private commandSent(): void {
    if (this.stateFilter === undefined) return;
    this.stateDeferred = false;
    this.setCommandState('pending');
    clearTimeout(this.confirmTimer);
    this.confirmTimer = setTimeout(() => this.confirmTimedOut(), this.confirmWait);
  }

  /** A command that could not be published waits for no state: the control shows the confirmed one. */
  private commandFailed(): void {
    if (this.commandState !== 'pending') return;
    this.stopWaiting();
    this.setCommandState(undefined);
    this.showConfirmed();
  }

  private confirmTimedOut(): void {
    this.confirmTimer = undefined;
    this.setCommandState('timeout');
    this.showConfirmed();
  }

  /** A state message: it confirms any command waiting, and the control shows it. */
  private stateReceived(message: MqttMessage): void {
    // A payload that could not be decoded was reported; the last good state stays.
    if (message.value === undefined) return;
    this.reporter.clear();
    this.confirmed = { value: message.value };
    this.stopWaiting();
    this.setCommandState(undefined);
    this.showConfirmed();
  }

  /** Shows the confirmed state in the control, or holds it back while the user is using the control. */
  private showConfirmed(): void {
    if (!this.confirmed) return;
    if (this.interaction.active) {
      this.stateDeferred = true;
      return;
    }
    this.stateDeferred = false;
    const control = firstControl(this);
    if (!control) {
      // A custom control that is not defined yet has no value or checked to set: wait for it.
      const undefinedControl = this.querySelector(':not(:defined)');
      if (undefinedControl)
        void customElements.whenDefined(undefinedControl.localName).then(() => this.showConfirmed());
      return;
    }
    this.showingState = true;
    try {
      showState(control, this.confirmed.value, this.payloadOn, this.payloadOff);
    } finally {
      this.showingState = false;
    }
  }

  /** No state topic any more, or another one: nothing is confirmed or awaited. */
  private forgetState(): void {
    this.confirmed = undefined;
    this.stateDeferred = false;
    this.stopWaiting();
    this.setCommandState(undefined);
  }

  /**
   * Shows where the last command stands as a custom state (`:state(pending)`, `:state(timeout)`).
   * Where the browser has no custom states (Safari before 17.4), commands still work, unstyled.
   */
  private setCommandState(state: 'pending' | 'timeout' | undefined): void {
    this.commandState = state;
    const states = this.internals.states as CustomStateSet | undefined;
    try {
      for (const name of ['pending', 'timeout'] as const) {
        if (name === state) states?.add(name);
        else states?.delete(name);
      }
    } catch {
      // Chromium before 125 only took names that start with --.
    }
  }

  private stopWaiting(): void {
    clearTimeout(this.confirmTimer);
    this.confirmTimer = undefined;
  }

  /** `state-topic` when it is one exact topic (as a publish topic must be); anything else is reported. */
  private checkStateTopic(): string | undefined {
    const topic = this.stateTopic;
    if (topic === undefined || topic === null) {
      this.reporter.settle('state-topic');
      return undefined;
    }
    let problem: { message: string; hint: string } | undefined;
    try {
      validateTopic(topic);
    } catch (error) {
      problem = {
        message: `state-topic: ${(error as Error).message}`,
        hint: 'A control shows the state of one device: use the exact topic it reports on, such as "home/lamp/state", with no + or # (use <mqtt-subscribe> for many topics).',
      };
    }
    return this.reporter.check('state-topic', problem) ? topic : undefined;
  }

  /** `confirm-timeout` when it is a positive number of ms; anything else is reported and the default used. */
  private checkConfirmTimeout(): number {
    const ms = this.confirmTimeout;
    const valid = ms === undefined || ms === null || (typeof ms === 'number' && Number.isFinite(ms) && ms > 0);
    const problem = valid
      ? undefined
      : {
          message: `confirm-timeout="${this.getAttribute('confirm-timeout') ?? ms}" is not a number of milliseconds.`,
          hint: `Use a positive number of ms, such as confirm-timeout="3000"; ${DEFAULT_CONFIRM_TIMEOUT} is used meanwhile.`,
        };
    return this.reporter.check('confirm-timeout', problem) ? (ms ?? DEFAULT_CONFIRM_TIMEOUT) : DEFAULT_CONFIRM_TIMEOUT;
  }

  private async send(value: unknown): Promise<void> {
    // Any publish, throttled or not, starts the throttle's interval again.
    this.throttled.ranNow();
    const topic = this.topic ?? '';
    try {
      validateTopic(topic);
    } catch (error) {
      this.reporter.report(error, 'topic');
      this.commandFailed();
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
      await session.publish(topic, payload, { qos, retain, properties });
      this.reporter.clear();
      this.lastPublished = properties ? { topic, payload, qos, retain, properties } : { topic, payload, qos, retain };
      this.dispatchEvent(new MqttPublishEvent(this.lastPublished));
    } catch (error) {
      this.reporter.report(error);
      this.commandFailed();
      throw error;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mqtt-publish': MqttPublish;
  }
}
