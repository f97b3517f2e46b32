import mqtt from 'mqtt';
import type { IClientOptions, IConnackPacket, IPublishPacket, ISubscriptionMap, MqttClient } from 'mqtt';
import { decodePayload, PayloadError } from './codec.js';
import {
  checkUrl,
  connackRefused,
  connectionFailed,
  connectionFlapping,
  connectionLost,
  disconnectedByBroker,
  MqttDiagnosticError,
  subscribeRefused,
  type Diagnosis,
} from './diagnostics.js';
import type { ConnectionStatus, HintedError, MqttMessage, PublishOptions, QoS, SubscribeOptions } from './message.js';
import { keepaliveTimer } from './timers.js';
import { FilterTrie, filterParams, parseFilter, validateTopic, type ParsedFilter } from './topic.js';

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

interface Listener {
  readonly parsed: ParsedFilter;
  readonly onMessage: (message: MqttMessage) => void;
  readonly options: SubscribeOptions;
}

interface Entry {
  /** The filter the broker is sent. */
  readonly filter: string;
  /** The filter topics are matched against (without a `$share/group/` prefix). */
  readonly match: string;
  readonly listeners: Set<Listener>;
  /** The QoS the broker was asked for on this connection; undefined: not subscribed there. */
  sent: QoS | undefined;
  /** The last message per topic received through this filter. */
  readonly last: Map<string, RawMessage>;
}

interface RawMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly properties?: IPublishPacket['properties'];
  readonly receivedAt: number;
}

interface Decoded {
  readonly value: unknown;
  readonly error?: PayloadError;
}

/** The decodings of one message: the first (type, path) asked for, and any others. */
interface DecodeMemo {
  key?: string;
  result?: Decoded;
  others?: Map<string, Decoded>;
}

