/**
 * What brokers answer, in words: CONNACK refusals (MQTT 3.1.1 return codes and MQTT 5 reason codes),
 * the broker's DISCONNECT reasons, SUBACK failures, and connections closed as soon as accepted.
 */
import { redactUrl, type Diagnosis } from './diagnostics.js';

const V3_REFUSALS: Record<number, [string, string]> = {
  1: [
    'the broker does not accept this MQTT protocol version',
    'Try protocol-version="4" (MQTT 3.1.1), which every broker speaks.',
  ],
  2: [
    'the broker rejected the client id',
    'Use a shorter client-id of letters and digits, or leave client-id out for a random one.',
  ],
  3: [
    'the MQTT service is unavailable',
    'The broker is up but not accepting clients; try again later or check its logs.',
  ],
  4: ['bad user name or password', 'Check the username and password set on <mqtt-connection>.'],
  5: [
    'not authorized',
    "Check the username and password set on <mqtt-connection> (many brokers, mosquitto among them, answer a wrong password this way), then that the broker's access rules (ACL) let this user connect.",
  ],
};

const V5_REASONS: Record<number, [string, string]> = {
  0x80: ['unspecified error', "Check the broker's logs for the reason."],
  0x81: ['malformed packet', 'The broker could not read the CONNECT packet; check the will and options you set.'],
  0x82: ['protocol error', 'Check the connection options; try protocol-version="4".'],
  0x83: ['implementation specific error', "Check the broker's logs for the reason."],
  0x84: ['unsupported protocol version', 'This broker does not speak MQTT 5: use protocol-version="4".'],
  0x85: [
    'client identifier not valid',
    'Use a shorter client-id of letters and digits, or leave client-id out for a random one.',
  ],
  0x86: ['bad user name or password', 'Check the username and password set on <mqtt-connection>.'],
  0x87: [
    'not authorized',
    "Check the username and password set on <mqtt-connection> (many brokers, mosquitto among them, answer a wrong password this way), then that the broker's access rules (ACL) let this user connect.",
  ],
  0x88: ['server unavailable', 'The broker is not accepting clients; try again later.'],
  0x89: ['server busy', 'The broker is overloaded; it will be retried.'],
  0x8a: ['banned', "This client is banned by the broker's administrator."],
  0x8c: ['bad authentication method', 'The broker does not support the authentication method in options.'],
  0x90: ['topic name invalid', 'Check the will-topic.'],
  0x95: ['packet too large', "Send a smaller will-payload or raise the broker's maximum packet size."],
  0x97: ['quota exceeded', "The broker's quota for this client is used up; try again later."],
  0x99: ['payload format invalid', 'Check the will-payload.'],
  0x9a: ['retain not supported', 'Remove will-retain; the broker does not support retained messages.'],
  0x9b: ['QoS not supported', 'Lower will-qos; the broker does not support it.'],
  0x9c: ['use another server', 'The broker asks clients to connect elsewhere: check the url.'],
  0x9d: ['server moved', 'The broker has moved: update the url.'],
  0x9f: ['connection rate exceeded', 'Too many connections in a short time; reconnecting will slow down.'],
};

/**
 * Explains a CONNACK refusal (MQTT 3.1.1 return codes 1–5 and MQTT 5 reason codes 0x80+). A broker
 * that does not speak the `protocolVersion` asked for answers in its own version: code 1 or 0x84.
 */
export function connackRefused(code: number, protocolVersion?: number): Diagnosis {
  if ((code === 1 || code === 0x84) && protocolVersion === 5) {
    return {
      message: `The broker refused the connection: it does not speak MQTT 5 (code ${code}).`,
      hint: 'Set protocol-version="4" (MQTT 3.1.1) on <mqtt-connection>; every broker speaks it.',
      code,
    };
  }
  const words = (code >= 0x80 ? V5_REASONS[code] : V3_REFUSALS[code]) ?? [
    `refusal code ${code}`,
    "Check the broker's logs for the reason.",
  ];
  return { message: `The broker refused the connection: ${words[0]} (code ${code}).`, hint: words[1], code };
}

const SAME_CLIENT_ID =
  'Another client may use the same client-id (each one then pushes the other out): give every page its own client-id, or leave client-id out for a random one.';

/** MQTT 5 reason codes of a DISCONNECT sent by the broker, where they differ from CONNACK's. */
const DISCONNECT_REASONS: Record<number, [string, string]> = {
  0x8b: ['the server is shutting down', 'The broker is stopping or restarting; it reconnects on its own.'],
  0x8d: [
    'keep alive timeout',
    'The broker heard nothing from this page for 1.5 × keepalive (a sleeping tab or a network that drops idle connections); it reconnects on its own.',
  ],
  0x8e: ['session taken over', SAME_CLIENT_ID],
  0x8f: ['topic filter invalid', "A subscription's filter is not valid for this broker: check the topic attributes."],
  0x90: ['topic name invalid', 'A publish topic is not valid for this broker: check the topic of each <mqtt-publish>.'],
  0x93: [
    'receive maximum exceeded',
    'Too many QoS 1 and 2 messages were in flight at once: publish less often or at QoS 0.',
  ],
  0x94: ['topic alias invalid', 'Check the topic alias options given in options.'],
  0x96: ['message rate too high', 'Publish less often: set throttle on <mqtt-publish>.'],
  0x98: ['administrative action', 'An administrator disconnected this client.'],
  0x9e: ['shared subscriptions not supported', 'Remove the $share/ prefix from the topic.'],
  0xa0: ['maximum connect time', 'The broker limits how long a client stays connected; it reconnects on its own.'],
  0xa1: ['subscription identifiers not supported', 'Remove subscription identifiers from options.'],
  0xa2: ['wildcard subscriptions not supported', 'Subscribe to exact topics: this broker does not allow + and #.'],
};

/** Explains an MQTT 5 DISCONNECT that the broker sent, by its reason code. */
export function disconnectedByBroker(code: number): Diagnosis {
  const words = DISCONNECT_REASONS[code] ??
    V5_REASONS[code] ?? [`reason code ${code}`, "Check the broker's logs for the reason."];
  return { message: `The broker closed the connection: ${words[0]} (code ${code}).`, hint: words[1], code };
}

/** Explains connections that the broker accepted and then closed at once, `times` in a row. */
export function connectionFlapping(url: string, times: number): Diagnosis {
  return {
    message: `The broker accepted the connection to ${redactUrl(url)} and closed it again, ${times} times in a row.`,
    hint: `${SAME_CLIENT_ID} Otherwise check the broker's logs: an access rule (ACL) may close connections that publish or subscribe where they may not.`,
  };
}

/** Explains a SUBACK failure (granted QoS 0x80 or an MQTT 5 reason code). */
export function subscribeRefused(filter: string, code: number): Diagnosis {
  const reason =
    code === 0x87
      ? 'not authorized'
      : code === 0x8f
        ? 'the filter is not valid for this broker'
        : code === 0x9e
          ? 'shared subscriptions are not supported'
          : code === 0xa1
            ? 'subscription identifiers are not supported'
            : code === 0xa2
              ? 'wildcard subscriptions are not supported'
              : 'refused';
  return {
    message: `The broker refused the subscription to "${filter}": ${reason} (code ${code}).`,
    hint: "Check the broker's access rules (ACL) for this user and topic.",
    code,
  };
}
