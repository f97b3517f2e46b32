/**
 * Renewal of credentials that expire, without an outage: before they expire, fresh credentials are
 * asked for (`reason: 'renew'`) and a second client is connected with them beside the one in use;
 * once it is accepted, the connection's owner moves the subscriptions over and the new client takes
 * over. DOM-free.
 */
import type { IClientOptions, IConnackPacket, MqttClient } from 'mqtt';
import { planAttempt, renewalDelay, type AttemptPlan } from './attempt.js';
import type { SessionConfig } from './connection-options.js';
import { renewalFailed, type Diagnosis } from './diagnostics.js';

/** What a renewal needs of its connection. */
export interface RenewalHost {
  /** The connection, while it is up: its config, its client and the broker url in use. */
  inUse(): { config: SessionConfig; client: MqttClient; url: string } | undefined;
  /** Counts an attempt and returns its number; `isLatest` tells whether no other came since. */
  nextAttempt(): number;
  isLatest(attempt: number): boolean;
  /** Makes a client that connects to `target` (its messages go where every client's go). */
  open(target: string, options: IClientOptions): MqttClient;
  fail(diagnosis: Diagnosis, cause?: unknown): void;
  /**
   * `next` was accepted beside `old`: the owner moves the subscriptions, calls `takeOver` once `next`
   * may be the client in use, or `abandon` if it cannot be.
   */
  accepted(old: MqttClient, next: MqttClient, takeOver: () => void, abandon: (cause: Error) => void): void;
  /** `next`, made with `plan`, is the client in use from now on. */
  tookOver(next: MqttClient, connack: IConnackPacket, plan: AttemptPlan): void;
}

/** A renewal that failed is tried again after this share of the time left, at least this long. */
const RETRY_SHARE = 0.5;
const RETRY_MIN = 1000;

export class Renewal {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The client being connected beside the one in use. */
  private candidate: MqttClient | undefined;
  /** Removes the renewal's listeners from the candidate. */
  private detach: (() => void) | undefined;

  constructor(private readonly host: RenewalHost) {}

  /**
   * The client in use connected with credentials of `plan`: renews them before they expire. A
   * persistent session (`clean: false`) cannot be held by two clients at once: it is not renewed
   * ahead, but reconnected with fresh credentials when the broker ends it.
   */
  schedule(plan: AttemptPlan): void {
    this.cancel();
    if (plan.expiresAt === undefined || this.host.inUse()?.config.options?.clean === false) return;
    this.later(renewalDelay(plan.obtainedAt, plan.expiresAt), plan.expiresAt);
  }

  /** Stops the timer and ends a candidate that has not taken over. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const candidate = this.candidate;
    this.candidate = undefined;
    if (!candidate) return;
    this.detach?.();
    candidate.removeAllListeners('message');
    candidate.on('error', () => {});
    candidate.end(true);
  }

  private later(delay: number, expiresAt: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.renew(expiresAt), delay);
  }

  private async renew(expiresAt: number): Promise<void> {
    this.timer = undefined;
    const { host } = this;
    const using = host.inUse();
    if (!using) return;
    const { config, client: old, url } = using;
    const attempt = host.nextAttempt();
    let plan: AttemptPlan;
    try {
      plan = await planAttempt(config, { url, attempt, reason: 'renew' }, () => {});
    } catch (error) {
      if (host.isLatest(attempt) && host.inUse()?.client === old) this.failed(error as Diagnosis, expiresAt);
      return;
    }
    if (!host.isLatest(attempt) || host.inUse()?.client !== old) return;
    // The other of the two ids: the configured one, or it with `r` added (the one in use is the other).
    const base = config.options?.clientId;
    const clientId = base === undefined ? undefined : old.options.clientId === base ? `${base}r` : base;
    const next = host.open(plan.target, { ...plan.options, ...(clientId === undefined ? {} : { clientId }) });
    this.candidate = next;
    const failed = (detail: string, cause?: unknown) => {
      if (this.candidate !== next) return;
      this.cancel();
      this.failed(renewalFailed(url, detail), expiresAt, cause);
    };
    const onError = (error: Error) => failed(error.message, error);
    const onClose = () => failed('the new connection closed before the broker accepted it');
    next.on('error', onError);
    next.on('close', onClose);
    this.detach = () => {
      next.off('error', onError);
      next.off('close', onClose);
    };
    next.once('connect', (connack) => {
      host.accepted(
        old,
        next,
        () => {
          if (this.candidate !== next) return;
          this.candidate = undefined;
          this.detach?.();
          host.tookOver(next, connack, plan);
        },
        (cause) => failed(cause.message, cause)
      );
    });
  }

  /** Reports a failed renewal and tries again while the credentials in use last. */
  private failed(diagnosis: Diagnosis, expiresAt: number, cause?: unknown): void {
    this.host.fail(diagnosis, cause);
    const left = expiresAt - Date.now();
    if (left > RETRY_MIN) this.later(Math.max(RETRY_MIN, left * RETRY_SHARE), expiresAt);
  }
}
