import { MqttErrorEvent } from '../events.js';

const MAX_REMEMBERED = 100;

/**
 * Reports an element's problems: an `mqtt-error` event every time, and a console warning once per
 * distinct problem, so that a retry loop does not flood the console.
 */
export class ErrorReporter {
  private readonly warned = new Set<string>();

  constructor(private readonly host: HTMLElement) {}

  /** Reports `error`; returns the hint that goes with it. */
  report(error: unknown): string {
    const err = error instanceof Error ? error : new Error(String(error));
    const { hint: givenHint, code } = err as Error & { hint?: unknown; code?: unknown };
    const hint = typeof givenHint === 'string' ? givenHint : 'See the error message for what went wrong.';
    const numericCode = typeof code === 'number' ? code : undefined;
    // One warning per kind of problem: the message may quote a payload that differs every time.
    const key = `${err.name}\n${hint}`;
    if (!this.warned.has(key)) {
      if (this.warned.size >= MAX_REMEMBERED) this.warned.clear();
      this.warned.add(key);
      console.warn(`<${this.host.localName}>: ${err.message}\n${hint}`);
    }
    this.host.dispatchEvent(new MqttErrorEvent({ error: err, code: numericCode, hint }));
    return hint;
  }

  /** Forgets what was warned, so that a problem that comes back is warned again. */
  reset(): void {
    this.warned.clear();
  }
}
