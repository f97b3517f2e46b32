import type { ErrorReporter } from '../controllers/error-reporter.js';
import { checkNumber, positive, wholeNumber, type NumberRule } from '../controllers/settings.js';
import type { Diagnosis } from '../session/diagnostics.js';

/** What the chart's numeric settings accept (each checked with `checkNumber`). DOM-free. */

const MAX_MAX_POINTS = 100_000;

/** `window`: a positive number of seconds. */
export const WINDOW_RULE: NumberRule = {
  valid: positive,
  what: 'a number of seconds',
  allowed: 'a positive number of seconds, such as window="300" (5 minutes)',
};

/** `max-points`: a whole number from 2 to 100 000. */
export const MAX_POINTS_RULE: NumberRule = {
  valid: wholeNumber(2, MAX_MAX_POINTS),
  what: 'a number of points',
  allowed: `a whole number from 2 to ${MAX_MAX_POINTS}, such as max-points="1000"`,
};

/** `min` or `max`: any finite number. */
export const endRule = (name: 'min' | 'max'): NumberRule => ({
  valid: Number.isFinite,
  what: 'a number',
  allowed: `a plain number, such as ${name}="0", or leave it out for an axis that follows the data`,
});

/** What is wrong with the y axis's ends together (`min` not below `max`), if anything. */
export function rangeProblem(min: number | undefined, max: number | undefined): Diagnosis | undefined {
  if (min === undefined || max === undefined || min < max) return undefined;
  return {
    message: `min="${min}" is not below max="${max}".`,
    hint: 'Make min smaller than max, such as min="0" max="40"; the axis follows the data meanwhile.',
  };
}

/**
 * The y axis's fixed ends, checked and reported through `reporter`: an end that is not a number is
 * ignored; `min` not below `max`, both.
 */
export function validRange(
  reporter: ErrorReporter,
  min: number | undefined,
  max: number | undefined
): [number | undefined, number | undefined] {
  const low = checkNumber(reporter, 'min', min, undefined, endRule('min'));
  const high = checkNumber(reporter, 'max', max, undefined, endRule('max'));
  return reporter.check('min/max', rangeProblem(low, high)) ? [low, high] : [undefined, undefined];
}
