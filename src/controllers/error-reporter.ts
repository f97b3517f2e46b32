import { MqttErrorEvent } from '../events.js';
import { MqttDiagnosticError, type Diagnosis } from '../session/diagnostics.js';

const MAX_REMEMBERED = 100;
/** The key under which a passing problem (not caused by a setting) is kept. */
const PASSING = '';

/**
 * The one owner of an element's `error` attribute and of its `mqtt-error` events. Every part of an
 * element (its controllers, its base class, the element itself) reports through it, and one rule
 * decides what the attribute shows: the most recent problem that still stands.
 *
 * - A problem with a `setting` (an attribute such as `qos` or `map`) stands until that setting is
 *   {@link settle}d (checked again and found right).
 * - Any other problem (a bad payload, a failed publish) is *passing*: it stands until the element
 *   next works ({@link clear}), and a newer passing problem replaces it.
 *
 * Each report fires an `mqtt-error` event; the console gets one warning per distinct problem, so that
 * a retry loop or a stream of bad payloads does not flood it.
 */
export class ErrorReporter {
  private readonly warned = new Set<string>();
  /** The sentence of each problem that stands, by setting ('' for the passing one), oldest first. */
  private readonly standing = new Map<string, string>();

  constructor(readonly host: HTMLElement) {}

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
    const name = setting ?? PASSING;
    // Re-inserted, so that it is the most recent.
    this.standing.delete(name);
    this.standing.set(name, `${err.message} ${hint}`);
    this.show();
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

  /** The attribute `setting` is right (again): its problem no longer stands. */
  settle(setting: string): void {
    if (this.standing.delete(setting)) this.show();
  }

  /** The element works again: the passing problem no longer stands (wrong settings still do). */
  clear(): void {
    // Called for every good message: nothing to look up while nothing stands.
    if (this.standing.size > 0) this.settle(PASSING);
  }

  /** Forgets what was warned, so that a problem that comes back is warned again. */
  reset(): void {
    this.warned.clear();
  }

  private show(): void {
    let sentence: string | undefined;
    for (const standing of this.standing.values()) sentence = standing;
    if (sentence === undefined) this.host.removeAttribute('error');
    else if (this.host.getAttribute('error') !== sentence) this.host.setAttribute('error', sentence);
  }
}
