import { ContextProvider } from '@lit/context';
import { ReactiveElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { IClientOptions, MqttClient } from 'mqtt';
import { mqttContext } from '../context.js';
import { ErrorReporter } from '../controllers/error-reporter.js';
import { numbersFromStrings } from '../controllers/numbers.js';
import { registerSession } from '../controllers/registry.js';
import { MqttConnectEvent, MqttDisconnectEvent, MqttStatusEvent } from '../events.js';
import type { ConnectionStatus, MqttMessage, PublishOptions, QoS, SubscribeOptions } from '../session/message.js';
import type { MqttCredentialsProvider } from '../session/credentials.js';
import { MqttSession } from '../session/session.js';
import { adoptBlockDisplay } from '../dom/block-display.js';
import { afterPageScripts, pageScriptsRunning } from '../dom/page-scripts.js';
import {
  checkedNumber,
  clientOptions,
  CONNECTION_OPTIONS,
  randomClientId,
  trueUnlessFalse,
  type MqttWill,
} from './mqtt-connection.options.js';

export type { MqttWill } from './mqtt-connection.options.js';

/**
 * Owns one MQTT.js client and provides it to the kit's elements inside it (`<mqtt-value>`,
 * `<mqtt-publish>`, `<mqtt-subscribe>`, ...) and to any element that names it with `connection="id"`.
 * Reconnects with exponential back-off and jitter, and at once when the browser comes back online or
 * the tab becomes visible again; subscriptions and queued publishes follow every reconnect and every
 * change of `url`. Its content stays in the light DOM (no shadow root): a block by default, laid out
 * by the page's own CSS.
 *
 * @tag mqtt-connection
 * @summary A connection to an MQTT broker over WebSocket.
 *
 * @event {MqttStatusEvent} mqtt-status - The status changed. `detail: { status, previous }`.
 * @event {MqttConnectEvent} mqtt-connect - Connected (also after each reconnect). `detail: { connack }`.
 * @event {MqttDisconnectEvent} mqtt-disconnect - The connection was lost or closed. `detail: { reason? }`.
 * @event {MqttErrorEvent} mqtt-error - A failure, with a hint a beginner can act on. `detail: { error, code?, hint }`.
 */
export class MqttConnection extends ReactiveElement {
  /**
   * Broker url: `ws://host:port/path` or `wss://...`, or several separated by whitespace (the nodes
   * of a cluster: tried in turn, the next at once when one fails). Without it the element stays
   * disconnected.
   */
  @property() url?: string;

  /** With several urls: start at a random one, so that many pages spread over a cluster's nodes. */
  @property({ type: Boolean }) shuffle = false;

  /**
   * Fetched (`GET`, same-origin cookies, JSON) before every connection attempt for fresh
   * credentials: `{ username?, password?, url?, expiresAt?, expiresIn? }`. See `credentials`.
   */
  @property({ attribute: 'credentials-url' }) credentialsUrl?: string;

  /**
   * A function called before every connection attempt (`{ url, attempt, reason }`, reason `connect`,
   * `reconnect`, `renew` or `refused`) that gives fresh credentials, or a promise of them:
   * `{ username?, password?, url?, expiresAt?, expiresIn? }`. `url` replaces the url tried (a
   * pre-signed url). Takes precedence over `credentials-url`.
   */
  @property({ attribute: false }) credentials?: MqttCredentialsProvider;

  /** Client identifier. Default: `mqtt-elements_` and 8 random hex digits. */
  @property({ attribute: 'client-id' }) clientId: string = randomClientId();

  /** User name for the broker. */
  @property() username?: string;

  /**
   * Password for the broker. Accepted as an attribute for no-code pages, but never reflected,
   * logged or put in an event; setting the property is the recommended way.
   */
  @property() password?: string;

  /** MQTT protocol version: 3, 4 (MQTT 3.1.1) or 5. */
  @property({ attribute: 'protocol-version', type: Number }) protocolVersion: 3 | 4 | 5 = 4;

  /** Keep-alive interval, seconds. */
  @property({ type: Number }) keepalive = 60;

  /** Start a clean session; `clean="false"` asks the broker for a persistent session. */
  @property({ converter: trueUnlessFalse }) clean = true;

  /** MQTT 5 session expiry interval, seconds. */
  @property({ attribute: 'session-expiry', type: Number }) sessionExpiry?: number;

  /** How long to wait for the broker to accept a connection, ms. */
  @property({ attribute: 'connect-timeout', type: Number }) connectTimeout = 30000;

  /** Delay before the first reconnect attempt, ms; it doubles (with jitter) up to `reconnect-max-period`. 0 disables reconnecting. */
  @property({ attribute: 'reconnect-period', type: Number }) reconnectPeriod = 1000;

  /** Longest delay between reconnect attempts, ms. */
  @property({ attribute: 'reconnect-max-period', type: Number }) reconnectMaxPeriod = 30000;

  /** Topic of the last will. */
  @property({ attribute: 'will-topic' }) willTopic?: string;

  /** Payload of the last will. */
  @property({ attribute: 'will-payload' }) willPayload?: string;

  /** QoS of the last will. */
  @property({ attribute: 'will-qos', type: Number }) willQos?: QoS;

  /** Whether the last will is retained. */
  @property({ attribute: 'will-retain', type: Boolean }) willRetain = false;

  /** The last will as an object; takes precedence over the `will-*` attributes. */
  @property({ attribute: false }) will?: MqttWill;

  /** Do not connect on its own; call `connect()`. */
  @property({ type: Boolean }) manual = false;

  /** Extra MQTT.js client options, merged last (an escape hatch). */
  @property({ attribute: false }) options?: IClientOptions;

  /** Not reactive: the status changes while the element updates (it opens the connection then). */
  private currentStatus: ConnectionStatus = 'disconnected';

  private readonly session = new MqttSession({
    status: (status, previous) => {
      this.currentStatus = status;
      this.setAttribute('status', status);
      const url = this.session.connectedUrl;
      if (url) this.setAttribute('connected-url', url);
      else this.removeAttribute('connected-url');
      this.dispatchEvent(new MqttStatusEvent({ status, previous }));
    },
    connect: (connack) => {
      this.reporter.clear();
      this.reporter.reset();
      this.dispatchEvent(new MqttConnectEvent({ connack }));
    },
    disconnect: (reason) => this.dispatchEvent(new MqttDisconnectEvent(reason === undefined ? {} : { reason })),
    error: (error) => this.reporter.report(error),
  });
  private readonly reporter = new ErrorReporter(this);
  /** Whether the element should be connected (auto-connected, or `connect()` called). */
  private active = false;
  /** The settings last handed to the session ({@link CONNECTION_OPTIONS}, in order); none since `disconnect()`. */
  private openedWith: readonly unknown[] | undefined;
  /** Whether `connect()` asked for the connection (since the last `disconnect()`). */
  private connectCalled = false;
  private unregister: (() => void) | undefined;
  /** When the network comes back or the tab becomes visible again: retry now, or check the link. */
  private readonly wake = (event: Event): void => {
    if (event.type === 'online' || document.visibilityState === 'visible') this.session.wake();
  };
  private closeTimer: ReturnType<typeof setTimeout> | undefined;

  /** @internal Provides the session to the elements inside (its subscriber count is read by leak tests). */
  protected readonly provider = new ContextProvider(this, { context: mqttContext, initialValue: this.session });

  /** `disconnected`, `connecting`, `connected` or `reconnecting`; reflected as the `status` attribute. */
  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  /** The last error as a sentence with its hint; reflected as the `error` attribute, cleared on connect. */
  get error(): string | undefined {
    return this.reporter.error;
  }

  /** While connected: the url of the broker in use (without user info); reflected as `connected-url`. */
  get connectedUrl(): string | undefined {
    return this.session.connectedUrl;
  }

  /** The MQTT.js client, for code that needs it (undefined until a url is opened). */
  get client(): MqttClient | undefined {
    return this.session.client;
  }

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'id'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'id' && this.isConnected) this.register();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hasAttribute('status')) this.setAttribute('status', this.currentStatus);
    clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    this.session.hold(false);
    this.register();
    window.addEventListener('online', this.wake);
    document.addEventListener('visibilitychange', this.wake);
    if (!this.manual && !this.active) {
      this.active = true;
      this.requestUpdate();
    }
    adoptBlockDisplay(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unregister?.();
    this.unregister = undefined;
    window.removeEventListener('online', this.wake);
    document.removeEventListener('visibilitychange', this.wake);
    // A move in the same task (remove, then insert) keeps the client. Meanwhile the elements that
    // leave with this one do not unsubscribe one by one (a persistent session keeps their filters).
    this.session.hold(true);
    this.closeTimer = setTimeout(() => {
      this.closeTimer = undefined;
      if (this.isConnected) return;
      void this.disconnect();
      // Closed: nothing waits for the element to come back (a later connect() works as usual).
      this.session.hold(false);
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Frameworks set clean="false" as the string 'false', which is truthy.
    if (typeof this.clean === 'string') this.clean = trueUnlessFalse.fromAttribute(this.clean);
    numbersFromStrings(
      this,
      [
        'protocolVersion',
        'keepalive',
        'sessionExpiry',
        'connectTimeout',
        'reconnectPeriod',
        'reconnectMaxPeriod',
        'willQos',
      ],
      changed
    );
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.active) return;
    // A setting changed since the connection was opened (not merely set to what it was opened
    // with: `connect()` right after setting `password` opened with it already).
    const opened = this.openedWith;
    const changedSince = CONNECTION_OPTIONS.some(
      (name, i) => changed.has(name as keyof MqttConnection) && this[name] !== opened?.[i]
    );
    if (opened && !changedSince) return;
    // Connecting on its own while the page's scripts still run would open a socket that a script
    // setting `password` next closes again: wait for them (connect() does not).
    if (!opened && !this.connectCalled && pageScriptsRunning()) {
      void afterPageScripts().then(() => this.requestUpdate());
      return;
    }
    this.open();
  }

  /** Connects (or reconnects with the current attributes). Without a url, stays disconnected. */
  connect(): void {
    this.active = true;
    this.connectCalled = true;
    // Before the first update, that update opens the connection with every attribute read.
    if (this.hasUpdated) this.open();
    else this.requestUpdate();
  }

  /** Closes the connection; resolves once the client has ended. Subscriptions stay registered. */
  disconnect(): Promise<void> {
    this.active = false;
    this.connectCalled = false;
    this.openedWith = undefined;
    return this.session.close();
  }

  /**
   * Publishes a message; queued while not connected. Resolves once the client has accepted it.
   * Rejects with an error whose `hint` explains a bad topic. `options.signal` (an `AbortSignal`, e.g.
   * `AbortSignal.timeout(5000)`) withdraws the message while the broker does not have it: a queued
   * one is never sent, and a QoS 1 or 2 one not yet acknowledged is not sent again after a reconnect.
   */
  publish(topic: string, payload: string | Uint8Array, options?: PublishOptions): Promise<void> {
    return this.session.publish(topic, payload, options);
  }

  /**
   * Calls `onMessage` for every message on `filter` (named wildcards allowed) until the returned
   * function is called. Throws a `TopicError` for an invalid filter.
   */
  subscribe(filter: string, onMessage: (message: MqttMessage) => void, options?: SubscribeOptions): () => void {
    return this.session.subscribe(filter, onMessage, options);
  }

  /**
   * No shadow root: every element added inside dispatches a context request on connecting, and
   * through a `<slot>` each of those would make Chromium reassign the slot over all the children
   * (1000 values added at once: 0.3 s more, growing with the square of their number).
   */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  private open(): void {
    this.openedWith = CONNECTION_OPTIONS.map((name) => this[name]);
    if (!this.url) {
      if (this.session.client) void this.session.close();
      return;
    }
    this.session.open({
      url: this.url,
      shuffle: this.shuffle,
      credentials: this.credentials ?? this.credentialsUrl ?? undefined,
      options: clientOptions(this, this.reporter),
      reconnectMaxPeriod: checkedNumber(this.reporter, 'reconnect-max-period', this.reconnectMaxPeriod, 30000),
    });
  }

  private register(): void {
    this.unregister?.();
    this.unregister = this.id ? registerSession(this.getRootNode(), this.id, this.session) : undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mqtt-connection': MqttConnection;
  }
}
