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

/** Explains a renewal that failed: the connection in use goes on until its credentials expire. */
export function renewalFailed(url: string, detail: string): Diagnosis {
  return {
    message: `Renewing the credentials for ${redactUrl(url)} failed: ${detail}.`,
    hint: 'The connection goes on with the credentials it has and tries again before they expire; check the credentials source and the broker.',
  };
}

/** MQTT sends a password only with a user name: MQTT.js refuses to connect, and a retry cannot help. */
export function passwordWithoutUsername(): Diagnosis {
  return {
    message: 'A password is set on <mqtt-connection> but no username.',
    hint: 'Set username too: MQTT sends a password only with a user name.',
  };
}

// What brokers answer (CONNACK, DISCONNECT and SUBACK codes) is put in words in refusals.ts.
export { connackRefused, connectionFlapping, disconnectedByBroker, subscribeRefused } from './refusals.js';

/** Explains a command withdrawn after `confirm-timeout` ms: not sent in time, or `sent` but not acknowledged. */
export function commandWithdrawn(topic: string, ms: number, sent: boolean): Diagnosis {
  return {
    message: `The command to "${topic}" was withdrawn: ${sent ? 'not acknowledged' : 'not sent'} within confirm-timeout (${ms} ms); the device will not get it.`,
    hint: `The connection ${sent ? 'broke as it was sent' : 'was down'}: send it again once connected${sent ? '' : ', or let it wait longer with confirm-timeout'}.`,
  };
}
