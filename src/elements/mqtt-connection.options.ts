/**
 * The settings of `<mqtt-connection>` as MQTT.js client options: each numeric attribute checked
 * against what it accepts (a wrong one is reported and a default used meanwhile). DOM-free but for
 * the element's reporter.
 */
import type { IClientOptions } from 'mqtt';
import type { ErrorReporter } from '../controllers/error-reporter.js';
import { checkNumber, duration, positive, wholeNumber, type NumberRule } from '../controllers/settings.js';
import type { QoS } from '../session/message.js';

/** A last will and testament: published by the broker when this client vanishes. */
export interface MqttWill {
  topic: string;
  payload?: string | Uint8Array;
  qos?: QoS;
  retain?: boolean;
}

/** `clean="false"` turns it off; present or absent otherwise means true. */
export const trueUnlessFalse = {
  fromAttribute: (value: string | null) => value === null || value.toLowerCase() !== 'false',
  toAttribute: (value: boolean) => (value ? '' : 'false'),
};

/** Properties whose change reconnects an open connection. */
export const CONNECTION_OPTIONS = [
  'url',
  'shuffle',
  'credentials',
  'credentialsUrl',
  'clientId',
  'username',
  'password',
  'protocolVersion',
  'keepalive',
  'clean',
  'sessionExpiry',
  'connectTimeout',
  'reconnectPeriod',
  'reconnectMaxPeriod',
  'willTopic',
  'willPayload',
  'willQos',
  'willRetain',
  'will',
  'options',
  'shared',
] as const;

const ms = 'a number of milliseconds';
const seconds = 'a number of seconds';
/** What each numeric attribute accepts. */
const NUMBER_RULES: Record<string, NumberRule> = {
  'will-qos': { valid: wholeNumber(0, 2), what: 'a QoS level', allowed: '0, 1 or 2' },
  'protocol-version': { valid: wholeNumber(3, 5), what: 'an MQTT version', allowed: '4 (MQTT 3.1.1) or 5' },
  keepalive: { valid: wholeNumber(0, 65535), what: seconds, allowed: 'a whole number of seconds such as 60' },
  'connect-timeout': { valid: positive, what: ms, allowed: 'a number of milliseconds such as 30000' },
  'reconnect-period': {
    valid: duration,
    what: ms,
    allowed: 'a number of milliseconds such as 1000, or 0 not to reconnect',
  },
  'reconnect-max-period': { valid: duration, what: ms, allowed: 'a number of milliseconds such as 30000' },
  'session-expiry': { valid: wholeNumber(0, 2 ** 32 - 1), what: seconds, allowed: 'a number of seconds such as 3600' },
};

export function randomClientId(): string {
  const bytes = new Uint8Array(4);
  globalThis.crypto.getRandomValues(bytes);
  return `mqtt-elements_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A numeric attribute's value as {@link NUMBER_RULES} accepts it, else `fallback` (reported). */
export function checkedNumber(
  reporter: ErrorReporter,
  attribute: string,
  value: number | null | undefined,
  fallback: number
): number {
  return checkNumber(reporter, attribute, value, fallback, NUMBER_RULES[attribute]);
}

/** What the options are read from: the element's properties. */
export interface ConnectionSettings {
  clientId: string;
  username?: string;
  password?: string;
  protocolVersion: number;
  keepalive: number;
  clean: boolean;
  sessionExpiry?: number;
  connectTimeout: number;
  reconnectPeriod: number;
  willTopic?: string;
  willPayload?: string;
  willQos?: number;
  willRetain: boolean;
  will?: MqttWill;
  options?: IClientOptions;
}

/** The MQTT.js options for `settings` (`options` merged last, the escape hatch). */
export function clientOptions(settings: ConnectionSettings, reporter: ErrorReporter): IClientOptions {
  const checked = (attribute: string, value: number | null | undefined, fallback: number) =>
    checkedNumber(reporter, attribute, value, fallback);
  const willQos = checked('will-qos', settings.willQos ?? 0, 0) as QoS;
  const will =
    settings.will ??
    (settings.willTopic
      ? { topic: settings.willTopic, payload: settings.willPayload ?? '', qos: willQos, retain: settings.willRetain }
      : undefined);
  const options: IClientOptions = {
    clientId: settings.clientId,
    protocolVersion: checked('protocol-version', settings.protocolVersion, 4) as 3 | 4 | 5,
    keepalive: checked('keepalive', settings.keepalive, 60),
    clean: settings.clean,
    connectTimeout: checked('connect-timeout', settings.connectTimeout, 30000),
    reconnectPeriod: checked('reconnect-period', settings.reconnectPeriod, 1000),
  };
  if (settings.username !== undefined) options.username = settings.username;
  if (settings.password !== undefined) options.password = settings.password;
  if (settings.sessionExpiry !== undefined && settings.sessionExpiry !== null) {
    options.properties = { sessionExpiryInterval: checked('session-expiry', settings.sessionExpiry, 0) };
  }
  if (will) {
    options.will = {
      topic: will.topic,
      payload: will.payload ?? '',
      qos: will.qos ?? 0,
      retain: will.retain ?? false,
    } as IClientOptions['will'];
  }
  return { ...options, ...settings.options };
}
