import mqtt from 'mqtt';
import type { IConnackPacket, MqttClient } from 'mqtt';
import {
  checkUrl,
  connackRefused,
  connectionFailed,
  connectionFlapping,
  connectionLost,
  disconnectedByBroker,
  MqttDiagnosticError,
  passwordWithoutUsername,
  reconnectFailed,
  redactUrl,
  type Diagnosis,
} from './diagnostics.js';
import type { ConnectionStatus } from './message.js';
import { BrokerList, splitUrls } from './broker-list.js';
import {
  AUTH_REFUSALS,
  clientOptions,
  REFUSED_CLOSE,
  FINAL_REFUSALS,
  PROBE_TIMEOUT,
  type ConnectionOptions,
  type SessionConfig,
  type SessionHooks,
} from './connection-options.js';
import { askCredentials, type CheckedCredentials, type MqttCredentialsRequest } from './credentials.js';
import { ReconnectPolicy } from './reconnect-policy.js';

export type { ConnectionOptions, SessionConfig, SessionHooks } from './connection-options.js';

/**
 * The life of one MQTT.js client at a time: opening and ending it, reconnecting with back-off (the
 * {@link ReconnectPolicy}), the liveness probe, the status and its watchers, and the diagnosis of
 * every failure. Events of a client that was replaced are ignored.
 */
export class Connection {
  /** The current MQTT.js client, if a url was opened. */
  client: MqttClient | undefined;
  status: ConnectionStatus = 'disconnected';

  private readonly options: ConnectionOptions;
  private readonly hooks: SessionHooks;
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private config: SessionConfig | undefined;
  /** Made by {@link open}, before the first client. */
  private policy!: ReconnectPolicy;
  private brokers!: BrokerList;
  /** The url the current attempt opens (a pre-signed url from the credentials, else the broker's). */
  private target = '';
  /** Attempts since {@link open}, and the one whose credentials are awaited (older answers are dropped). */
  private attempts = 0;
  /** Set when the broker refused credentials from the provider: the next attempt asks again at once. */
  private refused = false;
  /** Why the current attempt's WebSocket closed, if it did. */
  private closeReason = '';
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Waits for the answer to a ping sent by {@link wake}. */
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the current connection attempt already reported why it failed. */
  private reported = false;
  /** The urls that were connected once: their failures are outages, not a wrong setup. */
  private worked = new Set<string>();

  constructor(options: ConnectionOptions) {
    this.options = options;
    this.hooks = options.hooks ?? {};
  }

