// What every bench prints its figures with: medians, ranges and numbers written to their size.

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The median of `values` (NaN for none).
 * @param {number[]} values
 * @returns {number}
 */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A figure with the digits its size needs ("–" for none). */
export const fmt = (n) =>
  Number.isNaN(n) ? '–' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);

/** "12.3 [10.1–15.0]": the median and the range of `values`; one value alone; "–" for none. */
export const spread = (values) =>
  !values?.length
    ? '–'
    : values.length === 1
      ? fmt(values[0])
      : `${fmt(median(values))} [${fmt(Math.min(...values))}–${fmt(Math.max(...values))}]`;

export const pad = (text, width) => String(text).padEnd(width);
