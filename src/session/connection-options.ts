/** What a connection is configured with, tells its owner, and gives MQTT.js for each attempt. */
import type { IClientOptions, IConnackPacket, IPublishPacket, MqttClient } from 'mqtt';
import type { CheckedCredentials, CredentialsSource } from './credentials.js';
import type { ConnectionStatus, HintedError } from './message.js';
import { keepaliveTimer } from './timers.js';

/** What a session reports to its owner (the `<mqtt-connection>` element). */
export interface SessionHooks {
  status?(status: ConnectionStatus, previous: ConnectionStatus): void;
  connect?(connack: IConnackPacket): void;
  disconnect?(reason?: number): void;
  error?(error: HintedError): void;
}

/** Where and how a session connects. */
export interface SessionConfig {
  /** The broker url, or several (the nodes of a cluster) separated by whitespace. */
  url: string;
  /** With several urls: start at a random one. */
  shuffle?: boolean;
  /** Asked before every attempt for fresh credentials: a function, or a url answering JSON. */
  credentials?: CredentialsSource;
  /** MQTT.js options (reconnecting is done by the session: `reconnectPeriod` is its first delay). */
  options?: IClientOptions;
  /** Longest delay between two reconnect attempts, ms. Default 30000. */
  reconnectMaxPeriod?: number;
}

/** What a connection is built with: the owner's hooks, and what it does with each client. */
export interface ConnectionOptions {
  hooks?: SessionHooks;
  /** Makes the client for a url (and starts connecting it). Default `mqtt.connect`. */
  open?: (url: string, options: IClientOptions) => MqttClient;
  /** Every message of every client, with the client it came from. */
  message(client: MqttClient, topic: string, payload: Uint8Array, packet: IPublishPacket): void;
  /** The broker accepted `client`: runs before the status listeners and the `connect` hook. */
  accepted(client: MqttClient, connack: IConnackPacket): void;
  /** The connection is gone; `kept`: the broker keeps its subscriptions (a persistent session). */
  lost(kept: boolean): void;
  /**
   * A renewal's client `next` was accepted beside `old`, the client in use: move the subscriptions
   * to it, then call `takeOver` (from then on `next` is in use, and `old` is the owner's to
   * `retire` (clients.ts)), or `abandon` if `next` cannot take over.
   */
  handover(old: MqttClient, next: MqttClient, takeOver: () => void, abandon: (cause: Error) => void): void;
}

/** A reconnect period MQTT.js never reaches (the largest setInterval delay). */
const NEVER = 2 ** 31 - 1;
/** How long a connection whose liveness is in doubt may take to answer a ping, ms. */
export const PROBE_TIMEOUT = 3000;
/** A WebSocket close reason that refuses credentials (RabbitMQ's Web MQTT: "unauthenticated"). */
export const REFUSED_CLOSE = /unauthenticated|unauthori[sz]ed|not authori[sz]ed|bad user/i;
/** CONNACK and DISCONNECT codes that refuse credentials (bad user name or password, not authorized). */
export const AUTH_REFUSALS = new Set([4, 5, 0x86, 0x87]);
/** CONNACK codes that a retry cannot fix (credentials, authorization, protocol, client id, ban). */
export const FINAL_REFUSALS = new Set([1, 2, 4, 5, 0x84, 0x85, 0x86, 0x87, 0x8a, 0x8c]);

/** The MQTT.js options of one attempt: the session's, with the attempt's credentials. */
export function clientOptions(
  given: IClientOptions | undefined,
  credentials: CheckedCredentials,
  socketClosed: (code: number, reason: string) => void
): IClientOptions {
  const options: IClientOptions = {
    // The WebSocket's close reason says what MQTT cannot: RabbitMQ refuses a wrong password by
    // closing it ("unauthenticated"), with no CONNACK.
    createWebsocket: (url: string, protocols: string[]) => {
      const socket = new WebSocket(url, protocols);
      socket.addEventListener('close', (event) => socketClosed(event.code, event.reason));
      return socket;
    },
    ...given,
    // Reconnects are scheduled here, with back-off. MQTT.js is given a period it never reaches
    // rather than 0: with 0 (and a clean session) it fails the callbacks of QoS 1 and 2 messages
    // in flight on a forced close, although it sends them again after the reconnect.
    reconnectPeriod: NEVER,
    resubscribe: false,
    manualConnect: false,
    timerVariant: given?.timerVariant ?? keepaliveTimer,
  };
  if (credentials.username !== undefined) options.username = credentials.username;
  if (credentials.password !== undefined) options.password = credentials.password;
  // An empty password without a user name is no password (MQTT.js would refuse to connect).
  if (options.password === '' && options.username == null) delete options.password;
  return options;
}
