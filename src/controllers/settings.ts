import { isPayloadType, type PayloadType } from '../session/codec.js';
import type { QoS } from '../session/message.js';
import { validateTopic } from '../session/topic.js';
import { validLocale } from '../lib/intl.js';
import type { ErrorReporter } from './error-reporter.js';

/**
 * The attribute validators every element uses: each reads a setting, reports what is wrong under
 * the attribute's name (see {@link ErrorReporter.check}) and returns what to use meanwhile. A
 * setting that was removed (`undefined` or `null`) is no problem.
 */

/** What a numeric setting accepts. */
export interface NumberRule {
  /** Whether a number is accepted. */
  readonly valid: (n: number) => boolean;
  /** What the attribute should be, for the message: `a number of seconds`. */
  readonly what: string;
  /** What to write, for the hint: `a positive number of seconds, such as window="300"`. */
  readonly allowed: string;
}

const given = (value: unknown) => value !== undefined && value !== null;

/** The attribute as the page wrote it, else the property's value. */
function written(reporter: ErrorReporter, attribute: string, value: unknown): string {
  return reporter.host.getAttribute(attribute) ?? String(value);
}

/**
 * A numeric setting: `value` when the rule accepts it, `fallback` when it is not set; anything else
 * is reported (`what` it should be, `allowed` values, and that `fallback` is used meanwhile).
 */
export function checkNumber<F extends number | undefined>(
  reporter: ErrorReporter,
  attribute: string,
  value: number | null | undefined,
  fallback: F,
  rule: NumberRule
): number | F {
  const ok = !given(value) || (typeof value === 'number' && rule.valid(value));
  const meanwhile = fallback === undefined ? 'it is ignored meanwhile' : `${fallback} is used meanwhile`;
  const problem = ok
    ? undefined
    : {
        message: `${attribute}="${written(reporter, attribute, value)}" is not ${rule.what}.`,
        hint: `Use ${rule.allowed}; ${meanwhile}.`,
      };
  return reporter.check(attribute, problem) && given(value) ? (value as number) : fallback;
}

/** Accepts whole numbers from `min` to `max`. */
export const wholeNumber = (min: number, max: number) => (n: number) => Number.isInteger(n) && n >= min && n <= max;
/** Accepts finite numbers of at least 0. */
export const duration = (n: number) => Number.isFinite(n) && n >= 0;
/** Accepts finite numbers above 0. */
export const positive = (n: number) => Number.isFinite(n) && n > 0;

/** `digits` (fraction digits for numbers): a whole number from 0 to 20, else reported and ignored. */
export function checkDigits(reporter: ErrorReporter, digits: number | null | undefined): number | undefined {
  return checkNumber(reporter, 'digits', digits, undefined, {
    valid: wholeNumber(0, 20),
    what: 'a number of decimals',
    allowed: 'a whole number from 0 to 20, such as digits="1"',
  });
}

/** A QoS attribute as 0, 1 or 2; anything else is reported and read as 0. */
export function checkQos(reporter: ErrorReporter, qos: number | string | null | undefined): QoS {
  // A framework's qos="1" is the string '1' until the element's first update reads it as a number.
  const number = typeof qos === 'string' && qos.trim() !== '' ? Number(qos) : qos;
  const valid = !given(number) || number === 0 || number === 1 || number === 2;
  const problem = valid
    ? undefined
    : { message: `qos="${qos}" is not a QoS level.`, hint: 'Use qos="0", "1" or "2"; QoS 0 is used meanwhile.' };
  return reporter.check('qos', problem) ? (((number as number | undefined) ?? 0) as QoS) : 0;
}

/** A type attribute as a {@link PayloadType}; anything else is reported and read as `auto`. */
export function checkType(reporter: ErrorReporter, type: string | null | undefined): PayloadType {
  const valid = !given(type) || type === '' || isPayloadType(type);
  const problem = valid
    ? undefined
    : {
        message: `type="${type}" is not a payload type.`,
        hint: 'Use auto, text, json, number, boolean or bytes; auto is used meanwhile.',
      };
  return reporter.check('type', problem) ? ((type || 'auto') as PayloadType) : 'auto';
}

/**
 * A `locale` attribute as a canonical language tag; an invalid one is reported (the page's `lang`,
 * else the browser's, is used meanwhile). Only this attribute is checked: a page's `lang` is read
 * leniently where it is used (SPEC "Locale").
 */
export function checkLocale(reporter: ErrorReporter, locale: string | null | undefined): string | undefined {
  const text = locale?.trim();
  const tag = text ? validLocale(text) : undefined;
  const problem =
    !text || tag
      ? undefined
      : {
          message: `locale="${locale}" is not a valid locale.`,
          hint: 'Use a language tag such as "en", "de-CH" or "fr-FR"; the page\'s language is used meanwhile.',
        };
  reporter.check('locale', problem);
  return tag;
}

/** `state-topic` when it is one exact topic (as a publish topic must be); anything else is reported. */
export function checkStateTopic(reporter: ErrorReporter, topic: string | null | undefined): string | undefined {
  if (topic === undefined || topic === null) {
    reporter.settle('state-topic');
    return undefined;
  }
  let problem: { message: string; hint: string } | undefined;
  try {
    validateTopic(topic);
  } catch (error) {
    problem = {
      message: `state-topic: ${(error as Error).message}`,
      hint: 'A control shows the state of one device: use the exact topic it reports on, such as "home/lamp/state", with no + or # (use <mqtt-subscribe> for many topics).',
    };
  }
  return reporter.check('state-topic', problem) ? topic : undefined;
}
