import type { IConnackPacket } from 'mqtt';
import type { MqttCredentials, MqttCredentialsRequest } from '../session/credentials.js';
import { MqttHintedError } from '../session/hinted-error.js';
import type { SessionConfig } from '../session/connection.js';
import type { ConnectionStatus, MqttMessage, PublishOptions, SubscribeOptions } from '../session/message.js';

/**
 * What a tab and the SharedWorker say to each other over a `MessagePort`: plain, structured-clonable
 * objects, sent in batches (an array per task, in order). DOM-free.
 */

/** A session's settings as a tab sends them: the config without functions. */
export interface SharedConfig extends Omit<SessionConfig, 'credentials'> {
  /** `function`: ask the tabs that gave one; else a `credentials-url` (absolute) the worker fetches. */
  readonly credentials?: 'function' | string;
}

/** What a tab asks of the worker. */
export type TabMessage =
  /** The first message: the Web Lock the tab holds while it lives (the worker waits for it). */
  | { t: 'hello'; lock?: string }
  /** Joins the session of these settings (see {@link settingsKey}), opening it if need be. */
  | { t: 'join'; config: SharedConfig; persist?: string }
  /** Leaves its session: its subscriptions are released and its pending publishes withdrawn. */
  | { t: 'leave' }
  | { t: 'subscribe'; sid: number; filter: string; options: Omit<SubscribeOptions, 'onError'> }
  | { t: 'unsubscribe'; sid: number }
  | {
      t: 'publish';
      pid: number;
      topic: string;
      payload: string | Uint8Array;
      options: Omit<PublishOptions, 'signal' | 'onSend'>;
    }
  | { t: 'withdraw'; pid: number; reason: ErrorData }
  | { t: 'credentials-answer'; rid: number; credentials?: MqttCredentials; error?: ErrorData }
  | { t: 'wake' }
  | { t: 'keep' }
  | { t: 'forget'; rid: number; key: string }
  /** For tests and leak checks: what the worker holds. */
  | { t: 'stats'; rid: number };

/** What the worker tells a tab. */
export type WorkerMessage =
  | { t: 'status'; status: ConnectionStatus; url?: string }
  | { t: 'connect'; connack: IConnackPacket }
  | { t: 'disconnect'; reason?: number }
  | { t: 'error'; error: ErrorData }
  | { t: 'message'; sid: number; message: MqttMessage }
  | { t: 'sub-error'; sid: number; error: ErrorData }
  | { t: 'sent'; pid: number }
  | { t: 'published'; pid: number; error?: ErrorData }
  | { t: 'credentials'; rid: number; request: MqttCredentialsRequest }
  | { t: 'done'; rid: number; value?: unknown };

/** An error as it crosses the port: its name, message, hint and code. */
export interface ErrorData {
  readonly name: string;
  readonly message: string;
  readonly hint?: string;
  readonly code?: number;
}

/** What the worker holds, for tests and leak checks. */
export interface SharedStats {
  /** Sessions (broker connections), by settings. */
  readonly sessions: number;
  /** Ports of tabs joined to a session. */
  readonly members: number;
  /** Listeners held for the tabs, across sessions. */
  readonly listeners: number;
  /** Distinct filters across sessions. */
  readonly filters: number;
}

export function errorData(error: unknown): ErrorData {
  const err = error instanceof Error ? error : new Error(String(error));
  const { hint, code } = err as Partial<MqttHintedError>;
  return {
    name: err.name,
    message: err.message,
    ...(typeof hint === 'string' ? { hint } : {}),
    ...(typeof code === 'number' ? { code } : {}),
  };
}

/** The error `data` describes, with its hint and code, under its own name. */
export function errorFrom(data: ErrorData): Error {
  const error =
    data.hint === undefined
      ? new Error(data.message)
      : new MqttHintedError(data.message, data.hint, data.code === undefined ? undefined : { code: data.code });
  error.name = data.name;
  return error;
}

/** The settings that make two tabs' connections one: everything that reaches the broker. */
export function settingsKey(config: SharedConfig, persist: string | undefined): string {
  return JSON.stringify([config, persist ?? null]);
}
