import type { PropertyValues, ReactiveController, ReactiveElement } from 'lit';
import { elementLocale } from '../dom/lang.js';
import { numberFormat } from '../lib/intl.js';
import type { MqttMessage } from '../session/message.js';
import type { ErrorReporter } from './error-reporter.js';
import { numbersFromStrings } from './numbers.js';
import { checkDigits, checkLocale } from './settings.js';

/** The band a numeric value falls in, given `low` and `high`. */
export type ValueLevel = 'low' | 'normal' | 'high';

/** What an element that shows a reading (`<mqtt-value>`, `<mqtt-gauge>`) has for this controller to read. */
export interface ReadingHost extends ReactiveElement {
  digits?: number;
  locale?: string;
  low?: number;
  high?: number;
  staleAfter?: number;
  readonly message: MqttMessage | undefined;
}

/** `low`, `high` or `normal` for `value` against the thresholds; none without a number or a threshold. */
export function levelOf(value: unknown, low: number | undefined, high: number | undefined): ValueLevel | undefined {
  if (typeof value !== 'number' || (low === undefined && high === undefined)) return undefined;
  if (low !== undefined && value < low) return 'low';
  if (high !== undefined && value > high) return 'high';
  return 'normal';
}

/**
 * What every element that shows a reading shares: `digits` and `locale` checked and applied to
 * numbers, the `level` attribute, and the `stale` attribute after `stale-after` seconds without a
 * message (one timer per element). Call {@link read} from `willUpdate` and {@link received} for each
 * message.
 */
export class ReadingController implements ReactiveController {
  /** `digits` if valid. */
  private digits: number | undefined;
  /** `locale` if valid. */
  private locale: string | undefined;
  private staleTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the last message came (or the element was connected, before any). */
  private quietSince = 0;

  constructor(
    private readonly host: ReadingHost,
    private readonly reporter: ErrorReporter
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.quietSince = this.host.message?.receivedAt ?? Date.now();
    this.checkStale();
  }

  hostDisconnected(): void {
    clearTimeout(this.staleTimer);
    this.staleTimer = undefined;
  }

  /** Reads the settings that changed (framework strings as numbers, then `locale`, `digits`, `stale-after`). */
  read(changed: PropertyValues): void {
    const host = this.host;
    numbersFromStrings(host, ['digits', 'low', 'high', 'staleAfter'], changed);
    if (changed.has('locale')) this.locale = checkLocale(this.reporter, host.locale);
    if (changed.has('digits')) this.digits = checkDigits(this.reporter, host.digits);
    if (changed.has('staleAfter')) this.checkStale();
  }

  /** Sets the reflected `level` attribute, or removes it without a level. */
  reflectLevel(level: ValueLevel | undefined): void {
    if (level) this.host.setAttribute('level', level);
    else this.host.removeAttribute('level');
  }

  /** A message came: `stale` is cleared (unless it is a remembered one), the quiet time starts again. */
  received(message: MqttMessage): void {
    this.quietSince = message.receivedAt;
    // Without stale-after, nothing to do per message (checkStale removed the attribute when it was
    // unset); the element's base class sets and clears it for remembered messages.
    if (this.host.staleAfter && !message.remembered) {
      if (this.host.hasAttribute('stale')) this.host.removeAttribute('stale');
      if (this.staleTimer === undefined) this.checkStale();
    }
  }

  /** `value` formatted for the element's locale with its digits. */
  format(value: number): string {
    return numberFormat(elementLocale(this.host, this.locale), this.digits).format(value);
  }

  /**
   * Sets `stale` when `stale-after` seconds passed without a message, else arms the element's one
   * timer for when they will have (messages only move the due time; the timer checks again).
   */
  private checkStale(): void {
    clearTimeout(this.staleTimer);
    this.staleTimer = undefined;
    const host = this.host;
    const seconds = host.staleAfter;
    // A remembered value (`persist`) is stale until a live message comes.
    const remembered = host.message?.remembered === true;
    if (!seconds || seconds <= 0 || !host.isConnected) {
      host.toggleAttribute('stale', remembered);
      return;
    }
    const left = this.quietSince + seconds * 1000 - Date.now();
    host.toggleAttribute('stale', remembered || left <= 0);
    // setTimeout fires at once for delays beyond 2^31 - 1 ms (about 24.8 days): wait in steps.
    if (left > 0) this.staleTimer = setTimeout(() => this.checkStale(), Math.min(left, 2 ** 31 - 1));
  }
}
