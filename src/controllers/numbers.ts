import type { PropertyValues } from 'lit';

/**
 * Frameworks set properties as written: React's and Vue's `digits="1"` give the string '1', where
 * an HTML attribute would give the number. Numeric properties take such strings as the numbers they
 * spell (anything else is left for the element's own checks to report). Call from `willUpdate`.
 */
export function numbersFromStrings<T extends object>(
  host: T,
  names: readonly (keyof T & string)[],
  changed: PropertyValues
): void {
  for (const name of names) {
    const value: unknown = host[name];
    if (!changed.has(name) || typeof value !== 'string' || value.trim() === '') continue;
    const number = Number(value);
    if (Number.isFinite(number)) (host as Record<string, unknown>)[name] = number;
  }
}
