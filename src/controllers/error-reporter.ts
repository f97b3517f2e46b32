import { MqttErrorEvent } from '../events.js';

const MAX_REMEMBERED = 100;

/**
 * Reports an element's problems: an `mqtt-error` event every time, the problem as a sentence in the
 * element's `error` attribute (for pages without script: CSS and tooltips can show it), and a console
 * warning once per distinct problem, so that a retry loop does not flood the console.
 */
export class ErrorReporter {
  private readonly warned = new Set<string>();

  constructor(private readonly host: HTMLElement) {}

  /** The last problem as a sentence with its hint, until {@link clear}. */
  get error(): string | undefined {
    return this.host.getAttribute('error') ?? undefined;
  }

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
    this.host.setAttribute('error', `${err.message} ${hint}`);
    this.host.dispatchEvent(new MqttErrorEvent({ error: err, code: numericCode, hint }));
    return hint;
  }

  /** The element works again: removes the `error` attribute. */
  clear(): void {
    if (this.host.hasAttribute('error')) this.host.removeAttribute('error');
  }

  /** Forgets what was warned, so that a problem that comes back is warned again. */
  reset(): void {
    this.warned.clear();
  }
}
