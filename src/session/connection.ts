import mqtt from 'mqtt';
import type { IClientOptions, IConnackPacket, IPublishPacket, MqttClient } from 'mqtt';
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
  type Diagnosis,
} from './diagnostics.js';
import type { ConnectionStatus, HintedError } from './message.js';
import { ReconnectPolicy } from './reconnect-policy.js';
import { keepaliveTimer } from './timers.js';

/** What a session reports to its owner (the `<mqtt-connection>` element). */
export interface SessionHooks {
  status?(status: ConnectionStatus, previous: ConnectionStatus): void;
  connect?(connack: IConnackPacket): void;
  disconnect?(reason?: number): void;
  error?(error: HintedError): void;
}

/** Where and how a session connects. */
export interface SessionConfig {
  url: string;
  /** MQTT.js options (reconnecting is done by the session: `reconnectPeriod` is its first delay). */
  options?: IClientOptions;
  /** Longest delay between two reconnect attempts, ms. Default 30000. */
  reconnectMaxPeriod?: number;
}

/** What a connection is built with: the owner's hooks, and what it does with each client. */
export interface ConnectionOptions {
  hooks?: SessionHooks;
  /** Makes the client for a url (and starts connecting it). Default `mqtt.connect`. */
  open?: (url: string, options: IClientOptions) => MqttClient;
  /** Registered as each client's `message` listener, as it is. */
  message(topic: string, payload: Uint8Array, packet: IPublishPacket): void;
  /** The broker accepted `client`: runs before the status listeners and the `connect` hook. */
  accepted(client: MqttClient, connack: IConnackPacket): void;
  /** The connection is gone; `kept`: the broker keeps its subscriptions (a persistent session). */
  lost(kept: boolean): void;
}

/** A reconnect period MQTT.js never reaches (the largest setInterval delay). */
const NEVER = 2 ** 31 - 1;
/** How long a connection whose liveness is in doubt may take to answer a ping, ms. */
const PROBE_TIMEOUT = 3000;
/** CONNACK codes that a retry cannot fix (credentials, authorization, protocol, client id, ban). */
const FINAL_REFUSALS = new Set([1, 2, 4, 5, 0x84, 0x85, 0x86, 0x87, 0x8a, 0x8c]);

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
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Waits for the answer to a ping sent by {@link wake}. */
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the current connection attempt already reported why it failed. */
  private reported = false;
  /** Whether the url in use was connected once: its failures are outages, not a wrong setup. */
  private connectedOnce = false;

  constructor(options: ConnectionOptions) {
    this.options = options;
    this.hooks = options.hooks ?? {};
  }

  /** How many status watchers are registered. */
  get statusListenerCount(): number {
    return this.statusListeners.size;
  }

  /** Connects to `config.url`, ending any previous client. */
  open(config: SessionConfig): void {
    void this.endClient();
    this.config = config;
    this.policy = new ReconnectPolicy({
      period: config.options?.reconnectPeriod ?? 1000,
      max: config.reconnectMaxPeriod ?? 30000,
    });
    const pageProtocol = typeof location === 'undefined' ? undefined : location.protocol;
    this.connectedOnce = false;
    const given = config.options;
    const problem =
      checkUrl(config.url, pageProtocol) ??
      (given?.password != null && given.password !== '' && given.username == null
        ? passwordWithoutUsername()
        : undefined);
    if (problem) {
      this.fail(problem);
      this.setStatus('disconnected');
      return;
    }
    const options: IClientOptions = {
      ...config.options,
      // Reconnects are scheduled here, with back-off. MQTT.js is given a period it never reaches
      // rather than 0: with 0 (and a clean session) it fails the callbacks of QoS 1 and 2 messages
      // in flight on a forced close, although it sends them again after the reconnect.
      reconnectPeriod: NEVER,
      resubscribe: false,
      manualConnect: false,
      timerVariant: config.options?.timerVariant ?? keepaliveTimer,
    };
    // An empty password without a user name is no password (MQTT.js would refuse to connect).
    if (options.password === '' && options.username == null) delete options.password;
    let client: MqttClient;
    try {
      client = (this.options.open ?? mqtt.connect)(config.url, options);
    } catch (cause) {
      this.fail(connectionFailed(config.url, (cause as Error).message), cause);
      this.setStatus('disconnected');
      return;
    }
    this.client = client;
    this.reported = false;
    this.setStatus('connecting');
    client.on('connect', (connack) => this.onConnect(client, connack));
    client.on('close', () => this.onClose(client));
    client.on('error', (error) => this.onError(client, error));
    client.on('disconnect', (packet) => {
      if (client !== this.client) return;
      const reason = packet.reasonCode;
      if (reason) this.fail(disconnectedByBroker(reason));
      this.hooks.disconnect?.(reason);
    });
    client.on('message', this.options.message);
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
      this.reconnect(client);
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
      this.fail(connectionLost(this.config?.url ?? '', `no answer to a ping within ${PROBE_TIMEOUT / 1000} s`));
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

  private onConnect(client: MqttClient, connack: IConnackPacket): void {
    if (client !== this.client) return;
    this.policy.connected(Date.now());
    this.reported = false;
    this.connectedOnce = true;
    const previous = this.status;
    this.status = 'connected';
    this.options.accepted(client, connack);
    this.notifyStatus(previous);
    this.hooks.connect?.(connack);
  }

  private onError(client: MqttClient, error: Error & { code?: number | string }): void {
    if (client !== this.client) return;
    const url = this.config?.url ?? '';
    if (typeof error.code === 'number' && /refused/i.test(error.message)) {
      const diagnosis = connackRefused(error.code, this.protocolVersion);
      this.fail(diagnosis, error);
      if (FINAL_REFUSALS.has(error.code)) {
        void this.endClient();
        this.setStatus('disconnected');
      }
      return;
    }
    this.fail(
      this.status === 'connected'
        ? connectionLost(url, error.message)
        : this.connectedOnce
          ? reconnectFailed(url, error.message)
          : connectionFailed(url, error.message),
      error
    );
  }

  private onClose(client: MqttClient): void {
    if (client !== this.client) return;
    const wasConnected = this.status === 'connected';
    // A persistent session (clean=false) keeps its subscriptions on the broker across the break.
    this.options.lost(this.config?.options?.clean === false);
    if (!wasConnected && !this.reported && this.config) {
      const detail = 'the connection closed before the broker accepted it';
      this.fail(
        this.connectedOnce
          ? reconnectFailed(this.config.url, detail)
          : connectionFailed(this.config.url, detail, this.protocolVersion, true)
      );
    }
    this.reported = false;
    if (wasConnected) {
      this.hooks.disconnect?.();
      if (this.policy.closed(Date.now()) && this.config) {
        this.fail(connectionFlapping(this.config.url, this.policy.flaps));
      }
    }
    if (this.policy.period > 0) {
      this.setStatus('reconnecting');
      this.scheduleReconnect(client);
    } else {
      this.setStatus('disconnected');
      void this.endClient();
    }
  }

  private scheduleReconnect(client: MqttClient): void {
    if (this.reconnectTimer !== undefined) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.reconnect(client);
    }, this.policy.nextDelay());
  }

  /** The one place where a later attempt starts (a hook before each attempt would go here). */
  private reconnect(client: MqttClient): void {
    if (client !== this.client || client.connected) return;
    // Keep the stores, so that QoS 1 and 2 messages in flight are sent again.
    client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore });
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
