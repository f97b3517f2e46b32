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
 */
export class PublishQueue {
  private readonly items: QueuedPublish[] = [];

  add(item: QueuedPublish): void {
    this.items.push(item);
    if ((item.options.qos ?? 0) > 0) return;
    const qos0 = this.items.filter((queued) => (queued.options.qos ?? 0) === 0);
    if (qos0.length > OFFLINE_QOS0_LIMIT) {
      const dropped = qos0[0];
      this.items.splice(this.items.indexOf(dropped), 1);
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
    return this.items.splice(0);
  }
}

/** Hands `item` to the client; its promise settles once the client has accepted it. */
export function sendPublish(client: MqttClient, item: QueuedPublish): void {
  const { qos = 0, retain = false, properties } = item.options;
  client.publish(item.topic, item.payload as string, { qos, retain, properties }, (error) => {
    if (error) item.reject(error);
    else item.resolve();
  });
}
