/**
 * Credentials that change: asked of a function or fetched from a url before every connection
 * attempt, checked, and explained when they cannot be had. DOM-free but for `fetch`.
 */
import { MqttDiagnosticError, redactUrl } from './diagnostics.js';

/** What a credentials provider is told about the attempt it is asked for. */
export interface MqttCredentialsRequest {
  /** The broker url about to be tried. */
  url: string;
  /** The attempt's number since the connection was opened (1 for the first). */
  attempt: number;
  /** `connect` (the first attempt), `reconnect`, `renew` (credentials about to expire) or `refused` (the broker refused the last ones). */
  reason: 'connect' | 'reconnect' | 'renew' | 'refused';
}

/** Credentials for one connection attempt. */
export interface MqttCredentials {
  /** Used for this attempt instead of the `username` attribute. */
  username?: string;
  /** Used for this attempt instead of the `password` attribute. */
  password?: string;
  /** Used instead of the url being tried (a pre-signed url). */
  url?: string;
  /** When they expire, ms since the epoch: the connection renews them before. */
  expiresAt?: number;
  /** How long they last, seconds from now: the connection renews them before. */
  expiresIn?: number;
}

/** A function called before every connection attempt for fresh credentials. */
export type MqttCredentialsProvider = (request: MqttCredentialsRequest) => MqttCredentials | Promise<MqttCredentials>;

/** Where credentials come from: a function, or a url answering JSON to a `GET`. */
export type CredentialsSource = MqttCredentialsProvider | string;

/** Credentials as checked, with their expiry as a time. */
export interface CheckedCredentials {
  username?: string;
  password?: string;
  url?: string;
  /** ms since the epoch, if they expire. */
  expiresAt?: number;
}

const FIELDS: Record<string, string> = {
  username: 'string',
  password: 'string',
  url: 'string',
  expiresAt: 'number',
  expiresIn: 'number',
};

function failure(message: string, hint: string, cause?: unknown): MqttDiagnosticError {
  return new MqttDiagnosticError({ message, hint }, { cause });
}

const ANSWER = 'Answer JSON such as {"username": "…", "password": "…", "expiresIn": 3600}.';
const AGAIN = 'It is asked again at the next attempt.';

/** Resolves with `promise`, or rejects after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(failure(`${what} did not answer within connect-timeout (${ms} ms).`, AGAIN)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Checks an answer's fields (never quoting their values: they are secrets). */
function check(answer: unknown, from: string): CheckedCredentials {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    throw failure(`${from} gave no credentials object.`, ANSWER);
  }
  const fields = answer as Record<string, unknown>;
  for (const [name, type] of Object.entries(FIELDS)) {
    if (fields[name] != null && typeof fields[name] !== type)
      throw failure(`${from}: "${name}" is not a ${type}.`, ANSWER);
  }
  const { username, password, url, expiresAt, expiresIn } = fields as MqttCredentials;
  if (username == null && password == null && url == null) {
    throw failure(`${from} gave none of "username", "password" and "url".`, ANSWER);
  }
  if (url != null && !/^wss?:\/\//i.test(url)) throw failure(`${from}: "url" is not a ws:// or wss:// url.`, ANSWER);
  return {
    username: username ?? undefined,
    password: password ?? undefined,
    url: url ?? undefined,
    expiresAt: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : (expiresAt ?? undefined),
  };
}

/** Fetches credentials from `url` (`GET`, same-origin cookies, JSON). */
async function fetchCredentials(url: string, from: string, timeout: number): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(timeout),
    });
  } catch (cause) {
    throw failure(
      `${from} could not be fetched (${(cause as Error).message}).`,
      'Check the url; another origin must allow it with CORS.',
      cause
    );
  }
  if (!response.ok) {
    throw failure(
      `${from} answered HTTP ${response.status}.`,
      response.status === 401 || response.status === 403
        ? "Sign in again: the backend did not accept this page's session."
        : `Check the backend's logs. ${AGAIN}`
    );
  }
  try {
    return await response.json();
  } catch (cause) {
    throw failure(
      `${from} did not answer JSON.`,
      `${ANSWER} An HTML page here is usually a login page or a wrong path.`,
      cause
    );
  }
}

/** Asks `source` for the credentials of one attempt, within `timeout` ms; rejects with a hinted error. */
export async function askCredentials(
  source: CredentialsSource,
  request: MqttCredentialsRequest,
  timeout: number
): Promise<CheckedCredentials> {
  if (typeof source === 'string') {
    const from = `credentials-url ${redactUrl(source)}`;
    return check(await fetchCredentials(source, from, timeout), from);
  }
  const from = 'The credentials function';
  let answer: unknown;
  try {
    answer = await within(
      Promise.resolve().then(() => source(request)),
      timeout,
      from
    );
  } catch (cause) {
    if (cause instanceof MqttDiagnosticError) throw cause;
    throw failure(`${from} failed: ${(cause as Error)?.message ?? String(cause)}.`, AGAIN, cause);
  }
  return check(answer, from);
}
