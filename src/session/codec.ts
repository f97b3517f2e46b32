/**
 * Payload codecs: bytes to values for subscribers (`type`, `path`) and values to bytes for
 * publishers. DOM-free.
 */

import { MqttHintedError } from './hinted-error.js';

/** How a payload is decoded (subscribers) or encoded (publishers). */
export type PayloadType = 'auto' | 'text' | 'json' | 'number' | 'boolean' | 'bytes';

export const PAYLOAD_TYPES: readonly PayloadType[] = ['auto', 'text', 'json', 'number', 'boolean', 'bytes'];

/** A payload that could not be decoded or encoded as asked, with a hint a beginner can act on. */
export class PayloadError extends MqttHintedError {
  constructor(message: string, hint: string) {
    super(message, hint);
    this.name = 'PayloadError';
  }
}

/** Whether `type` is one of the {@link PAYLOAD_TYPES}. */
export function isPayloadType(type: unknown): type is PayloadType {
  return PAYLOAD_TYPES.includes(type as PayloadType);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** Payload bytes as text. Invalid UTF-8 throws a {@link PayloadError}. */
export function payloadText(payload: Uint8Array): string {
  try {
    return utf8.decode(payload);
  } catch {
    throw new PayloadError(
      `The payload (${payload.length} bytes) is not valid UTF-8 text.`,
      'The device sends binary data: set type="bytes" to receive it as a Uint8Array.'
    );
  }
}

/** Payload bytes as text, invalid sequences replaced by U+FFFD. */
export function payloadTextLossy(payload: Uint8Array): string {
  return lossy.decode(payload);
}

const BOOLEANS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, on: true, off: false };

/** Parses true/false/1/0/on/off (any case). Anything else throws a {@link PayloadError}. */
export function parseBoolean(text: string): boolean {
  const value = BOOLEANS[text.trim().toLowerCase()];
  if (value === undefined) {
    throw new PayloadError(
      `"${clip(text)}" is not a boolean.`,
      'type="boolean" accepts true/false, 1/0 or on/off. Use type="text" to receive other words.'
    );
  }
  return value;
}

/**
 * Decodes a payload as `type`, then applies `path` (which implies JSON). Throws a
 * {@link PayloadError} when the payload cannot be read as asked.
 */
export function decodePayload(payload: Uint8Array, type: PayloadType = 'auto', path?: string): unknown {
  if (path) {
    return readPath(parseJson(payloadText(payload)), path);
  }
  switch (type) {
    case 'bytes':
      return payload;
    case 'text':
      return payloadText(payload);
    case 'json':
      return parseJson(payloadText(payload));
    case 'number': {
      const text = payloadText(payload);
      const value = text.trim() === '' ? NaN : Number(text);
      if (Number.isNaN(value)) {
        throw new PayloadError(
          `"${clip(text)}" is not a number.`,
          'type="number" expects a payload such as 21.5. If the device sends JSON, add path="field" to pick the number out.'
        );
      }
      return value;
    }
    case 'boolean':
      return parseBoolean(payloadText(payload));
    case 'auto':
    default: {
      const text = payloadText(payload);
      return looksLikeJson(text) ? tryJson(text) : text;
    }
  }
}

function looksLikeJson(text: string): boolean {
  const c = text.trimStart()[0];
  return (
    c === '{' || c === '[' || c === '"' || c === '-' || (c >= '0' && c <= '9') || c === 't' || c === 'f' || c === 'n'
  );
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PayloadError(
      `The payload is not valid JSON: "${clip(text)}".`,
      'Check what the device publishes; without JSON, remove path and use type="text" or type="number".'
    );
  }
}

const pathCache = new Map<string, readonly (string | number)[]>();

/** Splits `a.b[0].c` into `['a', 'b', 0, 'c']`. */
export function parsePath(path: string): readonly (string | number)[] {
  let keys = pathCache.get(path);
  if (!keys) {
    const parsed: (string | number)[] = [];
    for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
      parsed.push(match[2] !== undefined ? Number(match[2]) : match[1]);
    }
    keys = parsed;
    if (pathCache.size > 1000) pathCache.clear();
    pathCache.set(path, keys);
  }
  return keys;
}

/** Reads `path` from a decoded JSON value. A missing field throws a {@link PayloadError}. */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of parsePath(path)) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) {
      throw new PayloadError(
        `The payload has no field "${path}": ${clip(JSON.stringify(value))}`,
        'Check the path attribute against the payload the device sends, quoted above.'
      );
    }
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/**
 * Encodes a value for publishing. `auto`: strings as they are, bytes as they are, everything else as
 * JSON. Throws a {@link PayloadError} when the value does not fit `type`.
 */
export function encodePayload(value: unknown, type: PayloadType = 'auto'): string | Uint8Array {
  switch (type) {
    case 'bytes':
      if (value instanceof Uint8Array) return value;
      if (value instanceof ArrayBuffer) return new Uint8Array(value);
      return encoder.encode(value == null ? '' : String(value));
    case 'text':
      return value == null ? '' : String(value);
    case 'json':
      return JSON.stringify(value ?? null);
    case 'number': {
      const number = typeof value === 'number' ? value : Number(String(value).trim() || NaN);
      if (!Number.isFinite(number)) {
        throw new PayloadError(
          `"${clip(String(value))}" is not a number.`,
          'type="number" publishes numbers only; check the control\'s value.'
        );
      }
      return String(number);
    }
    case 'boolean':
      return String(typeof value === 'boolean' ? value : parseBoolean(String(value)));
    case 'auto':
    default:
      if (typeof value === 'string') return value;
      if (value instanceof Uint8Array) return value;
      if (value === undefined) return '';
      return JSON.stringify(value);
  }
}

/**
 * The payload of a command (`<mqtt-publish>`): without a `template`, `value` encoded by `type`. A
 * template without `{value}` is a fixed payload, used when there is no value (encoded by `type`, but
 * as text where `type` is `json`: it is written as JSON already); a value is encoded instead. In a
 * template with `{value}`, each `{value}` is replaced by the value: JSON-encoded where `type` is
 * `json` (the result must then be valid JSON), else as text (objects as JSON, no value as nothing).
 * Throws a {@link PayloadError} when the value does not fit `type` or the result is not valid JSON.
 */
export function encodeCommand(
  value: unknown,
  type: PayloadType,
  template: string | null | undefined
): string | Uint8Array {
  if (template === undefined || template === null) return encodePayload(value, type);
  if (!template.includes('{value}'))
    return value === undefined ? encodePayload(template, type === 'json' ? 'text' : type) : encodePayload(value, type);
  const inserted =
    type === 'json'
      ? JSON.stringify(value ?? null)
      : value === undefined || value === null
        ? ''
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  const text = template.split('{value}').join(inserted);
  if (type === 'json') {
    try {
      JSON.parse(text);
    } catch {
      throw new PayloadError(
        `The payload template gives invalid JSON: ${text}`,
        'Check the quotes in the payload attribute: {value} is inserted already JSON-encoded, so write {"level": {value}}, not {"level": "{value}"}.'
      );
    }
  }
  return text;
}

function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * A decoded value as text, the one rule for every place that shows or writes one (`<mqtt-value>`,
 * `<mqtt-log>`, `bind`, a control's state): strings as they are, no value (`null`, `undefined`) as
 * nothing, bytes as their count, other objects as JSON, the rest as `String()` does.
 */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
