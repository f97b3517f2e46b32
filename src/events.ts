import type { IConnackPacket, IPublishPacket } from 'mqtt';
import type { ConnectionStatus, MqttMessage, QoS } from './session/message.js';

// Every event of the kit bubbles and leaves shadow roots (`bubbles` and `composed`, written out in
// each: no object spread per event, of which one fires for every message).

/** Detail of `mqtt-status`. */
export interface MqttStatusDetail {
  readonly status: ConnectionStatus;
  readonly previous: ConnectionStatus;
}

/** `mqtt-status`: the connection's status changed. */
export class MqttStatusEvent extends CustomEvent<MqttStatusDetail> {
  static readonly eventName = 'mqtt-status';
  constructor(detail: MqttStatusDetail) {
    super(MqttStatusEvent.eventName, { bubbles: true, composed: true, detail });
  }
}

/** Detail of `mqtt-connect`. */
export interface MqttConnectDetail {
  /** The broker's CONNACK packet. */
  readonly connack: IConnackPacket;
}

/** `mqtt-connect`: connected to the broker (also after each reconnect). */
export class MqttConnectEvent extends CustomEvent<MqttConnectDetail> {
  static readonly eventName = 'mqtt-connect';
  constructor(detail: MqttConnectDetail) {
    super(MqttConnectEvent.eventName, { bubbles: true, composed: true, detail });
  }
}

/** Detail of `mqtt-disconnect`. */
export interface MqttDisconnectDetail {
  /** The MQTT 5 reason code of a DISCONNECT sent by the broker, if any. */
  readonly reason?: number;
}

/** `mqtt-disconnect`: the connection was lost or closed. */
export class MqttDisconnectEvent extends CustomEvent<MqttDisconnectDetail> {
  static readonly eventName = 'mqtt-disconnect';
  constructor(detail: MqttDisconnectDetail = {}) {
    super(MqttDisconnectEvent.eventName, { bubbles: true, composed: true, detail });
  }
}

/** Detail of `mqtt-error`. */
export interface MqttErrorDetail {
  readonly error: Error;
  /** A CONNACK or SUBACK code, when the broker refused. */
  readonly code?: number;
  /** A sentence a beginner can act on. */
  readonly hint: string;
}

/** `mqtt-error`: something failed; `detail.hint` says what to check. The element keeps working. */
export class MqttErrorEvent extends CustomEvent<MqttErrorDetail> {
  static readonly eventName = 'mqtt-error';
  constructor(detail: MqttErrorDetail) {
    super(MqttErrorEvent.eventName, { bubbles: true, composed: true, detail });
  }
}

/** `mqtt-message`: a message arrived; `detail` is the {@link MqttMessage}. */
export class MqttMessageEvent<T = unknown> extends CustomEvent<MqttMessage<T>> {
  static readonly eventName = 'mqtt-message';
  constructor(detail: MqttMessage<T>) {
    super(MqttMessageEvent.eventName, { bubbles: true, composed: true, detail });
  }
}

/** Detail of `mqtt-publish`. */
export interface MqttPublishDetail {
  readonly topic: string;
  readonly payload: string | Uint8Array;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly properties?: IPublishPacket['properties'];
}

/** `mqtt-publish`: the client accepted a message this element published. */
export class MqttPublishEvent extends CustomEvent<MqttPublishDetail> {
  static readonly eventName = 'mqtt-publish';
  constructor(detail: MqttPublishDetail) {
    super(MqttPublishEvent.eventName, { bubbles: true, composed: true, detail });
  }
}

/** Detail of `mqtt-select`. */
export interface MqttSelectDetail {
  /** The topic selected (a level of the tree: it may have no message of its own). */
  readonly topic: string;
  /** The last message on exactly that topic, if one came. */
  readonly message?: MqttMessage;
}

/** `mqtt-select`: the user selected a topic in an `<mqtt-tree>`. */
export class MqttSelectEvent extends CustomEvent<MqttSelectDetail> {
  static readonly eventName = 'mqtt-select';
  constructor(detail: MqttSelectDetail) {
    super(MqttSelectEvent.eventName, { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    'mqtt-status': MqttStatusEvent;
    'mqtt-connect': MqttConnectEvent;
    'mqtt-disconnect': MqttDisconnectEvent;
    'mqtt-error': MqttErrorEvent;
    'mqtt-message': MqttMessageEvent;
    'mqtt-publish': MqttPublishEvent;
    'mqtt-select': MqttSelectEvent;
  }
}
