/**
 * mqtt-elements: web components that talk MQTT over WebSocket. Importing this module defines every
 * element (guarded: no throw when they are defined already).
 */
import { defineElements } from './define.js';

export { defineElements, elements } from './define.js';
export { MqttConnection, type MqttWill } from './elements/mqtt-connection.js';
export { MqttLog } from './elements/mqtt-log.js';
export { MqttPublish } from './elements/mqtt-publish.js';
export { MqttSubscribe } from './elements/mqtt-subscribe.js';
export { MqttTree } from './elements/mqtt-tree.js';
export { MqttGauge, type GaugeRating } from './elements/mqtt-gauge.js';
export { MqttValue } from './elements/mqtt-value.js';
export type { ValueLevel } from './controllers/reading-controller.js';
export * from './events.js';
export { mqttContext, type MqttSessionApi } from './context.js';
export type {
  ConnectionStatus,
  HintedError,
  MqttMessage,
  PublishOptions,
  QoS,
  SubscribeOptions,
} from './session/message.js';
export { MqttSession, type SessionConfig, type SessionHooks } from './session/session.js';
export {
  FilterTrie,
  TopicError,
  filterParams,
  matches,
  parseFilter,
  validateTopic,
  type ParsedFilter,
} from './session/topic.js';
export {
  PAYLOAD_TYPES,
  PayloadError,
  decodePayload,
  encodePayload,
  isPayloadType,
  parseBoolean,
  readPath,
  type PayloadType,
} from './session/codec.js';
export { MqttDiagnosticError, checkUrl, connackRefused, type Diagnosis } from './session/diagnostics.js';
export type {
  CredentialsSource,
  MqttCredentials,
  MqttCredentialsProvider,
  MqttCredentialsRequest,
} from './session/credentials.js';

defineElements();