  /** How many status watchers are registered. */
  get statusListenerCount(): number {
    return this.statusListeners.size;
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
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
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
    if (this.status !== 'connected' || this.probeTimer !== undefined) return;
    const answered = () => {
      clearTimeout(this.probeTimer);
      this.probeTimer = undefined;
    };
    client.once('packetreceive', answered);
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      client.off('packetreceive', answered);
      if (client !== this.client || !client.connected) return;
      this.fail(connectionLost(this.brokers.current, `no answer to a ping within ${PROBE_TIMEOUT / 1000} s`));
      client.stream.destroy();
    }, PROBE_TIMEOUT);
    client.sendPing();
  }

  private get protocolVersion(): number | undefined {
    return this.config?.options?.protocolVersion;
  }

  private setStatus(status: ConnectionStatus): void {
    const previous = this.status;
    this.status = status;
    this.notifyStatus(previous);
  }

  private notifyStatus(previous: ConnectionStatus): void {
    const status = this.status;
    if (previous === status) return;
    this.hooks.status?.(status, previous);
    for (const listener of [...this.statusListeners]) listener(status);
  }

  private fail(diagnosis: Diagnosis, cause?: unknown): void {
    this.reported = true;
    this.hooks.error?.(new MqttDiagnosticError(diagnosis, { cause }));
  }

  /**
   * One connection attempt to the current url: asks for credentials (if a source is set), then
   * opens the client, or reconnects it (keeping its stores, so that QoS 1 and 2 messages in flight
   * are sent again) to what the attempt targets.
   */
  private async attempt(reason: MqttCredentialsRequest['reason']): Promise<void> {
    const config = this.config;
    if (!config) return;
    const attempt = ++this.attempts;
    const url = this.brokers.current;
    let credentials: CheckedCredentials = {};
    if (config.credentials) {
      try {
        const timeout = config.options?.connectTimeout ?? 30000;
        credentials = await askCredentials(config.credentials, { url, attempt, reason }, timeout);
      } catch (error) {
        if (attempt !== this.attempts || config !== this.config) return;
        this.fail(error as Diagnosis);
        this.failed();
        return;
      }
      if (attempt !== this.attempts || config !== this.config) return;
    }
    this.closeReason = '';
    const options = clientOptions(config.options, credentials, (_code, reason) => (this.closeReason = reason));
    if (options.password != null && options.username == null) {
      // A setting no retry can fix.
      this.fail(passwordWithoutUsername());
      void this.endClient();
      this.setStatus('disconnected');
      return;
    }
    this.target = credentials.url ?? url;
    const client = this.client;
    if (client) {
      // The next attempt's credentials and url (MQTT.js builds the CONNECT and the WebSocket url anew).
      delete client.options.username;
      delete client.options.password;
      Object.assign(client.options, options);
      client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore });
      return;
    }
    this.reported = false;
    let opened: MqttClient;
    try {
      opened = (this.options.open ?? mqtt.connect)(this.target, { ...options, transformWsUrl: () => this.target });
    } catch (cause) {
      this.fail(connectionFailed(url, (cause as Error).message), cause);
      this.setStatus('disconnected');
      return;
    }
    this.watch(opened);
  }

  private watch(client: MqttClient): void {
    this.client = client;
    client.on('connect', (connack) => this.onConnect(client, connack));
    client.on('close', () => this.onClose(client));
    client.on('error', (error) => this.onError(client, error));
    client.on('disconnect', (packet) => {
      if (client !== this.client) return;
      const reason = packet.reasonCode;
      if (reason) {
        // An accepted connection closed for its credentials (an expired token): ask again at once.
        if (this.config?.credentials && AUTH_REFUSALS.has(reason) && !this.refused) this.refused = true;
        else this.fail(disconnectedByBroker(reason));
      }
      this.hooks.disconnect?.(reason);
    });
    client.on('message', this.options.message);
  }

  private onConnect(client: MqttClient, connack: IConnackPacket): void {
    if (client !== this.client) return;
    this.policy.connected(Date.now());
    this.brokers.connected();
    this.worked.add(this.brokers.current);
    this.reported = false;
    this.refused = false;
    const previous = this.status;
    this.status = 'connected';
    this.options.accepted(client, connack);
    this.notifyStatus(previous);
    this.hooks.connect?.(connack);
  }

  private onError(client: MqttClient, error: Error & { code?: number | string }): void {
    if (client !== this.client) return;
    const url = this.brokers.current;
    if (typeof error.code === 'number' && /refused/i.test(error.message)) {
      this.refusal(error.code, error);
      return;
    }
    this.fail(
      this.status === 'connected'
        ? connectionLost(url, error.message)
        : this.worked.has(url)
          ? reconnectFailed(url, error.message)
          : connectionFailed(url, error.message),
      error
    );
  }

  /**
   * The broker refused the connection with `code` (a CONNACK code). Credentials from the provider
   * are asked for once more, at once; otherwise a code no retry can fix ends the connection.
   */
  private refusal(code: number, cause?: unknown): void {
    if (this.config?.credentials && AUTH_REFUSALS.has(code) && !this.refused) {
      this.refused = true;
      this.reported = true;
      return;
    }
    this.fail(connackRefused(code, this.protocolVersion), cause);
    if (!FINAL_REFUSALS.has(code)) return;
    void this.endClient();
    this.setStatus('disconnected');
  }

  private onClose(client: MqttClient): void {
    if (client !== this.client) return;
    const wasConnected = this.status === 'connected';
    if (!wasConnected && !this.reported && REFUSED_CLOSE.test(this.closeReason)) {
      // Refused without a CONNACK (RabbitMQ's Web MQTT): as "not authorized".
      this.refusal(5, new Error(`WebSocket closed: ${this.closeReason}`));
      if (!this.client) return;
    }
    const url = this.brokers.current;
    // A persistent session (clean=false) keeps its subscriptions on the broker across the break.
    this.options.lost(this.config?.options?.clean === false);
    if (!wasConnected && !this.reported && this.config) {
      const detail = 'the connection closed before the broker accepted it';
      this.fail(
        this.worked.has(url) ? reconnectFailed(url, detail) : connectionFailed(url, detail, this.protocolVersion, true)
      );
    }
    this.reported = false;
    if (wasConnected) {
      this.hooks.disconnect?.();
      if (this.policy.closed(Date.now())) this.fail(connectionFlapping(url, this.policy.flaps));
    }
    if (this.policy.period <= 0) {
      this.setStatus('disconnected');
      void this.endClient();
      return;
    }
    this.setStatus('reconnecting');
    if (this.refused) void this.attempt('refused');
    else this.failed();
  }

  /** The attempt failed, or the connection in use was lost: the next url at once, or a pause after a whole round. */
  private failed(): void {
    if (!this.brokers.failed()) {
      this.setStatus('reconnecting');
      void this.attempt('reconnect');
      return;
    }
    this.setStatus('reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer !== undefined) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.reconnect();
    }, this.policy.nextDelay());
  }

  /** The one place where a waiting attempt starts (on its timer, or woken). */
  private reconnect(): void {
    if (!this.config || this.client?.connected) return;
    void this.attempt('reconnect');
  }

  /** Ends the current client (gracefully when connected); resolves once it has ended. */
  private endClient(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    const client = this.client;
    this.client = undefined;
    this.options.lost(false);
    if (!client) return Promise.resolve();
    if (this.status === 'connected') this.hooks.disconnect?.();
    client.removeAllListeners('message');
    client.on('error', () => {});
    // Ending for good: messages still in flight fail (with a clean session) instead of waiting forever.
    client.options.reconnectPeriod = 0;
    return new Promise((resolve) => client.end(!client.connected, {}, () => resolve()));
  }
}
