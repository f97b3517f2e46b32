/**
 * What one connection attempt (or renewal) opens: its credentials asked for, its MQTT.js options
 * and its url. DOM-free.
 */
import type { IClientOptions } from 'mqtt';
import { clientOptions, type SessionConfig } from './connection-options.js';
import { askCredentials, type CheckedCredentials, type MqttCredentialsRequest } from './credentials.js';

/** The plan of one attempt. */
export interface AttemptPlan {
  /** The session's MQTT.js options with the attempt's credentials. */
  readonly options: IClientOptions;
  /** The url to open: a pre-signed url from the credentials, else the broker's. */
  readonly target: string;
  /** When the credentials were had, and when they expire (ms since the epoch), if they do. */
  readonly obtainedAt: number;
  readonly expiresAt?: number;
}

/**
 * Asks the config's credentials source (if any) for `request` and builds the attempt's options.
 * Rejects with the source's hinted error. `socketClosed` hears why the attempt's WebSocket closed.
 */
export async function planAttempt(
  config: SessionConfig,
  request: MqttCredentialsRequest,
  socketClosed: (code: number, reason: string) => void
): Promise<AttemptPlan> {
  let credentials: CheckedCredentials = {};
  if (config.credentials) {
    credentials = await askCredentials(config.credentials, request, config.options?.connectTimeout ?? 30000);
  }
  return {
    options: clientOptions(config.options, credentials, socketClosed),
    target: credentials.url ?? request.url,
    obtainedAt: Date.now(),
    expiresAt: credentials.expiresAt,
  };
}

/** Renewals start this long before credentials expire, unless they last less than 5 × as long. */
const RENEW_BEFORE = 30000;

/**
 * How long from `now` until credentials had at `obtainedAt` that expire at `expiresAt` are renewed:
 * 30 s before they expire, or at 80% of a shorter lifetime (5 × 30 s or less).
 */
export function renewalDelay(obtainedAt: number, expiresAt: number, now = Date.now()): number {
  const lifetime = expiresAt - obtainedAt;
  return Math.max(0, obtainedAt + Math.max(lifetime - RENEW_BEFORE, lifetime * 0.8) - now);
}
