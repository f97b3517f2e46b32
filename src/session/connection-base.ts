import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { planAttempt, type AttemptPlan } from './attempt.js';
import { BrokerList, splitUrls } from './broker-list.js';
import { endForGood, probe } from './clients.js';
import { FastPath } from './fast-path.js';
import { PROBE_TIMEOUT, type ConnectionOptions, type SessionConfig, type SessionHooks } from './connection-options.js';
import type { MqttCredentialsRequest } from './credentials.js';
import {
  checkUrl,
  connectionFailed,
  connectionLost,
  MqttDiagnosticError,
  passwordWithoutUsername,
  redactUrl,
  type Diagnosis,
} from './diagnostics.js';
import type { ConnectionStatus } from './message.js';
import { ReconnectPolicy } from './reconnect-policy.js';
import { Renewal, type RenewalHost } from './renewal.js';
import { StatusBox } from './status.js';

/**
 * The attempts of a connection, one MQTT.js client at a time: which url and credentials each
 * attempt uses, the next url at once after a failure and back-off after a whole round (the
 * {@link ReconnectPolicy}), renewals of credentials that expire, the liveness probe, and the status
 * and its watchers. What the client's events mean is its subclass's: {@link Connection}.
 */
export abstract class ConnectionBase {
  /** The current MQTT.js client, if a url was opened. */
  client: MqttClient | undefined;

  protected readonly options: ConnectionOptions;
  protected readonly hooks: SessionHooks;
  protected readonly box: StatusBox;
  protected config: SessionConfig | undefined;
  /** Made by {@link open}, before the first client. */
  protected policy!: ReconnectPolicy;
  protected brokers!: BrokerList;
  /** The url the current attempt opens (a pre-signed url from the credentials, else the broker's). */
  protected target = '';
  /** The current attempt's plan: its credentials' expiry. */
  protected plan: AttemptPlan | undefined;
  /** Each client's fast path for QoS 0 messages, given every attempt's options anew. */
  protected readonly fastPaths = new WeakMap<MqttClient, FastPath>();
  /** Made by {@link open}: renews credentials that expire. */
  protected renewal: Renewal | undefined;
  /** Attempts since {@link open}, and the one whose credentials are awaited (older answers are dropped). */
  protected attempts = 0;
  /** Set when the broker refused credentials from the provider: the next attempt asks again at once. */
  protected refused = false;
  /** Why the current attempt's WebSocket closed, if it did. */
  protected closeReason = '';
  protected reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether a ping sent by {@link wake} awaits its answer. */
  protected probing = false;
  /** Whether the current connection attempt already reported why it failed. */
  protected reported = false;
  /** The urls that were connected once: their failures are outages, not a wrong setup. */
  protected worked = new Set<string>();

  /** Reacts to the events of `client`, the client in use from now on. */
  protected abstract watch(client: MqttClient): void;

  constructor(options: ConnectionOptions) {
    this.options = options;
    this.hooks = options.hooks ?? {};
    this.box = new StatusBox(this.hooks.status);
  }

  get status(): ConnectionStatus {
    return this.box.status;
  }

  /** How many status watchers are registered. */
  get statusListenerCount(): number {
    return this.box.watchers;
  }

  /** The url of the broker in use while connected (without user info), else undefined. */
  get connectedUrl(): string | undefined {
    return this.status === 'connected' ? redactUrl(this.brokers.current) : undefined;
  }

  /** Connects to the url (or the first of several that answers), ending any previous client. */
  open(config: SessionConfig): void {
    void this.endClient();
    this.config = config;
    this.attempts = 0;
    this.refused = false;
    this.worked.clear();
    this.policy = new ReconnectPolicy({
      period: config.options?.reconnectPeriod ?? 1000,
      max: config.reconnectMaxPeriod ?? 30000,
    });
    const pageProtocol = typeof location === 'undefined' ? undefined : location.protocol;
    // Each url that cannot work is reported; the others are tried.
    const urls = splitUrls(config.url).filter((url) => {
      const problem = checkUrl(url, pageProtocol);
      if (problem) this.fail(problem);
      return !problem;
    });
    if (urls.length === 0) {
      this.setStatus('disconnected');
      return;
    }
    this.brokers = new BrokerList(urls, config.shuffle);
    this.renewal = new Renewal(this.renewalHost());
    this.setStatus('connecting');
    void this.attempt('connect');
  }

  /** Ends the client (sending DISCONNECT when connected). */
  async close(): Promise<void> {
    const ended = this.endClient();
    this.config = undefined;
    this.setStatus('disconnected');
    await ended;
  }

  /** Calls `listener` on every status change. Returns the function that removes it. */
  watchStatus(listener: (status: ConnectionStatus) => void): () => void {
    return this.box.watch(listener);
  }

