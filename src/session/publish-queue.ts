import type { MqttClient } from 'mqtt';
import { MqttDiagnosticError } from './diagnostics.js';
import type { PublishOptions } from './message.js';

/** A publish waiting for a connection, with the promise it settles. */
export interface QueuedPublish {
  readonly topic: string;
  readonly payload: string | Uint8Array;
  readonly options: PublishOptions;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** How many QoS 0 publishes wait while offline; older ones are dropped first. */
export const OFFLINE_QOS0_LIMIT = 100;

/**
 * The publishes made while offline, in order. QoS 1 and 2 publishes all wait; of the QoS 0 ones only
 * the newest {@link OFFLINE_QOS0_LIMIT}: an older one is dropped (its promise rejected with a hint).
 * A publish whose `signal` aborts while it waits leaves the queue (rejected with the signal's reason).
 */
export class PublishQueue {
  private readonly items: QueuedPublish[] = [];
  /** The abort listener of each waiting publish that has a signal. */
  private readonly withdrawals = new Map<QueuedPublish, () => void>();

  add(item: QueuedPublish): void {
    this.items.push(item);
    const signal = item.options.signal;
    if (signal) {
      const withdraw = () => this.remove(item) && item.reject(signal.reason as Error);
      this.withdrawals.set(item, withdraw);
      signal.addEventListener('abort', withdraw, { once: true });
    }
    if ((item.options.qos ?? 0) > 0) return;
    const qos0 = this.items.filter((queued) => (queued.options.qos ?? 0) === 0);
    if (qos0.length > OFFLINE_QOS0_LIMIT) {
      const dropped = qos0[0];
      this.remove(dropped);
      dropped.reject(
        new MqttDiagnosticError({
          message: `A QoS 0 message to "${dropped.topic}" was dropped while offline (more than ${OFFLINE_QOS0_LIMIT} waiting).`,
          hint: 'Use qos="1" for messages that must arrive after a reconnect.',
        })
      );
    }
  }

  /** Empties the queue: every waiting publish, oldest first. */
  drain(): QueuedPublish[] {
    for (const item of this.items) this.unwatch(item);
    return this.items.splice(0);
  }

  /** Takes `item` out of the queue; false if it was not waiting. */
  private remove(item: QueuedPublish): boolean {
    const index = this.items.indexOf(item);
    if (index < 0) return false;
    this.items.splice(index, 1);
    this.unwatch(item);
    return true;
  }

  private unwatch(item: QueuedPublish): void {
    const withdraw = this.withdrawals.get(item);
    if (!withdraw) return;
    this.withdrawals.delete(item);
    item.options.signal?.removeEventListener('abort', withdraw);
  }
}

/** Per client, the QoS 1 and 2 publishes it sent that are not settled yet, with their message ids. */
const inFlight = new WeakMap<MqttClient, Map<QueuedPublish, () => number | undefined>>();

/**
 * Hands `item` to the client (telling its `onSend`); its promise settles once the client has accepted
 * it. If its `signal` aborts before then, a QoS 1 or 2 message is taken out of the client's store, so
 * that no reconnect sends it again, and the promise rejects with the signal's reason.
 */
export function sendPublish(client: MqttClient, item: QueuedPublish): void {
  const { qos = 0, retain = false, properties, signal, onSend } = item.options;
  if (signal?.aborted) {
    item.reject(signal.reason as Error);
    return;
  }
  /** The message id, once MQTT.js has stored the message (at once, or after a reconnect's resends). */
  let messageId: number | undefined;
  const withdraw = () => {
    if (messageId !== undefined) client.removeOutgoingMessage(messageId);
  };
  let flights = inFlight.get(client);
  if (qos > 0) {
    if (!flights) inFlight.set(client, (flights = new Map()));
    flights.set(item, () => messageId);
  }
  const cbStorePut = qos > 0 ? () => (messageId = client.getLastMessageId()) : undefined;
  signal?.addEventListener('abort', withdraw, { once: true });
  onSend?.();
  client.publish(item.topic, item.payload as string, { qos, retain, properties, cbStorePut }, (error) => {
    // Settled: the id may now be another message's.
    signal?.removeEventListener('abort', withdraw);
    // Taken from this client to be sent by another (see takeUnsettled): that one settles it.
    if (qos > 0 && !flights!.delete(item)) return;
    if (signal?.aborted) item.reject(signal.reason as Error);
    else if (error) item.reject(error);
    else item.resolve();
  });
}

/**
 * Takes from `client` the QoS 1 and 2 publishes it has not settled (it is being ended before their
 * acknowledgements came), to be sent by another client: `client` will neither send them again nor
 * settle their promises.
 */
export function takeUnsettled(client: MqttClient): QueuedPublish[] {
  const flights = inFlight.get(client);
  if (!flights) return [];
  const items = [...flights.keys()];
  for (const [item, messageId] of [...flights]) {
    flights.delete(item);
    const id = messageId();
    if (id !== undefined) client.removeOutgoingMessage(id);
  }
  return items;
}
