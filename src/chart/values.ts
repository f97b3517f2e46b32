import { valueText } from '../session/codec.js';
import type { Diagnosis } from '../session/diagnostics.js';

/** What a chart makes of decoded values, and the sentences it says about them. DOM-free. */

/** A value as the number to draw: numbers, numeric strings, and booleans as 1/0; else `undefined`. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  return undefined;
}

/** A value as a short text for a message: strings quoted, at most 60 characters. */
export function clip(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : valueText(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A payload on `topic` whose `value` is not a number. */
export function notANumber(topic: string, value: unknown): Diagnosis {
  return {
    message: `The payload on ${topic} is not a number (${clip(value)}), so the chart skips it.`,
    hint: 'A chart draws numbers: publish a number such as 21.5, or add path="field" to pick a number out of a JSON payload.',
  };
}

/** The filter matches more than `max` topics with values within the window. */
export function tooManySeries(filter: string | undefined, max: number): Diagnosis {
  return {
    message: `The filter "${filter}" matches more than ${max} topics that sent values within the window; the chart draws ${max} only.`,
    hint: 'Narrow the topic filter (one chart per group of topics), so that each chart stays readable.',
  };
}

/**
 * What a chart says to assistive technology: the filter, the series and their latest values
 * (written by `format`, with the unit).
 */
export function chartSummary(
  topic: string | undefined,
  series: readonly { readonly label: string; readonly latest: number | undefined }[],
  format: (value: number) => string
): string {
  const what = `Chart of ${topic ?? 'no topic'}`;
  if (series.length === 0) return `${what}: no data yet`;
  const latest = series.map(
    ({ label, latest }) => `${label} ${latest === undefined ? 'no recent value' : format(latest)}`
  );
  return `${what}, ${series.length} series, latest: ${latest.join('; ')}`;
}