interface QueuedPublish {
  readonly topic: string;
  readonly payload: string | Uint8Array;
  readonly options: PublishOptions;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** A reconnect period MQTT.js never reaches (the largest setInterval delay). */
const NEVER = 2 ** 31 - 1;
/** How long a connection whose liveness is in doubt may take to answer a ping, ms. */
const PROBE_TIMEOUT = 3000;
/** How many topics each filter remembers the last message of. */
const LAST_VALUES_PER_FILTER = 1000;
/** How many QoS 0 publishes wait while offline; older ones are dropped first. */
const OFFLINE_QOS0_LIMIT = 100;
/** CONNACK codes that a retry cannot fix (credentials, authorization, protocol, client id, ban). */
const FINAL_REFUSALS = new Set([1, 2, 4, 5, 0x84, 0x85, 0x86, 0x87, 0x8a, 0x8c]);

/**
 * Puts what the client wrote on the wire now. MQTT.js corks its stream for every packet until
 * `process.nextTick`, which its browser build runs as a timer task: after the page's next frame,
 * whose style and layout of many new elements can take longer than the packet's round trip.
 * Uncorking early only sends sooner; the client's own uncork then finds nothing left to do.
 */
function sendNow(client: MqttClient): void {
  const stream = client.stream as { writableCorked?: number; uncork?: () => void } | undefined;
  for (let corked = stream?.uncork ? (stream.writableCorked ?? 0) : 0; corked > 0; corked--) stream!.uncork!();
}

/**
 * The delay before reconnect attempt `attempt` (0 for the first): exponential back-off from `period`
 * up to `max`, with "equal jitter" (a random delay between half the ceiling and the ceiling), so that
 * many pages that lost the same broker do not all come back at the same moment.
 */
export function reconnectDelay(
  attempt: number,
  period: number,
  max: number,
  random: () => number = Math.random
): number {
  const ceiling = Math.min(Math.max(period, Number.isFinite(max) ? max : period), period * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * A session over one MQTT.js client: reference-counted, batched subscriptions; each message
 * dispatched to every matching filter; a last-value cache; resubscription after reconnects; a new
 * url moves every subscription to the new broker. DOM-free.
 */
export class MqttSession {
  /** The current MQTT.js client, if a url was opened. */
  client: MqttClient | undefined;
  status: ConnectionStatus = 'disconnected';

  /** Every filter held, by the filter the broker is sent. */
  private readonly entries = new Map<string, Entry>();
  /** The same entries by the filter that topics are matched against (a shared subscription's differs). */
  private readonly trie = new FilterTrie<Entry[]>();
  private readonly dirty = new Set<Entry>();
  private flushScheduled = false;
  private held = false;
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private readonly queue: QueuedPublish[] = [];
  private config: SessionConfig | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Waits for the answer to a ping sent by {@link wake}. */
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  /** When the current connection was accepted. */
  private connectedAt = 0;
  /** Connections in a row that the broker closed before they became stable. */
  private flaps = 0;
  /** Whether the current connection attempt already reported why it failed. */
  private reported = false;

  constructor(private readonly hooks: SessionHooks = {}) {}

  private get protocolVersion(): number | undefined {
    return this.config?.options?.protocolVersion;
  }

  /** How many distinct filters are held (for tests and leak checks). */
  get filterCount(): number {
    return this.entries.size;
  }

  /** How many status watchers are registered (for tests and leak checks). */
  get statusListenerCount(): number {
    return this.statusListeners.size;
  }

  /** How many listeners are registered across all filters (for tests and leak checks). */
  get listenerCount(): number {
    let count = 0;
    for (const entry of this.entries.values()) count += entry.listeners.size;
    return count;
  }

  /**
   * Connects to `config.url`, ending any previous client. Every subscription moves to the new
   * connection; queued publishes wait for it.
   */
  open(config: SessionConfig): void {
    void this.endClient();
    this.config = config;
    this.attempts = 0;
    this.flaps = 0;
    const pageProtocol = typeof location === 'undefined' ? undefined : location.protocol;
    const problem = checkUrl(config.url, pageProtocol);
    if (problem) {
      this.fail(problem);
      this.setStatus('disconnected');
      return;
    }
    const options: IClientOptions = {
      ...config.options,
      // The session schedules reconnects itself, with back-off. MQTT.js is given a period it never
      // reaches rather than 0: with 0 (and a clean session) it fails the callbacks of QoS 1 and 2
      // messages in flight on a forced close, although it sends them again after the reconnect.
      reconnectPeriod: NEVER,
      resubscribe: false,
      manualConnect: false,
      timerVariant: config.options?.timerVariant ?? keepaliveTimer,
    };
    let client: MqttClient;
    try {
      client = mqtt.connect(config.url, options);
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
    client.on('message', (topic, payload, packet) => this.dispatch(topic, payload, packet));
  }

  /** Ends the client (sending DISCONNECT when connected). Subscriptions stay registered. */
  async close(): Promise<void> {
    const ended = this.endClient();
    this.config = undefined;
    this.setStatus('disconnected');
    await ended;
  }

  /**
   * Adds a listener for `filter` (named wildcards allowed). Throws a `TopicError` for an invalid
   * filter. Returns the function that removes it.
   */
  subscribe(filter: string, onMessage: (message: MqttMessage) => void, options: SubscribeOptions = {}): () => void {
    const parsed = parseFilter(filter);
    const listener: Listener = { parsed, onMessage, options };
    let entry = this.entries.get(parsed.filter);
    if (!entry) {
      entry = { filter: parsed.filter, match: parsed.match, listeners: new Set(), sent: undefined, last: new Map() };
      this.addEntry(entry);
    }
    entry.listeners.add(listener);
    this.markDirty(entry);
    if (entry.sent !== undefined && entry.last.size > 0) {
      // The broker will not resend what this filter already received: serve it from the cache.
      const cached = [...entry.last.values()];
      queueMicrotask(() => {
        if (entry.listeners.has(listener)) for (const raw of cached) this.deliver(listener, raw);
      });
    }
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      entry.listeners.delete(listener);
      this.markDirty(entry);
    };
  }

  /**
   * Publishes, or queues until connected. Resolves once the client has accepted the message (QoS 0:
   * written; QoS 1 and 2: acknowledged).
   */
  publish(topic: string, payload: string | Uint8Array, options: PublishOptions = {}): Promise<void> {
    try {
      validateTopic(topic);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const item: QueuedPublish = { topic, payload, options, resolve, reject };
      if (this.client && this.status === 'connected') this.send(this.client, item);
      else this.enqueue(item);
    });
  }

  /** Calls `listener` on every status change. Returns the function that removes it. */
  watchStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private enqueue(item: QueuedPublish): void {
    this.queue.push(item);
    if ((item.options.qos ?? 0) > 0) return;
    const qos0 = this.queue.filter((queued) => (queued.options.qos ?? 0) === 0);
    if (qos0.length > OFFLINE_QOS0_LIMIT) {
      const dropped = qos0[0];
      this.queue.splice(this.queue.indexOf(dropped), 1);
      dropped.reject(
        new MqttDiagnosticError({
          message: `A QoS 0 message to "${dropped.topic}" was dropped while offline (more than ${OFFLINE_QOS0_LIMIT} waiting).`,
          hint: 'Use qos="1" for messages that must arrive after a reconnect.',
        })
      );
    }
  }

  private send(client: MqttClient, item: QueuedPublish): void {
    const { qos = 0, retain = false, properties } = item.options;
    client.publish(item.topic, item.payload as string, { qos, retain, properties }, (error) => {
      if (error) item.reject(error);
      else item.resolve();
    });
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
    this.connectedAt = Date.now();
    this.reported = false;
    const previous = this.status;
    this.status = 'connected';
    // Without a session on the broker, every filter has to be asked for again.
    for (const entry of this.entries.values()) {
      if (!connack.sessionPresent) entry.sent = undefined;
      this.dirty.add(entry);
    }
    this.flush();
    // What was queued goes out before anything that listeners of the status may publish.
    for (const item of this.queue.splice(0)) this.send(client, item);
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
      this.status === 'connected' ? connectionLost(url, error.message) : connectionFailed(url, error.message),
      error
    );
  }

  private onClose(client: MqttClient): void {
    if (client !== this.client) return;
    const wasConnected = this.status === 'connected';
    // A persistent session (clean=false) keeps its subscriptions on the broker across the break.
    if (this.config?.options?.clean !== false) for (const entry of this.entries.values()) entry.sent = undefined;
    if (!wasConnected && !this.reported && this.config) {
      this.fail(
        connectionFailed(
          this.config.url,
          'the connection closed before the broker accepted it',
          this.protocolVersion,
          true
        )
      );
    }
    this.reported = false;
    if (wasConnected) {
      this.hooks.disconnect?.();
      this.countFlaps();
    }
    const period = this.config?.options?.reconnectPeriod ?? 1000;
    if (period > 0) {
      this.setStatus('reconnecting');
      this.scheduleReconnect(client, period);
    } else {
      this.setStatus('disconnected');
      void this.endClient();
    }
  }

  /**
   * The back-off starts again once a connection has stayed up for a while (the shorter of
   * `reconnectMaxPeriod` and 10 s), not on every accepted connection: a broker that closes each new
   * connection at once (two pages with the same client id push each other out) must not be retried
   * at the shortest period forever. A third such connection in a row is reported.
   */
  private countFlaps(): void {
    const stableAfter = Math.min(this.config?.reconnectMaxPeriod ?? 30000, 10000);
    if (Date.now() - this.connectedAt >= stableAfter) {
      this.attempts = 0;
      this.flaps = 0;
      return;
    }
    if (++this.flaps === 3 && this.config) this.fail(connectionFlapping(this.config.url, this.flaps));
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

  private scheduleReconnect(client: MqttClient, period: number): void {
    if (this.reconnectTimer !== undefined) return;
    const delay = reconnectDelay(this.attempts++, period, this.config?.reconnectMaxPeriod ?? 30000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.reconnect(client);
    }, delay);
  }

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
    for (const entry of this.entries.values()) entry.sent = undefined;
    if (!client) return Promise.resolve();
    if (this.status === 'connected') this.hooks.disconnect?.();
    client.removeAllListeners('message');
    client.on('error', () => {});
    // Ending for good: messages still in flight fail (with a clean session) instead of waiting forever.
    client.options.reconnectPeriod = 0;
    return new Promise((resolve) => client.end(!client.connected, {}, () => resolve()));
  }

