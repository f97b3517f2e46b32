import { ContextProvider } from '@lit/context';
import type { PropertyValues } from 'lit';
import type { MqttClient } from 'mqtt';
import { mqttContext } from '../context.js';
import { ErrorReporter } from '../controllers/error-reporter.js';
import { redactUrl } from '../session/diagnostics.js';
import { numbersFromStrings } from '../controllers/numbers.js';
import { registerSession } from '../controllers/registry.js';
import { MqttConnectEvent, MqttDisconnectEvent, MqttStatusEvent } from '../events.js';
import type { ConnectionStatus, MqttMessage, PublishOptions, SubscribeOptions } from '../session/message.js';
import type { SessionConfig, SessionHooks } from '../session/session.js';
import { SessionChoice } from '../shared/session-choice.js';
import { MqttConnectionSettings } from './connection-settings.js';
import { adoptBlockDisplay } from '../dom/block-display.js';
import { PageLifecycle } from '../dom/page-lifecycle.js';
import { afterPageScripts, pageScriptsRunning } from '../dom/page-scripts.js';
import { checkedNumber, clientOptions, CONNECTION_OPTIONS, trueUnlessFalse } from './mqtt-connection.options.js';

export type { MqttWill } from './mqtt-connection.options.js';

/**
 * Owns one MQTT.js client and provides it to the kit's elements inside it (`<mqtt-value>`,
 * `<mqtt-publish>`, `<mqtt-subscribe>`, ...) and to any element that names it with `connection="id"`.
 * Reconnects with exponential back-off and jitter, and at once when the browser comes back online or
 * the tab becomes visible again; subscriptions and queued publishes follow every reconnect and every
 * change of `url`. With `persist`, the last values its elements show are remembered across page
 * loads (`forget()` clears them). Its content stays in the light DOM (no shadow root): a block by default, laid out
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
export class MqttConnection extends MqttConnectionSettings {
  /** Not reactive: the status changes while the element updates (it opens the connection then). */
  private currentStatus: ConnectionStatus = 'disconnected';

  /** What the session in use tells: reflected, and fired as events. */
  private readonly hooks: SessionHooks = {
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
  };

  /** The session in use: a connection of the tab's own, or with `shared` the tabs' one. */
  private readonly sessions = new SessionChoice({
    hooks: this.hooks,
    changed: (session) => {
      this.provider.setValue(session);
      this.register();
    },
    reopen: () => {
      if (this.openedWith) this.open();
    },
    workerUrl: () => MqttConnection.sharedWorkerUrl,
  });
  /** The client id this element made up for itself: not one to share. */
  private readonly ownClientId = this.clientId;
  private readonly reporter = new ErrorReporter(this);
  /** Whether the element should be connected (auto-connected, or `connect()` called). */
  private active = false;
  /** The settings last handed to the session ({@link CONNECTION_OPTIONS}, in order); none since `disconnect()`. */
  private openedWith: readonly unknown[] | undefined;
  /** Whether `connect()` asked for the connection (since the last `disconnect()`). */
  private connectCalled = false;
  private unregister: (() => void) | undefined;
  /**
   * When the network comes back or the tab becomes visible again: retry now, or check the link.
   * When the page is hidden or left: what `persist` remembers is written now, and a shared
   * connection is left (a page in the back/forward cache holds nothing; it joins again when shown).
   */
  private readonly lifecycle = new PageLifecycle({
    awake: () => this.session.wake(),
    hidden: (leaving) => {
      this.session.keep();
      if (leaving && this.session !== this.sessions.local) void this.session.close();
    },
    restored: () => {
      if (this.openedWith && this.session.status === 'disconnected') this.open();
    },
  });
  private closeTimer: ReturnType<typeof setTimeout> | undefined;

  /** @internal Provides the session to the elements inside (its subscriber count is read by leak tests). */
  protected readonly provider = new ContextProvider(this, { context: mqttContext, initialValue: this.session });

  /** The session in use. */
  private get session(): SessionChoice['current'] {
    return this.sessions.current;
  }

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

  /**
   * Where `<mqtt-connection shared>` finds its SharedWorker: by default `mqtt-elements-worker.js`
   * next to the kit's module (the bundle in dist/). Set it where the file is served from elsewhere.
   */
  static sharedWorkerUrl: string | URL | undefined;

  /** The MQTT.js client, for code that needs it (undefined until a url is opened, and with `shared`: it lives in the worker). */
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
    this.lifecycle.listen(true);
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
    this.lifecycle.listen(false);
    // A move in the same task (remove, then insert) keeps the client. Meanwhile the elements that
    // leave with this one do not unsubscribe one by one (a persistent session keeps their filters).
    this.session.hold(true);
    this.closeTimer = setTimeout(() => {
      this.closeTimer = undefined;
      if (this.isConnected) return;
      void this.disconnect();
      this.session.persist(undefined);
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
    if (changed.has('persist')) this.remember();
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
   * Forgets what `persist` remembered for this connection's broker url, in this browser's storage
   * and in the elements' memory; resolves once storage has done so. Values already shown stay.
   */
  forget(): Promise<void> {
    return this.session.forget(this.memoryKey());
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

  /** What `persist` remembers is kept under: the url (the urls of a cluster), without user info. */
  private memoryKey(): string | undefined {
    const urls = this.url?.trim().split(/\s+/).map(redactUrl).join(' ');
    return urls || undefined;
  }

  private remember(): void {
    this.session.persist(this.persist ? this.memoryKey() : undefined);
  }

  private open(): void {
    this.openedWith = CONNECTION_OPTIONS.map((name) => this[name]);
    if (!this.url) {
      this.remember();
      if (this.session.status !== 'disconnected' || this.session.client) void this.session.close();
      return;
    }
    const config: SessionConfig = {
      url: this.url,
      shuffle: this.shuffle,
      credentials: this.credentials ?? this.credentialsUrl ?? undefined,
      options: clientOptions(this, this.reporter),
      reconnectMaxPeriod: checkedNumber(this.reporter, 'reconnect-max-period', this.reconnectMaxPeriod, 30000),
    };
    const session = this.sessions.choose(this.shared, config);
    if (!session) return;
    // Tabs share a connection whatever client id each made up for itself (one of theirs is used).
    if (session !== this.sessions.local && this.clientId === this.ownClientId) delete config.options!.clientId;
    this.remember();
    session.open(config);
    this.sessions.carryOver();
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
