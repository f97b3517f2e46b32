import type { IPublishPacket } from 'mqtt';
import type { PayloadType } from './codec.js';

/** MQTT quality of service. */
export type QoS = 0 | 1 | 2;

/** The state of a connection to a broker. */
export type ConnectionStatus = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

/** A received message, as given in event details and the `message` property. */
export interface MqttMessage<T = unknown> {
  /** The topic the message was published to. */
  readonly topic: string;
  /** The raw payload bytes. */
  readonly payload: Uint8Array;
  /** The payload decoded as the subscriber asked (`type`, `path`). */
  readonly value: T;
  /** The values of the filter's named wildcards (`+room` → `params.room`). */
  readonly params: Readonly<Record<string, string>>;
  readonly qos: QoS;
  /** Whether the broker sent it as a retained message. */
  readonly retain: boolean;
  /** MQTT 5 publish properties (user properties, content type, ...). */
  readonly properties?: IPublishPacket['properties'];
  /** `Date.now()` when the message arrived. */
  readonly receivedAt: number;
  /**
   * Set on a message that a `persist` connection remembered from an earlier page load, given before
   * live messages come (elements show it with the `stale` attribute). Absent on live messages.
   */
  readonly remembered?: true;
}

/** An error that says what a beginner can do about it. */
export interface HintedError extends Error {
  readonly hint: string;
  readonly code?: number;
}

/**
 * How a subscriber wants its messages. Subscribers of one filter share one broker subscription, at
 * the highest QoS asked; its MQTT 5 options (`noLocal`, `retainAsPublished`, `retainHandling`) are
 * those of the first subscriber.
 */
export interface SubscribeOptions {
  /** Highest QoS to receive at. Default 0. */
  qos?: QoS;
  /** How to decode the payload. Default `auto`. */
  type?: PayloadType;
  /** A field to extract from a JSON payload: `a.b[0].c`. */
  path?: string;
  /** MQTT 5: do not receive this client's own publishes. */
  noLocal?: boolean;
  /** MQTT 5: keep the retain flag as published. */
  retainAsPublished?: boolean;
  /** MQTT 5: 0 send retained messages on subscribe, 1 only for a new subscription, 2 never. */
  retainHandling?: 0 | 1 | 2;
  /** Called when a filter is refused or a message cannot be decoded as asked. */
  onError?: (error: HintedError) => void;
  /**
   * With a `persist` connection: how many of each topic's last messages to remember across page
   * loads, and to be given (marked `remembered`) before live messages come. Default 0: none.
   */
  remember?: number;
}

/** How to publish. */
export interface PublishOptions {
  qos?: QoS;
  retain?: boolean;
  /** MQTT 5 publish properties. */
  properties?: IPublishPacket['properties'];
  /**
   * Withdraws the publish while the broker does not have it: a queued publish leaves the queue, and
   * a QoS 1 or 2 message not yet acknowledged is taken out of the client's store (no reconnect sends
   * it again). The promise then rejects with the signal's reason. A message the broker acknowledged
   * cannot be called back.
   */
  signal?: AbortSignal;
  /** Called when the message is handed to the client: at once when connected, else on reconnect. */
  onSend?: () => void;
}
