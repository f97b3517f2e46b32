/**
 * Diagnostics: turns a failure into a sentence a beginner can act on. DOM-free (the page protocol is
 * passed in).
 */
import { MqttHintedError } from './hinted-error.js';

/** A failure with the hint that explains it. */
export interface Diagnosis {
  /** What went wrong. */
  readonly message: string;
  /** What to check or change. */
  readonly hint: string;
  /** A CONNACK return or reason code, when the broker refused. */
  readonly code?: number;
}

/** An `Error` that carries a {@link Diagnosis}. */
export class MqttDiagnosticError extends MqttHintedError {
  constructor(diagnosis: Diagnosis, options?: { cause?: unknown }) {
    super(diagnosis.message, diagnosis.hint, { cause: options?.cause, code: diagnosis.code });
    this.name = 'MqttDiagnosticError';
  }
}

/** The url without its user info, so that a password in it never reaches a message or the console. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^/?#]*@/, '//***@');
}

/** The WebSocket ports brokers use by default. */
const PORTS = 'mosquitto often 9001 or 8080, EMQX 8083 (wss 8084)';
const PATH_HINT =
  'If the broker serves WebSocket at a path, add it: /mqtt (EMQX, HiveMQ, NanoMQ), /ws (RabbitMQ); mosquitto needs none.';

/** The WebSocket url to try for a url written for TCP (`mqtt://host:port`, `host:port`). */
function webSocketHint(url: string, secure: boolean): string {
  const scheme = secure ? 'wss' : 'ws';
  const start = 'Browsers reach MQTT brokers over WebSocket only: use';
  const match = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^/?#@]*@)?(\[[^\]]*\]|[^/:?#]+)(?::(\d+))?(\/[^?#]*)?/i.exec(
    url.trim()
  );
  if (!match) return `${start} a ${scheme}:// url such as ${scheme}://localhost:9001. ${PATH_HINT}`;
  const [, host, port = '', path = ''] = match;
  if (!port || port === '1883' || port === '8883') {
    return `${start} the port of the broker's WebSocket listener (${PORTS}), such as ${scheme}://${host}:9001.`;
  }
  return `${start} ${scheme}://${host}:${port}${path}.${path ? '' : ` ${PATH_HINT}`}`;
}

/**
 * Checks a connection url before connecting. Returns a diagnosis when it cannot work, `undefined`
 * when it looks right. `pageProtocol` is `location.protocol` in a browser.
 */
export function checkUrl(url: string, pageProtocol?: string): Diagnosis | undefined {
  const trimmed = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (!scheme) {
    return {
      message: `The url "${redactUrl(url)}" has no ws:// or wss:// scheme.`,
      hint: webSocketHint(trimmed, false),
    };
  }
  if (scheme === 'mqtt' || scheme === 'tcp' || scheme === 'mqtts' || scheme === 'ssl' || scheme === 'tls') {
    return {
      message: `The url "${redactUrl(url)}" uses ${scheme}://, which a browser cannot open.`,
      hint: webSocketHint(trimmed, scheme !== 'mqtt' && scheme !== 'tcp'),
    };
  }
  if (scheme === 'http' || scheme === 'https') {
    return {
      message: `The url "${redactUrl(url)}" is a web address, not a WebSocket one.`,
      hint: `Use ${scheme === 'https' ? 'wss' : 'ws'}:// instead of ${scheme}:// (for example ws://localhost:8083/mqtt).`,
    };
  }
  if (scheme !== 'ws' && scheme !== 'wss') {
    return {
      message: `The url "${redactUrl(url)}" uses the unknown scheme ${scheme}://.`,
      hint: webSocketHint('', false),
    };
  }
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return {
      message: `The url "${redactUrl(url)}" cannot be parsed.`,
      hint: 'Check for typos: a url looks like ws://host:8083/mqtt.',
    };
  }
  if (!parsed.hostname) {
    return {
      message: `The url "${redactUrl(url)}" has no host name.`,
      hint: "Write the broker's host after ws://, for example ws://localhost:8083/mqtt.",
    };
  }
  if (scheme === 'ws' && pageProtocol === 'https:' && !isLoopback(parsed.hostname)) {
    return {
      message: `This https: page cannot open the insecure WebSocket "${redactUrl(url)}" (mixed content).`,
      hint: "Use wss:// with the broker's TLS WebSocket port (EMQX: 8084) instead of ws://.",
    };
  }
  return undefined;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

