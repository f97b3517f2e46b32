/**
 * The ticks of `<mqtt-chart>`'s axes: which increments uPlot may choose, and the labels written at
 * them. Every label an axis draws is distinct: the increments are never finer than what its labels
 * can write (`digits` on the y axis, whole seconds or minutes on the time axis), and a label that
 * would repeat an earlier one is left out. DOM-free.
 */

/** Fraction digits written when `digits` is not set (numberFormat writes up to 6). */
const DEFAULT_DIGITS = 6;

/** The finest step the values' labels can write: 10^-digits. */
export const valueStep = (digits: number | undefined): number => 10 ** -(digits ?? DEFAULT_DIGITS);

/**
 * The y axis's tick increments (uPlot's 1, 2, 2.5, 5 per decade), none finer than 10^-digits and
 * each a multiple of it (2.5 × 10^-digits is not), so that ticks `digits` can write fall on ticks.
 */
export function valueIncrs(digits: number | undefined): number[] {
  const finest = -(digits ?? DEFAULT_DIGITS);
  const incrs: number[] = [];
  // Up to 10^15, where uPlot stops too (17 significant digits).
  for (let exp = finest; exp < 16; exp++)
    for (const mult of exp === finest ? [1, 2, 5] : [1, 2, 2.5, 5]) incrs.push(Number(`${mult}e${exp}`));
  return incrs;
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/**
 * The time axis's tick increments, seconds: uPlot's, from whole seconds up (a clock time with
 * seconds is the finest label the axis writes).
 */
export const TIME_INCRS = [
  1,
  5,
  10,
  15,
  30,
  MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  4 * HOUR,
  6 * HOUR,
  8 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  3 * DAY,
  7 * DAY,
  15 * DAY,
  30 * DAY,
];

/** `labels` with any label that repeats an earlier one left out (`null`: uPlot writes nothing there). */
export function distinct(labels: readonly string[]): (string | null)[] {
  const seen = new Set<string>();
  return labels.map((label) => {
    if (seen.has(label)) return null;
    seen.add(label);
    return label;
  });
}

/**
 * Clock times for the time axis's ticks (`splits`, seconds since the epoch, `incr` apart), with
 * seconds while the ticks are less than a minute apart, else minutes only.
 */
export function timeValues(
  splits: readonly number[],
  incr: number,
  formatTime: (ms: number, seconds: boolean) => string
): (string | null)[] {
  const seconds = incr < MINUTE;
  return distinct(splits.map((at) => formatTime(at * 1000, seconds)));
}
