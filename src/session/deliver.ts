import type { IPublishPacket } from 'mqtt';
import { decodePayload, PayloadError } from './codec.js';
import type { MqttMessage, QoS, SubscribeOptions } from './message.js';
import { filterParams, type ParsedFilter } from './topic.js';

/** One `subscribe()` call: what it listens to and how it wants values decoded. */
export interface Listener {
  readonly parsed: ParsedFilter;
  readonly onMessage: (message: MqttMessage) => void;
  readonly options: SubscribeOptions;
  /** How it decodes (`type|path`): listeners with the same key share one decoding of a message. */
  readonly key: string;
}

/** A message as received, shared by every listener it is delivered to. */
export interface RawMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly properties?: IPublishPacket['properties'];
  readonly receivedAt: number;
  /** From a `persist` connection's memory of an earlier page load, not from the broker now. */
  readonly remembered?: true;
}

interface Decoded {
  readonly value: unknown;
  readonly error?: PayloadError;
}

/** The decodings of one message: the first (type, path) asked for, and any others. */
export interface DecodeMemo {
  key?: string;
  result?: Decoded;
  others?: Map<string, Decoded>;
}

/**
 * Hands `raw` to one listener, decoded as it asks. A payload that cannot be decoded is still
 * delivered (with `value` undefined), after an error that says why.
 */
export function deliver(listener: Listener, raw: RawMessage, memo: DecodeMemo = {}): void {
  const { type = 'auto', path = '', onError } = listener.options;
  const key = listener.key;
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
  // Only on remembered messages: the live ones keep their shape.
  if (raw.remembered) (message as { remembered?: true }).remembered = true;
  try {
    listener.onMessage(message);
  } catch (error) {
    console.error('mqtt-elements: a message listener threw', error);
  }
}
