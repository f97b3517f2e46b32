/**
 * Locales and cached `Intl` formatters, one place for every element that formats numbers or times
 * (as github/relative-time-element's intl-cache). DOM-free: the element finds the `lang` and passes it.
 *
 * The rule (SPEC "Locale"): the `locale` attribute, else the nearest `lang`, else the browser's. Only
 * an invalid `locale` attribute is an error; an invalid `lang` such as `en_US` is read as the tag it
 * means (`en-US`), or else as the browser's, never a throw.
 */

/** At most this many locales or formatters are kept per cache; then it starts again. */
const MAX_CACHED = 200;

/** `tag` as a canonical language tag, or `undefined` when it is not one. */
export function validLocale(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/** The locales the `lang`s seen so far mean (read on every render: a page has few of them). */
const langs = new Map<string, string | undefined>();

/** A page's `lang` as a locale: as written when valid, else with `_` read as `-`, else none (the browser's). */
export function langLocale(lang: string | null | undefined): string | undefined {
  if (!lang) return undefined;
  if (langs.has(lang)) return langs.get(lang);
  const text = lang.trim();
  const locale = text ? (validLocale(text) ?? validLocale(text.replace(/_/g, '-'))) : undefined;
  if (langs.size >= MAX_CACHED) langs.clear();
  langs.set(lang, locale);
  return locale;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached<F>(cache: Map<string, F>, key: string, make: () => F): F {
  let format = cache.get(key);
  if (!format) {
    if (cache.size >= MAX_CACHED) cache.clear();
    format = make();
    cache.set(key, format);
  }
  return format;
}

/**
 * A number formatter for `locale` (a valid tag or `undefined` for the browser's): `digits` fixed
 * fraction digits, else up to 6. Shared by every element that asks for the same.
 */
export function numberFormat(locale: string | undefined, digits?: number): Intl.NumberFormat {
  return cached(numberFormats, `${locale}|${digits}`, () =>
    digits === undefined
      ? new Intl.NumberFormat(locale, { maximumFractionDigits: 6 })
      : new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })
  );
}

/** How a time is written: `medium` (a log's 12:04:30 PM), `minutes` or `seconds` (a chart's axis). */
export type TimeStyle = 'medium' | 'minutes' | 'seconds';

const TIME_OPTIONS: Record<TimeStyle, Intl.DateTimeFormatOptions> = {
  medium: { timeStyle: 'medium' },
  minutes: { hour: 'numeric', minute: '2-digit' },
  seconds: { hour: 'numeric', minute: '2-digit', second: '2-digit' },
};

/** A time formatter for `locale` (a valid tag or `undefined` for the browser's), shared like {@link numberFormat}. */
export function timeFormat(locale: string | undefined, style: TimeStyle): Intl.DateTimeFormat {
  return cached(dateFormats, `${locale}|${style}`, () => new Intl.DateTimeFormat(locale, TIME_OPTIONS[style]));
}

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const agoTexts = new Map<string, string>();
const AGO_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/**
 * How long ago `ms` milliseconds is, in its largest whole unit from seconds to days, short and in
 * `locale` ("now", "5s ago", "3 min ago"). The texts are cached too: a tree writes one per row
 * shown, in every frame that renders.
 */
export function timeAgo(locale: string | undefined, ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const [unit, size] = AGO_UNITS.find(([, size]) => seconds >= size) ?? AGO_UNITS[3]!;
  const count = Math.floor(seconds / size);
  const key = `${locale}|${unit}|${count}`;
  let text = agoTexts.get(key);
  if (text === undefined) {
    const format = cached(
      relativeFormats,
      `${locale}`,
      () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'narrow' })
    );
    text = format.format(-count, unit);
    if (agoTexts.size >= MAX_CACHED * 5) agoTexts.clear();
    agoTexts.set(key, text);
  }
  return text;
}
