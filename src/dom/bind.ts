import { valueText } from '../session/codec.js';
import { MqttDiagnosticError } from '../session/diagnostics.js';

/** Properties that would turn a broker's text into markup or code. */
const UNSAFE_PROPERTIES = new Set(['innerhtml', 'outerhtml', 'srcdoc', 'insertadjacenthtml']);
/** Attributes and properties (lower case) whose value a browser may load or run as a url. */
const URL_NAMES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'data',
  'poster',
  'cite',
  'codebase',
  'background',
  'ping',
]);
/** Elements whose text is code: nothing from a broker is written to them. */
const CODE_ELEMENTS = new Set(['script', 'style']);

const TEXT_HINT =
  'Bind text instead: bind="textContent", bind="value" or bind="attr:title". Nothing a broker sends is ever inserted as HTML or run as code.';

/**
 * Checks a `bind` attribute: a property name, or `attr:NAME`. Throws an error with a hint for
 * bindings that could let a payload become markup or code (HTML-setting properties, `on*`, `attr:on*`).
 */
export function checkBinding(bind: string): void {
  const name = (bind.startsWith('attr:') ? bind.slice(5) : bind).toLowerCase();
  if (!name) {
    throw new MqttDiagnosticError({
      message: `bind="${bind}" names nothing.`,
      hint: 'Use a property such as bind="textContent" or an attribute such as bind="attr:title".',
    });
  }
  if (UNSAFE_PROPERTIES.has(name) || name.startsWith('on')) {
    throw new MqttDiagnosticError({
      message: `bind="${bind}" would let a message become markup or code.`,
      hint: TEXT_HINT,
    });
  }
}

/** Whether a url-like value is a `javascript:` or `vbscript:` url. */
function isScriptUrl(value: string): boolean {
  // Browsers ignore control characters and spaces inside the scheme: strip them before looking.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is stripped
  return /^(javascript|vbscript):/i.test(value.replace(/[\u0000-\u0020]/g, ''));
}

/**
 * Writes `value` to `target` as `bind` says (checked with {@link checkBinding} first). Objects go
 * to string properties as JSON. Throws for a script url in a url attribute or property, and for
 * `<script>` and `<style>` targets.
 */
export function applyBinding(target: Element, bind: string, value: unknown): void {
  const attribute = bind.startsWith('attr:') ? bind.slice(5) : undefined;
  const name = attribute ?? bind;
  if (CODE_ELEMENTS.has(target.localName)) {
    throw new MqttDiagnosticError({
      message: `bind="${bind}" targets a <${target.localName}>, whose text is code.`,
      hint: TEXT_HINT,
    });
  }
  const record = target as unknown as Record<string, unknown>;
  const text = value === true && attribute ? '' : valueText(value);
  if (URL_NAMES.has(name.toLowerCase()) && isScriptUrl(text)) {
    throw new MqttDiagnosticError({
      message: `A message tried to set ${name}="${text.slice(0, 40)}" on <${target.localName}>.`,
      hint: 'Script urls (javascript:) are refused; publish plain http(s) urls only.',
    });
  }
  if (attribute) {
    if (value === null || value === undefined || value === false) target.removeAttribute(attribute);
    else target.setAttribute(attribute, text);
    return;
  }
  record[bind] = typeof record[bind] === 'string' || bind === 'textContent' ? text : value;
}
