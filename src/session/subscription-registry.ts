import type { IPublishPacket, ISubscriptionGrant, ISubscriptionMap } from 'mqtt';
import { MqttDiagnosticError, subscribeRefused } from './diagnostics.js';
import { deliver, type DecodeMemo, type Listener, type RawMessage } from './deliver.js';
import type { Memory } from './memory.js';
import type { MqttMessage, QoS, SubscribeOptions } from './message.js';
import { parseFilter } from './topic.js';
import { EntryIndex, request, type Entry } from './subscription-entries.js';

/** One flush's changes: at most one SUBSCRIBE and one UNSUBSCRIBE packet. */
export interface SubscriptionBatch {
  readonly subscribe?: ISubscriptionMap;
  readonly unsubscribe?: string[];
}

/**
 * The broker's answer to a batch's SUBSCRIBE: its grants (a QoS of 0x80 or more is a refusal), or an
 * error that refuses every filter of it.
 */
export type SubscribeAnswer = (error: Error | undefined, granted: readonly ISubscriptionGrant[]) => void;

/**
 * Where a registry sends its subscription changes: one connection to a broker. `send` writes the
 * batch's SUBSCRIBE (before its UNSUBSCRIBE) and puts both on the wire now; it calls `answer` when
 * the SUBACK comes, but not when the connection ended before it (the next connection subscribes again).
 */
export interface SubscriptionSink {
  send(batch: SubscriptionBatch, answer: SubscribeAnswer): void;
}

/** How many topics each filter remembers the last message of. */
export const LAST_VALUES_PER_FILTER = 1000;

/**
 * Reference-counted subscriptions: the listeners of each filter, the filters the broker has to be
 * asked for (batched per task), and the dispatch of each message to every matching filter, with a
 * last-value cache. Knows no client: changes go to the {@link SubscriptionSink} of the connection
 * that is up, if any.
 */
export class SubscriptionRegistry {
  /** Every filter held. */
  private readonly entries = new EntryIndex();
  private readonly dirty = new Set<Entry>();
  private flushScheduled = false;
  private held = false;
  /** The connection that is up; undefined while offline. */
  private sink: SubscriptionSink | undefined;
  /** What a `persist` connection remembers across page loads. */
  private memory: Memory | undefined;

  /** How many distinct filters are held. */
  get filterCount(): number {
    return this.entries.size;
  }

  /** How many listeners are registered across all filters. */
  get listenerCount(): number {
    let count = 0;
    for (const entry of this.entries.values()) count += entry.listeners.size;
    return count;
  }