  private markDirty(entry: Entry): void {
    this.dirty.add(entry);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Everything asked for until the microtasks run goes out in one SUBSCRIBE and one UNSUBSCRIBE
    // packet: elements added together subscribe as they connect, and the packet leaves before they
    // render.
    queueMicrotask(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /**
   * While held, subscription changes wait: the connection's element is out of the page (moving, or
   * going away with the elements inside it). A persistent session (`clean: false`) must then keep
   * its filters at the broker rather than unsubscribe them one by one as its elements leave.
   */
  hold(held: boolean): void {
    if (held === this.held) return;
    this.held = held;
    if (!held && this.dirty.size > 0) this.scheduleFlush();
  }

  private flush(): void {
    if (this.held) return;
    const client = this.client;
    const connected = client !== undefined && this.status === 'connected';
    const subscriptions: ISubscriptionMap = {};
    const unsubscribe: string[] = [];
    for (const entry of this.dirty) {
      if (entry.listeners.size === 0) {
        if (entry.sent !== undefined) {
          if (!connected) continue;
          unsubscribe.push(entry.filter);
        }
        this.removeEntry(entry);
        continue;
      }
      if (!connected) continue;
      let qos: QoS = 0;
      for (const listener of entry.listeners) qos = Math.max(qos, listener.options.qos ?? 0) as QoS;
      if (entry.sent !== undefined && entry.sent >= qos) continue;
      const first = entry.listeners.values().next().value!.options;
      subscriptions[entry.filter] = {
        qos,
        nl: first.noLocal ?? false,
        rap: first.retainAsPublished ?? false,
        rh: first.retainHandling ?? 0,
      };
      entry.sent = qos;
    }
    // Offline, nothing is sent: the next connect marks every entry dirty again.
    this.dirty.clear();
    if (!connected) return;
    const filters = Object.keys(subscriptions);
    if (filters.length > 0) {
      client.subscribe(subscriptions, (error, granted) => {
        if (client !== this.client) return;
        if (error) {
          // A connection that broke before the SUBACK is no refusal: the reconnect subscribes again.
          if (!client.connected) return;
          for (const filter of filters) this.refuse(filter, 0x80, error);
          return;
        }
        for (const grant of granted ?? []) {
          if (grant.qos >= 0x80) this.refuse(grant.topic, grant.qos);
        }
      });
    }
    if (unsubscribe.length > 0) client.unsubscribe(unsubscribe);
    if (filters.length > 0 || unsubscribe.length > 0) sendNow(client);
  }

  private addEntry(entry: Entry): void {
    this.entries.set(entry.filter, entry);
    const same = this.trie.get(entry.match);
    if (same) same.push(entry);
    else this.trie.set(entry.match, [entry]);
  }

  private removeEntry(entry: Entry): void {
    this.entries.delete(entry.filter);
    const same = this.trie.get(entry.match) ?? [];
    const rest = same.filter((other) => other !== entry);
    if (rest.length > 0) this.trie.set(entry.match, rest);
    else this.trie.delete(entry.match);
  }

  private refuse(filter: string, code: number, cause?: unknown): void {
    const entry = this.entries.get(filter);
    if (!entry) return;
    const error = new MqttDiagnosticError(subscribeRefused(filter, code), { cause });
    for (const listener of entry.listeners) listener.options.onError?.(error);
  }

  private dispatch(topic: string, payload: Uint8Array, packet: IPublishPacket): void {
    const raw: RawMessage = {
      topic,
      payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
      qos: packet.qos,
      retain: packet.retain,
      properties: packet.properties,
      receivedAt: Date.now(),
    };
    // Decode once per message for each (type, path) that its listeners ask for; the map is only
    // made when a second listener needs it.
    const decoded: DecodeMemo = {};
    this.trie.match(topic, (entries) => {
      for (const entry of entries) {
        const last = entry.last;
        last.delete(topic);
        last.set(topic, raw);
        if (last.size > LAST_VALUES_PER_FILTER) last.delete(last.keys().next().value!);
        for (const listener of entry.listeners) this.deliver(listener, raw, decoded);
      }
    });
  }

  /**
   * Hands `raw` to one listener, decoded as it asks. A payload that cannot be decoded is still
   * delivered (with `value` undefined), after an error that says why.
   */
  private deliver(listener: Listener, raw: RawMessage, memo: DecodeMemo = {}): void {
    const { type = 'auto', path = '', onError } = listener.options;
    const key = `${type}|${path}`;
    let result = memo.key === key ? memo.result : memo.others?.get(key);
    if (!result) {
      try {
        result = { value: decodePayload(raw.payload, type, path) };
      } catch (error) {
        if (!(error instanceof PayloadError)) throw error;
        result = { value: undefined, error };
      }
      if (memo.key === undefined) {
        memo.key = key;
        memo.result = result;
      } else {
        (memo.others ??= new Map()).set(key, result);
      }
    }
    if (result.error) onError?.(result.error);
    const value = result.value;
    const message: MqttMessage = {
      topic: raw.topic,
      payload: raw.payload,
      value,
      params: filterParams(listener.parsed, raw.topic),
      qos: raw.qos,
      retain: raw.retain,
      properties: raw.properties,
      receivedAt: raw.receivedAt,
    };
    try {
      listener.onMessage(message);
    } catch (error) {
      console.error('mqtt-elements: a message listener threw', error);
    }
  }
}
