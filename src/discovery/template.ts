/**
 * The forms of Home Assistant's `value_template` that devices publish in discovery configs, read
 * without a template engine: `{{ value }}`, `{{ value_json.a.b }}`, `{{ value_json['a'] }}`,
 * `{{ value_json["a"][0] }}`, each with filters `| float`, `| int`, `| round(n)` (and `float(0)`,
 * `int(0)`, `round(n, 'common')`, `| string`, `| lower`, `| upper`, `| trim`). DOM-free.
 */

/** What a supported template does: read `path` from the JSON payload (none: the payload), then the filters. */
export interface ValueTemplate {
  /** A path for the kit's `path` attribute (`a.b[0]`); undefined for `{{ value }}`. */
  readonly path?: string;
  /** The number conversion asked for: `float`, or `int` (truncated). */
  readonly number?: 'float' | 'int';
  /** `round(n)`: fraction digits. */
  readonly digits?: number;
  /** Text filters, in order. */
  readonly text?: readonly ('lower' | 'upper' | 'trim')[];
}

const WHOLE =
  /^\{\{\s*(value_json|value)((?:\.[A-Za-z_]\w*|\[\s*(?:\d+|'[^']*'|"[^"]*")\s*\])*)\s*((?:\|\s*[a-z_]+(?:\([^)]*\))?\s*)*)\}\}$/;
const ACCESS = /\.([A-Za-z_]\w*)|\[\s*(?:(\d+)|'([^']*)'|"([^"]*)")\s*\]/g;
const FILTER = /\|\s*([a-z_]+)(?:\(([^)]*)\))?/g;

/** Reads `template`; undefined when it is not one of the supported forms (the raw value is shown then). */
export function parseValueTemplate(template: string): ValueTemplate | undefined {
  const whole = WHOLE.exec(template.trim());
  if (!whole) return undefined;
  const [, root, access, filters] = whole;
  const keys: string[] = [];
  for (const [, dotted, index, single, double] of access.matchAll(ACCESS)) {
    const key = dotted ?? single ?? double;
    // The kit's paths split on dots and brackets: a key holding either cannot be written as one.
    if (key !== undefined && /[.[\]]/.test(key)) return undefined;
    keys.push(index !== undefined ? `[${index}]` : (keys.length > 0 ? '.' : '') + key);
  }
  if (root === 'value' && keys.length > 0) return undefined;
  let number: ValueTemplate['number'];
  let digits: number | undefined;
  const text: ('lower' | 'upper' | 'trim')[] = [];
  for (const [, name, args = ''] of filters.matchAll(FILTER)) {
    if (name === 'float' || name === 'int') number = name;
    else if (name === 'round') {
      const n = args.split(',')[0].trim();
      digits = n === '' ? 0 : /^\d+$/.test(n) ? Number(n) : NaN;
      if (Number.isNaN(digits)) return undefined;
      number ??= 'float';
    } else if (name === 'lower' || name === 'upper' || name === 'trim') text.push(name);
    else if (name !== 'string') return undefined;
  }
  const path = keys.join('') || undefined;
  return { path, number, digits, text: text.length > 0 ? text : undefined };
}

/** Applies a template's filters to the value read at its path. */
export function applyTemplate(template: ValueTemplate, value: unknown): unknown {
  let result = value;
  if (template.number) {
    const number = typeof result === 'number' ? result : Number.parseFloat(String(result));
    if (Number.isNaN(number)) return value;
    result = template.number === 'int' ? Math.trunc(number) : number;
    if (template.digits !== undefined) {
      const scale = 10 ** template.digits;
      result = Math.round((result as number) * scale) / scale;
    }
  }
  for (const filter of template.text ?? []) {
    const text = String(result);
    result = filter === 'lower' ? text.toLowerCase() : filter === 'upper' ? text.toUpperCase() : text.trim();
  }
  return result;
}
