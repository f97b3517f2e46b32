import { MqttErrorEvent } from '../events.js';
import { MqttDiagnosticError, type Diagnosis } from '../session/diagnostics.js';

const MAX_REMEMBERED = 100;

/**
 * Reports an element's problems: an `mqtt-error` event every time, the problem as a sentence in the
 * element's `error` attribute (for pages without script: CSS and tooltips can show it), and a console
 * warning once per distinct problem, so that a retry loop or a stream of bad payloads does not flood
 * the console.
 *
 * A problem with a `setting` (an attribute such as `qos` or `map`) stays in the `error` attribute
 * until that setting is {@link settle}d; other problems (a bad payload, a failed publish) stay until
 * the element next works ({@link clear}).
 */
export class ErrorReporter {
  private readonly warned = new Set<string>();
  /** The sentence of each setting that is wrong now. */
  private readonly settings = new Map<string, string>();
  private passing: string | undefined;

  constructor(private readonly host: HTMLElement) {}

  /** The current problem as a sentence with its hint, if any. */
  get error(): string | undefined {
    return this.host.getAttribute('error') ?? undefined;
  }

  /** Reports `error` (caused by the attribute `setting`, if given); returns its hint. */
  report(error: unknown, setting?: string): string {
    const err = error instanceof Error ? error : new Error(String(error));
    const { hint: givenHint, code } = err as Error & { hint?: unknown; code?: unknown };
    const hint = typeof givenHint === 'string' ? givenHint : 'See the error message for what went wrong.';
    const numericCode = typeof code === 'number' ? code : undefined;
    // One warning per kind of problem: hints are fixed sentences, messages quote what differs (a payload).
    const key = `${err.name}\n${hint}`;
    if (!this.warned.has(key)) {
      if (this.warned.size >= MAX_REMEMBERED) this.warned.clear();
      this.warned.add(key);
      console.warn(`<${this.host.localName}>: ${err.message}\n${hint}`);
    }
    const sentence = `${err.message} ${hint}`;
    if (setting) this.settings.set(setting, sentence);
    else this.passing = sentence;
    this.host.setAttribute('error', sentence);
    this.host.dispatchEvent(new MqttErrorEvent({ error: err, code: numericCode, hint }));
    return hint;
  }

  /**
   * Checks the attribute `setting`: without a `problem` it is settled; with one, reported. Returns
   * whether the setting is right.
   */
  check(setting: string, problem: Diagnosis | undefined): boolean {
    if (problem) this.report(new MqttDiagnosticError(problem), setting);
    else this.settle(setting);
    return !problem;
  }

  /** The attribute `setting` is right (again): its problem leaves the `error` attribute. */
  settle(setting: string): void {
    if (this.settings.delete(setting)) this.show();
  }

  /** The element works again: a passing problem leaves the `error` attribute (wrong settings stay). */
  clear(): void {
    if (this.passing === undefined) return;
    this.passing = undefined;
    this.show();
  }

  /** Forgets what was warned, so that a problem that comes back is warned again. */
  reset(): void {
    this.warned.clear();
  }

  private show(): void {
    const sentence = this.passing ?? [...this.settings.values()].pop();
    if (sentence === undefined) this.host.removeAttribute('error');
    else this.host.setAttribute('error', sentence);
  }
}