/** Ports that speak TLS, and plain ports, by convention (EMQX, HiveMQ, Mosquitto examples, HTTPS). */
const TLS_PORTS = new Set(['443', '8084', '8883', '8081']);
const PLAIN_PORTS = new Set(['80', '8083', '1883', '8080', '8000', '9001', '15675']);

/**
 * Explains a connection that failed or closed before the broker accepted it. `closedEarly`: the
 * socket opened and closed again before CONNACK (a broker without MQTT 5 may do that to a v5 client).
 */
export function connectionFailed(
  url: string,
  detail?: string,
  protocolVersion?: number,
  closedEarly = false
): Diagnosis {
  let path = '';
  let port = '';
  let secure = false;
  try {
    const parsed = new URL(url);
    path = parsed.pathname;
    secure = parsed.protocol === 'wss:';
    port = parsed.port || (secure ? '443' : '80');
  } catch {
    // checkUrl reports unparseable urls before any connection is tried.
  }
  const hints = ['Check the host and port, and that the broker has a WebSocket listener there.'];
  if (port === '1883' || port === '8883') {
    hints.push(`Port ${port} is MQTT over TCP, which browsers cannot use: use the WebSocket port (${PORTS}).`);
  } else if (!secure && TLS_PORTS.has(port)) {
    hints.push(`Port ${port} usually speaks TLS: use wss:// for it.`);
  } else if (secure && PLAIN_PORTS.has(port)) {
    hints.push(`Port ${port} usually speaks plain WebSocket: use ws:// for it, or the TLS port (EMQX: 8084).`);
  }
  if (!path || path === '/') {
    hints.push('The url has no path: mosquitto needs none, but EMQX, HiveMQ and NanoMQ use /mqtt, RabbitMQ /ws.');
  } else {
    hints.push("The path must be the broker's: /mqtt on EMQX, Mosquitto, HiveMQ and NanoMQ, /ws on RabbitMQ.");
  }
  if (closedEarly && protocolVersion === 5)
    hints.push('If the broker only speaks MQTT 3.1.1, set protocol-version="4".');
  hints.push(
    secure
      ? "For wss://, the browser must trust the broker's certificate (open https://host:port once to check) and the port must speak TLS (else use ws://)."
      : `Usual WebSocket ports: ${PORTS}.`
  );
  return {
    message: `Could not connect to ${redactUrl(url)}${detail ? ` (${detail})` : ''}.`,
    hint: hints.join(' '),
  };
}

/** Explains an error on a connection that was up. */
export function connectionLost(url: string, detail: string): Diagnosis {
  return {
    message: `The connection to ${redactUrl(url)} failed: ${detail}.`,
    hint: 'It reconnects on its own (unless reconnect-period="0"); if this repeats, check the network and the broker\'s logs.',
  };
}

/** Explains a failed reconnect to a url that was connected before: an outage, not a wrong setup. */
export function reconnectFailed(url: string, detail?: string): Diagnosis {
  return {
    message: `The connection to ${redactUrl(url)} was lost${detail ? ` (${detail})` : ''}; reconnecting.`,
    hint: 'This url worked before: the broker or the network is down for now. It keeps retrying; if it does not come back, check the broker.',
  };
}

/** MQTT sends a password only with a user name: MQTT.js refuses to connect, and a retry cannot help. */
export function passwordWithoutUsername(): Diagnosis {
  return {
    message: 'A password is set on <mqtt-connection> but no username.',
    hint: 'Set username too: MQTT sends a password only with a user name.',
  };
}

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

/** Explains a command withdrawn after `confirm-timeout` ms: not sent in time, or `sent` but not acknowledged. */
export function commandWithdrawn(topic: string, ms: number, sent: boolean): Diagnosis {
  return {
    message: `The command to "${topic}" was withdrawn: ${sent ? 'not acknowledged' : 'not sent'} within confirm-timeout (${ms} ms); the device will not get it.`,
    hint: `The connection ${sent ? 'broke as it was sent' : 'was down'}: send it again once connected${sent ? '' : ', or let it wait longer with confirm-timeout'}.`,
  };
}
