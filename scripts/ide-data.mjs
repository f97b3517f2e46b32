// Writes the editor data for the elements from custom-elements.json, which `cem analyze` generates
// from the JSDoc in src/: vscode.html-custom-data.json (VS Code's `html.customData`) and
// web-types.json (JetBrains IDEs, named by `web-types` in package.json).
// `node scripts/ide-data.mjs --check` fails instead when a committed file is out of date.
import { readFileSync, writeFileSync } from 'node:fs';

export const FILES = { vscode: 'vscode.html-custom-data.json', webTypes: 'web-types.json' };

const elementsOf = (manifest) =>
  manifest.modules.flatMap((mod) => (mod.declarations ?? []).filter((d) => d.customElement && d.tagName));

// The type as the analyzer spelled it, with aliases spelled out (see cem-expanded-types.mjs).
const typeText = (item) => item.expandedType?.text ?? item.type?.text ?? '';

/**
 * What an attribute's value can be, from its type text alone: `boolean` (present or absent),
 * `enum` (a union of string or number literals: `'a' | 'b'`, `3 | 4 | 5`) or `open` (anything else,
 * such as `string`, `number` or an alias the manifest does not spell out). `undefined` and `null`
 * only mean "unset". A boolean that defaults to true cannot be switched off by being absent, so
 * its attribute takes a word (`clean="false"`) that the type does not name: it is `open`.
 */
export function attributeValue(attribute) {
  const parts = typeText(attribute)
    .split('|')
    .map((p) => p.trim())
    .filter((p) => p && p !== 'undefined' && p !== 'null');
  const type = parts.join(' | ') || 'string';
  if (type === 'boolean')
    return attribute.default === 'true' ? { kind: 'open', type: 'string' } : { kind: 'boolean', type };
  const values = [];
  for (const part of parts) {
    const literal = /^'([^'\\]*)'$|^"([^"\\]*)"$|^(-?\d+(?:\.\d+)?)$/.exec(part);
    if (!literal) return { kind: 'open', type };
    values.push(literal[1] ?? literal[2] ?? literal[3]);
  }
  return { kind: 'enum', type, values };
}

const markdown = (value) => ({ kind: 'markdown', value });
const withDefault = (a) =>
  a.default === undefined ? (a.description ?? '') : `${a.description ?? ''}\n\nDefault: \`${a.default}\``;
const elementDoc = (el) =>
  [el.summary && `**${el.summary.trim()}**`, el.description?.trim()].filter(Boolean).join('\n\n');

/** VS Code HTML custom data (version 1.1), for the `html.customData` setting. */
export function vscodeCustomData(manifest) {
  return {
    version: 1.1,
    tags: elementsOf(manifest).map((el) => {
      // VS Code has no place for events: list them in the tag's hover.
      const events = (el.events ?? []).map((e) => `- \`${e.name}\`: ${e.description}`);
      return {
        name: el.tagName,
        description: markdown(
          [elementDoc(el), events.length && `Events:\n\n${events.join('\n')}`].filter(Boolean).join('\n\n')
        ),
        attributes: (el.attributes ?? []).map((a) => {
          const value = attributeValue(a);
          return {
            name: a.name,
            description: markdown(withDefault(a)),
            // "v" is VS Code's value set of attributes that take no value.
            ...(value.kind === 'boolean' && { valueSet: 'v' }),
            ...(value.kind === 'enum' && { values: value.values.map((name) => ({ name })) }),
          };
        }),
      };
    }),
  };
}

/** JetBrains web-types (version 2) for plain HTML, no framework: elements, attributes, slots, JS properties and events. */
export function webTypes(manifest, version) {
  const publicFields = (el) =>
    (el.members ?? []).filter(
      (m) => m.kind === 'field' && !m.static && (m.privacy ?? 'public') === 'public' && !m.name.startsWith('_')
    );
  return {
    $schema: 'http://json.schemastore.org/web-types',
    name: 'mqtt-elements',
    version,
    'js-types-syntax': 'typescript',
    'description-markup': 'markdown',
    contributions: {
      html: {
        elements: elementsOf(manifest).map((el) => ({
          name: el.tagName,
          description: elementDoc(el),
          attributes: (el.attributes ?? []).map((a) => {
            const value = attributeValue(a);
            return {
              name: a.name,
              description: a.description,
              ...(a.default !== undefined && { default: a.default }),
              // An attribute's value is text: number literals are offered as the strings they are written as.
              value:
                value.kind === 'boolean'
                  ? { kind: 'no-value', type: 'boolean' }
                  : {
                      kind: 'plain',
                      type: value.kind === 'enum' ? value.values.map((v) => `'${v}'`).join(' | ') : value.type,
                    },
            };
          }),
          ...(el.slots?.length && { slots: el.slots.map((s) => ({ name: s.name, description: s.description })) }),
          // Web-types 2 keeps an element's events with its JS side (the `events` of an element was
          // the layout of version 1, whose elements were `tags`).
          js: {
            properties: publicFields(el).map((p) => ({ name: p.name, description: p.description, type: typeText(p) })),
            events: (el.events ?? []).map((e) => ({ name: e.name, description: e.description })),
          },
        })),
      },
    },
  };
}

/** Both files' text, keyed by file name. */
export function ideFiles(manifest, version) {
  const json = (data) => `${JSON.stringify(data, null, 2)}\n`;
  return { [FILES.vscode]: json(vscodeCustomData(manifest)), [FILES.webTypes]: json(webTypes(manifest, version)) };
}

/** The names of the committed files that differ from `files`. */
export function staleFiles(files, read = (name) => readFileSync(name, 'utf8')) {
  return Object.entries(files)
    .filter(([name, text]) => {
      try {
        return read(name) !== text;
      } catch {
        return true; // missing
      }
    })
    .map(([name]) => name);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
  const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
  const files = ideFiles(manifest, version);
  if (process.argv.includes('--check')) {
    const stale = staleFiles(files);
    if (stale.length) {
      console.error(`${stale.join(', ')}: out of date with custom-elements.json. Run: node scripts/ide-data.mjs`);
      process.exit(1);
    }
  } else {
    for (const [name, text] of Object.entries(files)) writeFileSync(name, text);
    console.log(`${Object.keys(files).join(', ')}: written from custom-elements.json`);
  }
}
