import type { ISubscriptionGrant, MqttClient, Packet } from 'mqtt';
import { Connection, type SessionConfig, type SessionHooks } from './connection.js';
import { PROBE_TIMEOUT } from './connection-options.js';
import { retire as retireClient } from './clients.js';
import { Handover } from './handover.js';
import { forgetUrl, Memory } from './memory.js';
import type { ConnectionStatus, MqttMessage, PublishOptions, SubscribeOptions } from './message.js';
import { PublishQueue, sendPublish, takeUnsettled, type QueuedPublish } from './publish-queue.js';
import { SubscriptionRegistry, type SubscriptionSink } from './subscription-registry.js';
import { validateTopic } from './topic.js';

export type { SessionConfig, SessionHooks } from './connection.js';
export { reconnectDelay } from './reconnect-policy.js';

/** How long a renewal's new client may take to answer its SUBSCRIBE, ms. */
const HANDOVER_TIMEOUT = 10000;

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
 * A session over one MQTT.js client: reference-counted, batched subscriptions; each message
 * dispatched to every matching filter; a last-value cache; resubscription after reconnects; a new
 * url moves every subscription to the new broker. DOM-free.
 *
 * It composes three parts: the {@link Connection} (the client's life, reconnects, status), the
 * {@link SubscriptionRegistry} (filters, batching, dispatch) and the {@link PublishQueue} (what is
 * published while offline).
 */
export class MqttSession {
  private readonly registry = new SubscriptionRegistry();
  private readonly queue = new PublishQueue();
  private readonly connection: Connection;
  /** While a renewal moves the message stream to a new client. */
  private handover: Handover | undefined;
  /** With `persist`: what is remembered across page loads for the broker in use. */
  private memory: Memory | undefined;

  constructor(private readonly hooks: SessionHooks = {}) {
    this.connection = new Connection({
      hooks,
      message: (client, topic, payload, packet) => {
        if (this.handover) this.handover.receive(client, topic, payload, packet);
        else if (client === this.connection.client) this.registry.dispatch(topic, payload, packet);
      },
      handover: (old, next, takeOver, abandon) => this.moveTo(old, next, takeOver, abandon),
      accepted: (client, connack) => {
        // Without a session on the broker, every filter is asked for again; then what was queued
        // goes out, before anything that listeners of the status may publish.
        this.registry.connected(this.sink(client), connack.sessionPresent);
        for (const item of this.queue.drain()) sendPublish(client, item);
      },
      lost: (kept) => {
        if (this.handover) this.endHandover(this.handover);
        this.registry.disconnected(kept);
      },
    });
  }

  /** The current MQTT.js client, if a url was opened. */
  get client(): MqttClient | undefined {
    return this.connection.client;
  }

  get status(): ConnectionStatus {
    return this.connection.status;
  }

  /** While connected: the url of the broker in use (without user info). */
  get connectedUrl(): string | undefined {
    return this.connection.connectedUrl;
  }

  /** How many distinct filters are held (for tests and leak checks). */
  get filterCount(): number {
    return this.registry.filterCount;
  }

  /** How many status watchers are registered (for tests and leak checks). */
  get statusListenerCount(): number {
    return this.connection.statusListenerCount;
  }

  /** How many listeners are registered across all filters (for tests and leak checks). */
  get listenerCount(): number {
    return this.registry.listenerCount;
  }

  /**
   * Connects to `config.url`, ending any previous client. Every subscription moves to the new
   * connection; queued publishes wait for it.
   */
  open(config: SessionConfig): void {
    this.connection.open(config);
  }

  /**
   * Ends the client (sending DISCONNECT when connected). Subscriptions stay registered. The
   * DISCONNECT goes on the wire at once: a page, or a SharedWorker whose last tab closed, may not
   * run another task.
   */
  close(): Promise<void> {
    const client = this.connection.client;
    const closed = this.connection.close();
    if (client) sendNow(client);
    return closed;
  }

  /**
   * Adds a listener for `filter` (named wildcards allowed). Throws a `TopicError` for an invalid
   * filter. Returns the function that removes it.
   */
  subscribe(filter: string, onMessage: (message: MqttMessage) => void, options: SubscribeOptions = {}): () => void {
    return this.registry.subscribe(filter, onMessage, options);
  }

  /**
   * Publishes, or queues until connected. Resolves once the client has accepted the message (QoS 0:
   * written; QoS 1 and 2: acknowledged). `options.signal` withdraws it while the broker does not have it.
   */
  publish(topic: string, payload: string | Uint8Array, options: PublishOptions = {}): Promise<void> {
    try {
      validateTopic(topic);
    } catch (error) {
      return Promise.reject(error);
    }
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    return new Promise((resolve, reject) => {
      this.send({ topic, payload, options, resolve, reject });
    });
  }

  /**
   * Remembers the last messages of the listeners that ask for it (`remember`) across page loads,
   * under `key` (the broker's url without user info); `undefined` stops. What was remembered under
   * the key is given to those listeners as soon as storage has it, unless live messages came first.
   */
  persist(key: string | undefined): void {
    if (key === this.memory?.url) return;
    this.memory?.close();
    const memory =
      key === undefined
        ? undefined
        : new Memory(key, {
            loaded: () => {
              if (this.memory === memory) this.registry.recalled();
            },
            failed: (error) => this.hooks.error?.(error),
          });
    this.memory = memory;
    this.registry.remembers(memory);
  }

  /** Takes what waits to be published, to publish it through another session. */
  takeQueued(): QueuedPublish[] {
    return this.queue.drain();
  }

  /** Writes what is remembered now (the page is being hidden or closed). */
  keep(): void {
    void this.memory?.write();
  }

  /** Forgets what is remembered under `key` (by default the one in use), here and in storage. */
  forget(key = this.memory?.url): Promise<void> {
    if (key === undefined) return Promise.resolve();
    return key === this.memory?.url ? this.memory.forget() : forgetUrl(key);
  }

  /** Calls `listener` on every status change. Returns the function that removes it. */
  watchStatus(listener: (status: ConnectionStatus) => void): () => void {
    return this.connection.watchStatus(listener);
  }

  /**
   * The network came back or the page became visible again: a waiting reconnect is tried now, and a
   * connection that looks up is pinged (and dropped when no answer comes within 3 s).
   */
  wake(): void {
    this.connection.wake();
  }

  /**
   * While held, subscription changes wait: the connection's element is out of the page (moving, or
   * going away with the elements inside it). A persistent session (`clean: false`) must then keep
   * its filters at the broker rather than unsubscribe them one by one as its elements leave.
   */
  hold(held: boolean): void {
    this.registry.hold(held);
  }

  /**
   * A renewal: `next` subscribes to every filter `old` has; once it has, it takes over (publishes
   * go to it) and `old` unsubscribes. After `old`'s UNSUBACK, and a ping answered by `next` (for
   * what the broker sent `next` before that UNSUBACK), the messages `next` had meanwhile are
   * delivered without those `old` delivered too (see {@link Handover}). `old` ends once what it sent
   * is acknowledged; what it could not settle is sent again by the client in use.
   */
  private moveTo(old: MqttClient, next: MqttClient, takeOver: () => void, abandon: (cause: Error) => void): void {
    const subscribed = this.registry.subscriptions();
    const filters = Object.keys(subscribed);
    const handover = new Handover(old, next, this.registry.dispatch, (topic) => this.registry.lastPayload(topic));
    this.handover = handover;
    let retired = false;
    const retire = () => {
      if (retired) return;
      retired = true;
      retireClient(old, () => {
        for (const item of takeUnsettled(old)) this.send(item);
      });
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      clearTimeout(timer);
      retire();
      next.off('packetreceive', answered);
      this.endHandover(handover);
    };
    const answered = (packet: Packet) => packet.cmd === 'pingresp' && finish();
    const unsubscribed = () => {
      retire();
      if (this.handover !== handover) return;
      next.on('packetreceive', answered);
      next.sendPing();
      sendNow(next);
    };
    const moved = (granted: readonly ISubscriptionGrant[]) => {
      takeOver();
      this.registry.moveTo(this.sink(next), subscribed, granted);
      if (filters.length === 0 || !old.connected) return finish();
      timer = setTimeout(finish, PROBE_TIMEOUT);
      old.unsubscribe(filters, unsubscribed);
      sendNow(old);
    };
    if (filters.length === 0) return moved([]);
    // A SUBACK that never comes on a live connection: the renewal is abandoned, the old client stays.
    timer = setTimeout(() => {
      if (this.handover !== handover) return;
      this.handover = undefined;
      abandon(new Error(`no SUBACK within ${HANDOVER_TIMEOUT / 1000} s`));
    }, HANDOVER_TIMEOUT);
    next.subscribe(subscribed, (error, granted) => {
      if (this.handover !== handover) return;
      clearTimeout(timer);
      if (error) {
        this.handover = undefined;
        abandon(error);
      } else moved(granted ?? []);
    });
    sendNow(next);
  }

  /** Delivers what `handover` held, if it is the handover under way. */
  private endHandover(handover: Handover): void {
    if (this.handover !== handover) return;
    this.handover = undefined;
    handover.finish();
  }

  /** Sends `item` with the client in use, or queues it while offline. */
  private send(item: QueuedPublish): void {
    const client = this.connection.client;
    if (client && this.connection.status === 'connected') sendPublish(client, item);
    else this.queue.add(item);
  }

  /** The registry's way to `client`: answers of a client that was replaced, or that broke first, are dropped. */
  private sink(client: MqttClient): SubscriptionSink {
    return {
      send: ({ subscribe, unsubscribe }, answer) => {
        if (subscribe) {
          client.subscribe(subscribe, (error, granted) => {
            if (client !== this.connection.client) return;
            // A connection that broke before the SUBACK is no refusal: the reconnect subscribes again.
            if (error && !client.connected) return;
            answer(error ?? undefined, granted ?? []);
          });
        }
        if (unsubscribe) client.unsubscribe(unsubscribe);
        sendNow(client);
      },
    };
  }
}
