import { ReactiveElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { IClientOptions } from 'mqtt';
import type { MqttCredentialsProvider } from '../session/credentials.js';
import type { QoS } from '../session/message.js';
import { randomClientId, trueUnlessFalse, type MqttWill } from './mqtt-connection.options.js';

/**
 * The settings of `<mqtt-connection>`: its attributes and properties, read by the element when it
 * opens a connection (see mqtt-connection.options.ts for how they become MQTT.js options). Not an
 * element of its own.
 */
export abstract class MqttConnectionSettings extends ReactiveElement {
  /**
   * Broker url: `ws://host:port/path` or `wss://...`, or several separated by whitespace (the nodes
   * of a cluster: tried in turn, the next at once when one fails). Without it the element stays
   * disconnected.
   */
  @property() url?: string;

  /** With several urls: start at a random one, so that many pages spread over a cluster's nodes. */
  @property({ type: Boolean }) shuffle = false;

  /**
   * Fetched (`GET`, same-origin cookies, JSON) before every connection attempt for fresh
   * credentials: `{ username?, password?, url?, expiresAt?, expiresIn? }`. See `credentials`.
   */
  @property({ attribute: 'credentials-url' }) credentialsUrl?: string;

  /**
   * Remember the last values its elements show across page loads, in this browser's storage
   * (IndexedDB), keyed by the broker's url and the topic; on the next load the elements show them at
   * once with the `stale` attribute, until live messages come. At most 1000 topics and about 1 MB
   * per origin, the least recently written dropped first; `forget()` clears them.
   */
  @property({ type: Boolean }) persist = false;

  /**
   * A function called before every connection attempt (`{ url, attempt, reason }`, reason `connect`,
   * `reconnect`, `renew` or `refused`) that gives fresh credentials, or a promise of them:
   * `{ username?, password?, url?, expiresAt?, expiresIn? }`. `url` replaces the url tried (a
   * pre-signed url). Takes precedence over `credentials-url`.
   */
  @property({ attribute: false }) credentials?: MqttCredentialsProvider;

  /** Client identifier. Default: `mqtt-elements_` and 8 random hex digits. */
  @property({ attribute: 'client-id' }) clientId: string = randomClientId();

  /** User name for the broker. */
  @property() username?: string;

  /**
   * Password for the broker. Accepted as an attribute for no-code pages, but never reflected,
   * logged or put in an event; setting the property is the recommended way.
   */
  @property() password?: string;

  /** MQTT protocol version: 3, 4 (MQTT 3.1.1) or 5. */
  @property({ attribute: 'protocol-version', type: Number }) protocolVersion: 3 | 4 | 5 = 4;

  /** Keep-alive interval, seconds. */
  @property({ type: Number }) keepalive = 60;

  /** Start a clean session; `clean="false"` asks the broker for a persistent session. */
  @property({ converter: trueUnlessFalse }) clean = true;

  /** MQTT 5 session expiry interval, seconds. */
  @property({ attribute: 'session-expiry', type: Number }) sessionExpiry?: number;

  /** How long to wait for the broker to accept a connection, ms. */
  @property({ attribute: 'connect-timeout', type: Number }) connectTimeout = 30000;

  /** Delay before the first reconnect attempt, ms; it doubles (with jitter) up to `reconnect-max-period`. 0 disables reconnecting. */
  @property({ attribute: 'reconnect-period', type: Number }) reconnectPeriod = 1000;

  /** Longest delay between reconnect attempts, ms. */
  @property({ attribute: 'reconnect-max-period', type: Number }) reconnectMaxPeriod = 30000;

  /** Topic of the last will. */
  @property({ attribute: 'will-topic' }) willTopic?: string;

  /** Payload of the last will. */
  @property({ attribute: 'will-payload' }) willPayload?: string;

  /** QoS of the last will. */
  @property({ attribute: 'will-qos', type: Number }) willQos?: QoS;

  /** Whether the last will is retained. */
  @property({ attribute: 'will-retain', type: Boolean }) willRetain = false;

  /** The last will as an object; takes precedence over the `will-*` attributes. */
  @property({ attribute: false }) will?: MqttWill;

  /**
   * Share one broker connection with the page's other tabs (of this origin, with the same settings),
   * held by a SharedWorker: subscriptions counted across tabs, last values shown at once in a new
   * tab, status and events in every tab. Where no SharedWorker can be had (an older browser, a
   * Content-Security-Policy), the element uses a connection of its own and says so on the console.
   */
  @property({ type: Boolean }) shared = false;

  /** Do not connect on its own; call `connect()`. */
  @property({ type: Boolean }) manual = false;

  /** Extra MQTT.js client options, merged last (an escape hatch). */
  @property({ attribute: false }) options?: IClientOptions;
}
