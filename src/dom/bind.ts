import { MqttDiagnosticError } from '../session/diagnostics.js';

/** Properties that would turn a broker's text into markup or code. */
const UNSAFE_PROPERTIES = new Set(['innerHTML', 'outerHTML', 'srcdoc', 'insertAdjacentHTML']);
/** Attributes whose value a browser may load or run as a url. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'srcdoc']);

/**
 * Checks a `bind` attribute: a property name, or `attr:NAME`. Throws an error with a hint for
 * bindings that could let a payload become markup or code (`innerHTML`, `on*`, `attr:on*`).
 */
export function checkBinding(bind: string): void {
  const attribute = bind.startsWith('attr:') ? bind.slice(5).toLowerCase() : undefined;
  const name = attribute ?? bind;
  if (!name) {
    throw new MqttDiagnosticError({ message: `bind="${bind}" names nothing.`, hint: 'Use a property such as bind="textContent" or an attribute such as bind="attr:title".' });
  }
  if (UNSAFE_PROPERTIES.has(name) || name.toLowerCase().startsWith('on') || name === 'srcdoc') {
    throw new MqttDiagnosticError({
      message: `bind="${bind}" would let a message become markup or code.`,
      hint: 'Bind text instead: bind="textContent", bind="value" or bind="attr:title". Nothing a broker sends is ever inserted as HTML.',
    });
  }
}

/** Whether a url-like value is a `javascript:` (or other script) url. */
function isScriptUrl(value: string): boolean {
  // Browsers ignore control characters and spaces inside the scheme: strip them before looking.
  return /^(javascript|vbscript):/i.test(value.replace(/[\u0000-\u0020]/g, ''));
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && !(value instanceof Uint8Array)) return JSON.stringify(value);
  return String(value);
}

/**
 * Writes `value` to `target` as `bind` says (checked with {@link checkBinding} first). Objects go
 * to string properties as JSON. Throws for a script url in a url attribute.
 */
export function applyBinding(target: Element, bind: string, value: unknown): void {
  if (bind.startsWith('attr:')) {
    const name = bind.slice(5);
    if (value === null || value === undefined || value === false) {
      target.removeAttribute(name);
      return;
    }
    const text = value === true ? '' : asText(value);
    if (URL_ATTRIBUTES.has(name.toLowerCase()) && isScriptUrl(text)) {
      throw new MqttDiagnosticError({
        message: `A message tried to set ${name}="${text.slice(0, 40)}" on <${target.localName}>.`,
        hint: 'Script and data urls are refused; publish plain http(s) urls only.',
      });
    }
    target.setAttribute(name, text);
    return;
  }
  const record = target as unknown as Record<string, unknown>;
  record[bind] = typeof record[bind] === 'string' || bind === 'textContent' ? asText(value) : value;
}