  /**
   * Adds a listener for `filter` (named wildcards allowed). Throws a `TopicError` for an invalid
   * filter. Returns the function that removes it.
   */
  subscribe(filter: string, onMessage: (message: MqttMessage) => void, options: SubscribeOptions = {}): () => void {
    const parsed = parseFilter(filter);
    const listener: Listener = { parsed, onMessage, options, key: `${options.type ?? 'auto'}|${options.path ?? ''}` };
    let entry = this.entries.get(parsed.filter);
    if (!entry) {
      entry = {
        filter: parsed.filter,
        match: parsed.match,
        listeners: new Set(),
        sent: undefined,
        last: new Map(),
        remember: 0,
      };
      this.entries.add(entry);
    }
    entry.listeners.add(listener);
    entry.remember = Math.max(entry.remember, options.remember ?? 0);
    this.markDirty(entry);
    // The broker will not resend what this filter already received: serve it from the cache.
    const cached = entry.sent !== undefined && entry.last.size > 0 ? [...entry.last.values()] : undefined;
    if (cached || (options.remember && this.memory?.loaded)) {
      queueMicrotask(() => {
        if (!entry.listeners.has(listener)) return;
        this.recall(entry, listener);
        if (cached) for (const raw of cached) deliver(listener, raw);
      });
    }
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      entry.listeners.delete(listener);
      if (options.remember) {
        entry.remember = 0;
        for (const other of entry.listeners) entry.remember = Math.max(entry.remember, other.options.remember ?? 0);
      }
      this.markDirty(entry);
    };
  }

  /**
   * Remembers what the listeners that ask for it (`remember`) are given, in `memory` (none: nothing
   * is remembered). Once what it had in storage has come in, every such listener of a topic that
   * has had no live message yet is given it.
   */
  remembers(memory: Memory | undefined): void {
    this.memory = memory;
  }

  /** The memory's stored messages came in: each listener that asks for them and has no live message of their topic gets them. */
  recalled(): void {
    for (const entry of this.entries.values())
      if (entry.remember) for (const listener of entry.listeners) this.recall(entry, listener);
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

  /**
   * A connection is up: its changes go to `sink` from now on. Without a session on the broker
   * (`sessionPresent` false) every filter is asked for again, at once.
   */
  connected(sink: SubscriptionSink, sessionPresent: boolean): void {
    this.sink = sink;
    for (const entry of this.entries.values()) {
      if (!sessionPresent) entry.sent = undefined;
      this.dirty.add(entry);
    }
    this.flush();
  }

  /** Every filter the connection that is up was asked for, as one SUBSCRIBE asks for them again. */
  subscriptions(): ISubscriptionMap {
    const map: ISubscriptionMap = {};
    for (const entry of this.entries.values())
      if (entry.sent !== undefined) map[entry.filter] = request(entry, entry.sent);
    return map;
  }

  /**
   * Another connection takes over from the one that is up (a renewal): it was asked for
   * `subscribed` (made by {@link subscriptions}) and answered `granted`. Changes go to `sink` from
   * now on: what it lacks is asked for, and what nobody holds any longer is unsubscribed.
   */
  moveTo(sink: SubscriptionSink, subscribed: ISubscriptionMap, granted: readonly ISubscriptionGrant[]): void {
    this.sink = sink;
    const has = new Set(granted.filter((grant) => grant.qos < 0x80).map((grant) => grant.topic));
    const orphans = Object.keys(subscribed).filter((filter) => has.has(filter) && !this.entries.has(filter));
    for (const entry of this.entries.values()) {
      entry.sent = has.has(entry.filter) ? subscribed[entry.filter]?.qos : undefined;
      this.dirty.add(entry);
    }
    if (orphans.length > 0) sink.send({ unsubscribe: orphans }, () => {});
    this.flush();
  }

  /** The last payload received on `topic` through any filter, if one is remembered. */
  lastPayload(topic: string): Uint8Array | undefined {
    let payload: Uint8Array | undefined;
    this.entries.match(topic, (entries) => {
      for (const entry of entries) payload ??= entry.last.get(topic)?.payload;
    });
    return payload;
  }

  /**
   * The connection is gone. `kept`: the broker keeps its subscriptions for the next connection (a
   * persistent session); otherwise each filter has to be asked for again.
   */
  disconnected(kept: boolean): void {
    this.sink = undefined;
    if (!kept) for (const entry of this.entries.values()) entry.sent = undefined;
  }

  /**
   * Hands a message to the listeners of every matching filter and remembers it as their last value.
   * A field, so that it can be a client's `message` listener as it is.
   */
  readonly dispatch = (topic: string, payload: Uint8Array, packet: IPublishPacket): void => {
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
    let keep = 0;
    this.entries.match(topic, (entries) => {
      for (const entry of entries) {
        if (entry.remember > keep) keep = entry.remember;
        const last = entry.last;
        // Most recent last (the oldest topic is dropped first); a filter of one topic just replaces it.
        if (last.size > 1) last.delete(topic);
        last.set(topic, raw);
        if (last.size > LAST_VALUES_PER_FILTER) last.delete(last.keys().next().value!);
        for (const listener of entry.listeners) deliver(listener, raw, decoded);
      }
    });
    if (keep > 0) this.memory?.note(topic, raw, keep);
  };

  /** Gives `listener` the remembered messages of the topics its filter has had no live message of. */
  private recall(entry: Entry, listener: Listener): void {
    const count = listener.options.remember;
    if (!count || !this.memory) return;
    for (const messages of this.memory.recall(listener.parsed, count)) {
      if (!entry.last.has(messages[0].topic)) for (const raw of messages) deliver(listener, raw);
    }
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

  private flush(): void {
    if (this.held) return;
    const sink = this.sink;
    const subscriptions: ISubscriptionMap = {};
    const unsubscribe: string[] = [];
    for (const entry of this.dirty) {
      if (entry.listeners.size === 0) {
        if (entry.sent !== undefined) {
          if (!sink) continue;
          unsubscribe.push(entry.filter);
        }
        this.entries.remove(entry);
        continue;
      }
      if (!sink) continue;
      let qos: QoS = 0;
      for (const listener of entry.listeners) qos = Math.max(qos, listener.options.qos ?? 0) as QoS;
      if (entry.sent !== undefined && entry.sent >= qos) continue;
      subscriptions[entry.filter] = request(entry, qos);
      entry.sent = qos;
    }
    // Offline, nothing is sent: the next connect marks every entry dirty again.
    this.dirty.clear();
    if (!sink) return;
    const filters = Object.keys(subscriptions);
    if (filters.length === 0 && unsubscribe.length === 0) return;
    const batch: SubscriptionBatch = {
      subscribe: filters.length > 0 ? subscriptions : undefined,
      unsubscribe: unsubscribe.length > 0 ? unsubscribe : undefined,
    };
    sink.send(batch, (error, granted) => {
      if (error) {
        for (const filter of filters) this.refuse(filter, 0x80, error);
        return;
      }
      for (const grant of granted) {
        if (grant.qos >= 0x80) this.refuse(grant.topic, grant.qos);
      }
    });
  }

  private refuse(filter: string, code: number, cause?: unknown): void {
    const entry = this.entries.get(filter);
    if (!entry) return;
    const error = new MqttDiagnosticError(subscribeRefused(filter, code), { cause });
    for (const listener of entry.listeners) listener.options.onError?.(error);
  }
}