  /**
   * The network came back or the page became visible again. A reconnect that is waiting is tried
   * now. A connection that looks up is pinged, and dropped (then reconnected) when no answer comes
   * within 3 s: after a sleep or a network change a socket can look open and be dead, which the
   * keep-alive would only notice 1.5 × keepalive later.
   */
  wake(): void {
    const client = this.client;
    if (!client) return;
    if (this.reconnectTimer !== undefined) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
      this.reconnect();
      return;
    }
    if (this.status !== 'connected' || this.probing) return;
    this.probing = true;
    void probe(client, PROBE_TIMEOUT).then((answered) => {
      this.probing = false;
      if (answered || client !== this.client || !client.connected) return;
      this.fail(connectionLost(this.brokers.current, `no answer to a ping within ${PROBE_TIMEOUT / 1000} s`));
      client.stream.destroy();
    });
  }

  protected get protocolVersion(): number | undefined {
    return this.config?.options?.protocolVersion;
  }

  protected setStatus(status: ConnectionStatus): void {
    this.box.set(status);
  }

  protected fail(diagnosis: Diagnosis, cause?: unknown): void {
    this.reported = true;
    this.hooks.error?.(new MqttDiagnosticError(diagnosis, { cause }));
  }

  /**
   * One connection attempt to the current url: asks for credentials (if a source is set), then
   * opens the client, or reconnects it (keeping its stores, so that QoS 1 and 2 messages in flight
   * are sent again) to what the attempt targets.
   */
  protected async attempt(reason: MqttCredentialsRequest['reason']): Promise<void> {
    const config = this.config;
    if (!config) return;
    const attempt = ++this.attempts;
    const url = this.brokers.current;
    let plan: AttemptPlan;
    try {
      plan = await planAttempt(config, { url, attempt, reason }, (_code, why) => (this.closeReason = why));
    } catch (error) {
      if (attempt !== this.attempts || config !== this.config) return;
      this.fail(error as Diagnosis);
      this.failed();
      return;
    }
    if (attempt !== this.attempts || config !== this.config) return;
    this.closeReason = '';
    const { options } = plan;
    if (options.password != null && options.username == null) {
      // A setting no retry can fix.
      this.fail(passwordWithoutUsername());
      void this.endClient();
      this.setStatus('disconnected');
      return;
    }
    this.plan = plan;
    this.target = plan.target;
    const client = this.client;
    if (client) {
      // The next attempt's credentials and url (MQTT.js builds the CONNECT and the WebSocket url anew).
      delete client.options.username;
      delete client.options.password;
      // The client id stays the one in use (a renewal may have moved to the configured one with `r`).
      const { clientId } = client.options;
      Object.assign(client.options, this.fastPaths.get(client)?.options(options) ?? options, { clientId });
      client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore });
      return;
    }
    this.reported = false;
    let opened: MqttClient;
    try {
      opened = this.openClient(this.target, options);
    } catch (cause) {
      this.fail(connectionFailed(url, (cause as Error).message), cause);
      this.setStatus('disconnected');
      return;
    }
    this.watch(opened);
  }

  /**
   * Makes a client that connects to `target`, and to what {@link target} says once it is the client
   * in use. Its messages go to the owner, with the client they came from.
   */
  protected openClient(target: string, options: IClientOptions): MqttClient {
    // Called while the client is made, too: before `client` is set.
    let client: MqttClient | undefined = undefined;
    const fast = new FastPath(() => client, this.options.message);
    client = (this.options.open ?? mqtt.connect)(target, {
      ...fast.options(options),
      transformWsUrl: () => (client && client === this.client ? this.target : target),
    });
    const made = client;
    this.fastPaths.set(made, fast);
    made.on('packetreceive', () => fast.received());
    made.on('error', () => fast.lose());
    made.on('message', (topic, payload, packet) => this.options.message(made, topic, payload, packet));
    return made;
  }

  /** The connection as its {@link Renewal} sees it. */
  protected renewalHost(): RenewalHost {
    return {
      inUse: () => {
        const { config, client } = this;
        if (!config || !client?.connected || this.status !== 'connected') return undefined;
        return { config, client, url: this.brokers.current };
      },
      nextAttempt: () => ++this.attempts,
      isLatest: (attempt) => attempt === this.attempts,
      open: (target, options) => this.openClient(target, options),
      fail: (diagnosis, cause) => this.fail(diagnosis, cause),
      accepted: (old, next, takeOver, abandon) => this.options.handover(old, next, takeOver, abandon),
      tookOver: (next, connack, plan) => {
        // Not an outage: the status stays `connected`; `mqtt-connect` tells of the new connection.
        this.client = next;
        this.target = plan.target;
        this.plan = plan;
        this.watch(next);
        this.renewal?.schedule(plan);
        this.hooks.connect?.(connack);
      },
    };
  }

  /** The attempt failed, or the connection in use was lost: the next url at once, or a pause after a whole round. */
  protected failed(): void {
    if (!this.brokers.failed()) {
      this.setStatus('reconnecting');
      void this.attempt('reconnect');
      return;
    }
    this.setStatus('reconnecting');
    this.scheduleReconnect();
  }

  protected scheduleReconnect(): void {
    if (this.reconnectTimer !== undefined) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.reconnect();
    }, this.policy.nextDelay());
  }

  /** The one place where a waiting attempt starts (on its timer, or woken). */
  protected reconnect(): void {
    if (!this.config || this.client?.connected) return;
    void this.attempt('reconnect');
  }

  /** Ends the current client (gracefully when connected); resolves once it has ended. */
  protected endClient(): Promise<void> {
    this.renewal?.cancel();
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const client = this.client;
    this.client = undefined;
    this.options.lost(false);
    if (!client) return Promise.resolve();
    if (this.status === 'connected') this.hooks.disconnect?.();
    return endForGood(client);
  }
}
