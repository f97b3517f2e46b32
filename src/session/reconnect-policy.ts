/**
 * The delay before reconnect attempt `attempt` (0 for the first): exponential back-off from `period`
 * up to `max`, with "equal jitter" (a random delay between half the ceiling and the ceiling), so that
 * many pages that lost the same broker do not all come back at the same moment.
 */
export function reconnectDelay(
  attempt: number,
  period: number,
  max: number,
  random: () => number = Math.random
): number {
  const ceiling = Math.min(Math.max(period, Number.isFinite(max) ? max : period), period * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}

export interface ReconnectPolicyOptions {
  /** The first delay, ms (MQTT.js's `reconnectPeriod`). */
  period: number;
  /** The longest delay, ms (`reconnectMaxPeriod`); also bounds how long a connection must last to count as stable. */
  max: number;
  /** Where the jitter comes from, a number in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/** How many short-lived connections in a row are reported as flapping. */
const FLAPS_REPORTED = 3;

/**
 * When to reconnect, for one url's series of attempts: back-off between attempts, and flap
 * detection. Pure: the caller passes the times (ms, from any clock) and may pass the random source.
 */
export class ReconnectPolicy {
  /** Attempts since the back-off last started again. */
  attempts = 0;
  /** Connections in a row that closed before they became stable. */
  flaps = 0;
  /** When the current connection was accepted. */
  private connectedAt = 0;

  /** The first delay, ms; 0 or less: no reconnects. */
  readonly period: number;
  private readonly max: number;
  private readonly random: () => number;

  constructor({ period, max, random = Math.random }: ReconnectPolicyOptions) {
    this.period = period;
    this.max = max;
    this.random = random;
  }

  /** The delay before the next attempt; each call counts one attempt. */
  nextDelay(): number {
    return reconnectDelay(this.attempts++, this.period, this.max, this.random);
  }

  /** The broker accepted a connection at `now`. */
  connected(now: number): void {
    this.connectedAt = now;
  }

  /**
   * The accepted connection closed at `now`. The back-off starts again once a connection has stayed
   * up for a while (the shorter of `max` and 10 s), not on every accepted connection: a broker that
   * closes each new connection at once (two pages with the same client id push each other out) must
   * not be retried at the shortest period forever. Returns true for the third such connection in a
   * row: the one to report.
   */
  closed(now: number): boolean {
    if (now - this.connectedAt >= Math.min(this.max, 10000)) {
      this.attempts = 0;
      this.flaps = 0;
      return false;
    }
    return ++this.flaps === FLAPS_REPORTED;
  }
}
