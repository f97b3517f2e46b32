import { langLocale } from '../lib/intl.js';

/** The `lang` that applies to `el`, looking through the shadow roots it sits in. */
export function nearestLang(el: Element): string | undefined {
  for (let node: Element | undefined = el; node;) {
    const lang = node.closest('[lang]')?.getAttribute('lang');
    if (lang) return lang;
    const root = node.getRootNode();
    node = root instanceof ShadowRoot ? root.host : undefined;
  }
  return undefined;
}

/**
 * The locale `el` formats with: `locale` (an attribute already checked, see `checkLocale`), else
 * the nearest `lang` read leniently (`en_US` as `en-US`), else `undefined` (the browser's).
 */
export function elementLocale(el: Element, locale: string | undefined): string | undefined {
  return locale ?? langLocale(nearestLang(el));
}
