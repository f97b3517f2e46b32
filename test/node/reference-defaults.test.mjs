// A default written as a module constant (`window = DEFAULT_WINDOW`) must reach the manifest, the
// README reference and the IDE data as its value and type (`300`, `number`), not as the constant's
// name with an empty type (scripts/cem-expanded-types.mjs, resolvedDefaults).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { create, ts } from '@custom-elements-manifest/analyzer';
import { litPlugin } from '@custom-elements-manifest/analyzer/src/features/framework-plugins/lit/lit.js';
import { resolvedDefaults } from '../../scripts/cem-expanded-types.mjs';

const text = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const manifest = JSON.parse(text('custom-elements.json'));
const declarations = manifest.modules.flatMap((m) => m.declarations ?? []);
const isPublic = (m) => m.privacy !== 'private' && m.privacy !== 'protected' && !m.name.startsWith('_');
/** A bare constant name such as `DEFAULT_LIMIT` or `MAX`, where a value belongs. */
const constantName = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

test('custom-elements.json: no default is a constant name, and every default has a type', () => {
  let checked = 0;
  for (const d of declarations) {
    const fields = (d.members ?? []).filter((m) => m.kind === 'field' && isPublic(m));
    for (const [kind, item] of [
      ...(d.attributes ?? []).map((a) => ['attribute', a]),
      ...fields.map((f) => ['field', f]),
    ]) {
      if (item.default === undefined) continue;
      checked++;
      const where = `${d.name} ${kind} ${item.name}`;
      assert.doesNotMatch(item.default, /DEFAULT_/, `${where}: default ${item.default}`);
      assert.doesNotMatch(item.default.trim(), constantName, `${where}: default ${item.default}`);
      assert.ok(item.type?.text?.trim(), `${where}: default ${item.default} with an empty type`);
    }
  }
  assert.ok(checked > 30, `checked ${checked} defaults`);
});

test('custom-elements.json: an attribute has the default and type of its property', () => {
  for (const d of declarations) {
    for (const a of d.attributes ?? []) {
      const field = (d.members ?? []).find((m) => m.kind === 'field' && m.name === a.fieldName);
      if (!field) continue;
      if (field.default !== undefined) assert.equal(a.default, field.default, `${d.name} ${a.name}: default`);
      if (field.type?.text) assert.equal(a.type?.text, field.type.text, `${d.name} ${a.name}: type`);
    }
  }
});

test('README reference: no default is a constant name, and no row with a default has an empty type', () => {
  const readme = text('README.md');
  const start = readme.indexOf('<!-- reference:start');
  const end = readme.indexOf('<!-- reference:end -->');
  assert.ok(start > 0 && end > start, 'README.md has the reference markers');
  const rows = readme
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    // Cells split on `|` not escaped as `\|`.
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim())
    );
  const attributeRows = rows.filter((cells) => cells.length === 5);
  assert.ok(attributeRows.length > 50, `${attributeRows.length} attribute rows`);
  for (const [attribute, , type, value] of attributeRows) {
    if (!value) continue;
    const shown = value.replace(/^`|`$/g, '');
    assert.doesNotMatch(shown, /DEFAULT_/, `${attribute}: default ${value}`);
    assert.doesNotMatch(shown, constantName, `${attribute}: default ${value}`);
    assert.ok(type, `${attribute}: default ${value} with an empty type`);
  }
  assert.match(readme, /\| `window` \| `window` \| `number` \| `300` \|/);
  assert.match(readme, /\| `limit` \| `limit` \| `number` \| `50` \|/);
});

test('the plugin resolves module constants, in the module that declares them, also when inherited', () => {
  const source = (name, code) => ts.createSourceFile(name, code, ts.ScriptTarget.ES2022, true);
  const modules = [
    source(
      'src/base.ts',
      `import { LitElement } from 'lit';
       import { property } from 'lit/decorators.js';
       const LIMIT = 7;
       export class Base extends LitElement {
         /** Inherited. */
         @property({ type: Number }) limit = LIMIT;
       }`
    ),
    source(
      'src/el.ts',
      `import { property } from 'lit/decorators.js';
       import { Base } from './base.js';
       const DEFAULT_MODE = 'fast';
       const NEGATIVE = -3;
       const LIMIT = 99;
       /** @tag x-el */
       export class El extends Base {
         /** A mode. */
         @property() mode = DEFAULT_MODE;
         /** An offset. */
         @property({ type: Number }) offset = NEGATIVE;
         /** Not a literal. */
         @property({ type: Number }) twice = LIMIT * 2;
       }
       customElements.define('x-el', El);`
    ),
  ];
  const result = create({ modules, plugins: [...litPlugin(), resolvedDefaults()] });
  const el = result.modules.find((m) => m.path === 'src/el.ts').declarations.find((d) => d.name === 'El');
  const attribute = (name) => el.attributes.find((a) => a.name === name);
  assert.equal(attribute('mode').default, "'fast'");
  assert.equal(attribute('mode').type?.text, 'string');
  assert.equal(attribute('offset').default, '-3');
  assert.equal(attribute('offset').type?.text, 'number');
  // The base module's LIMIT (7), not the subclass module's (99).
  assert.equal(attribute('limit').default, '7');
  assert.equal(attribute('limit').type?.text, 'number');
  assert.equal(attribute('twice').default, undefined, 'no default is made up for an expression');
});
