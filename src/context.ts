import { createContext } from '@lit/context';
import type { ConnectionStatus, MqttMessage, PublishOptions, SubscribeOptions } from './session/message.js';

/**
 * What `<mqtt-connection>` provides to its descendants (and to elements that name it with
 * `connection="id"`): a session over its one MQTT.js client.
 */
export interface MqttSessionApi {
  /** The connection's current status. */
  readonly status: ConnectionStatus;
  /**
   * Adds a listener for a filter (named wildcards allowed). Throws a `TopicError` for an invalid
   * filter. Returns the function that removes it.
   */
  subscribe(filter: string, onMessage: (message: MqttMessage) => void, options?: SubscribeOptions): () => void;
  /** Publishes, or queues until connected; resolves once the client has accepted the message. */
  publish(topic: string, payload: string | Uint8Array, options?: PublishOptions): Promise<void>;
  /** Calls `listener` on every status change. Returns the function that removes it. */
  watchStatus(listener: (status: ConnectionStatus) => void): () => void;
}

/** The `@lit/context` key under which `<mqtt-connection>` provides its {@link MqttSessionApi}. */
export const mqttContext = createContext<MqttSessionApi>(Symbol.for('mqtt-elements.session'));
