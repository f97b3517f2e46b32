// The IDE data (vscode.html-custom-data.json, web-types.json) is generated from the committed
// custom-elements.json by scripts/ide-data.mjs: every element, attribute and event reaches both files,
// fixed value sets are offered, and nothing is invented.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { attributeValue, vscodeCustomData, webTypes } from '../../scripts/ide-data.mjs';

const read = (path) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));
const manifest = read('custom-elements.json');
const { version } = read('package.json');
const vscode = vscodeCustomData(manifest);
const jetbrains = webTypes(manifest, version);
const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName);

const tag = (name) => vscode.tags.find((t) => t.name === name);
const element = (name) => jetbrains.contributions.html.elements.find((e) => e.name === name);
const vsAttr = (el, name) => tag(el).attributes.find((a) => a.name === name);
const wtAttr = (el, name) => element(el).attributes.find((a) => a.name === name);

test('every element of the manifest is in both files, with its attributes and events', () => {
  assert.deepEqual(elements.map((e) => e.tagName).sort(), [
    'mqtt-chart',
    'mqtt-connection',
    'mqtt-discovery',
    'mqtt-gauge',
    'mqtt-log',
    'mqtt-publish',
    'mqtt-subscribe',
    'mqtt-tree',
    'mqtt-value',
  ]);
  for (const el of elements) {
    const names = el.attributes.map((a) => a.name);
    assert.deepEqual(
      tag(el.tagName).attributes.map((a) => a.name),
      names,
      `${el.tagName}: VS Code attributes`
    );
    assert.deepEqual(
      element(el.tagName).attributes.map((a) => a.name),
      names,
      `${el.tagName}: web-types attributes`
    );
    assert.ok(el.events.length, `${el.tagName} documents events`);
    assert.deepEqual(
      element(el.tagName).js.events.map((e) => e.name),
      el.events.map((e) => e.name),
      `${el.tagName}: web-types events`
    );
    for (const e of el.events)
      assert.match(
        tag(el.tagName).description.value,
        new RegExp(`\`${e.name}\``),
        `${el.tagName}: ${e.name} in the VS Code hover`
      );
  }
  assert.equal(vscode.tags.length, elements.length);
  assert.equal(jetbrains.contributions.html.elements.length, elements.length);
});

test('attributes with a fixed set of values offer it', () => {
  for (const el of ['mqtt-publish', 'mqtt-subscribe', 'mqtt-value']) {
    assert.deepEqual(
      vsAttr(el, 'type').values.map((v) => v.name),
      ['auto', 'text', 'json', 'number', 'boolean', 'bytes'],
      `${el} type`
    );
    assert.equal(wtAttr(el, 'type').value.type, "'auto' | 'text' | 'json' | 'number' | 'boolean' | 'bytes'");
    assert.deepEqual(
      vsAttr(el, 'qos').values.map((v) => v.name),
      ['0', '1', '2'],
      `${el} qos`
    );
  }
  assert.deepEqual(
    vsAttr('mqtt-connection', 'protocol-version').values.map((v) => v.name),
    ['3', '4', '5']
  );
  assert.equal(wtAttr('mqtt-connection', 'protocol-version').value.type, "'3' | '4' | '5'");
  assert.deepEqual(
    vsAttr('mqtt-connection', 'will-qos').values.map((v) => v.name),
    ['0', '1', '2']
  );
});

test('boolean attributes take no value, except one that defaults to true', () => {
  for (const [el, name] of [
    ['mqtt-connection', 'manual'],
    ['mqtt-publish', 'retain'],
    ['mqtt-subscribe', 'paused'],
  ]) {
    assert.equal(vsAttr(el, name).valueSet, 'v', `${el} ${name}`);
    assert.deepEqual(wtAttr(el, name).value, { kind: 'no-value', type: 'boolean' });
  }
  // `clean` is on unless clean="false": being absent cannot switch it off.
  assert.equal(vsAttr('mqtt-connection', 'clean').valueSet, undefined);
  assert.equal(wtAttr('mqtt-connection', 'clean').value.kind, 'plain');
});

test('no values are invented', () => {
  for (const [el, name] of [
    ['mqtt-connection', 'url'],
    ['mqtt-connection', 'keepalive'],
    ['mqtt-publish', 'topic'],
    ['mqtt-value', 'digits'],
  ]) {
    assert.equal(vsAttr(el, name).values, undefined, `${el} ${name}`);
    assert.equal(vsAttr(el, name).valueSet, undefined, `${el} ${name}`);
  }
  assert.equal(wtAttr('mqtt-connection', 'url').value.type, 'string');
  assert.equal(wtAttr('mqtt-value', 'digits').value.type, 'number');
  // retain-handling is typed 0 | 1 | 2, so it has values.
  assert.deepEqual(
    vsAttr('mqtt-subscribe', 'retain-handling').values.map((v) => v.name),
    ['0', '1', '2']
  );
  assert.equal(JSON.stringify(jetbrains).includes('doc-url'), false, 'no made-up documentation links');
});

test('every attribute is described, the password with its warning', () => {
  for (const t of vscode.tags) {
    for (const a of t.attributes) assert.ok(a.description?.value?.trim(), `${t.name} ${a.name}: VS Code description`);
  }
  for (const e of jetbrains.contributions.html.elements) {
    assert.ok(e.description.trim(), `${e.name}: description`);
    for (const a of e.attributes) assert.ok(a.description?.trim(), `${e.name} ${a.name}: web-types description`);
  }
  const password = manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .find((d) => d.tagName === 'mqtt-connection')
    .attributes.find((a) => a.name === 'password');
  assert.match(password.description, /^Password for the broker\./);
  assert.equal(wtAttr('mqtt-connection', 'password').description, password.description);
  assert.match(vsAttr('mqtt-connection', 'password').description.value, /^Password for the broker\./);
});

test('web-types names the package for plain HTML', () => {
  assert.equal(jetbrains.$schema, 'http://json.schemastore.org/web-types');
  assert.equal(jetbrains.name, 'mqtt-elements');
  assert.equal(jetbrains.version, version);
  assert.equal(jetbrains['description-markup'], 'markdown');
  assert.equal(jetbrains.framework, undefined);
  assert.equal(vscode.version, 1.1);
});

test('values come from the type text alone', () => {
  assert.deepEqual(attributeValue({ type: { text: "'a' | 'b' | undefined" } }), {
    kind: 'enum',
    type: "'a' | 'b'",
    values: ['a', 'b'],
  });
  assert.deepEqual(attributeValue({ type: { text: 'Level' }, expandedType: { text: "'low' | 'high'" } }).values, [
    'low',
    'high',
  ]);
  assert.equal(attributeValue({ type: { text: 'Level' } }).kind, 'open', 'an alias the manifest does not spell out');
  assert.equal(attributeValue({ type: { text: "string | 'auto'" } }).kind, 'open');
  assert.equal(attributeValue({ type: { text: 'number | undefined' } }).type, 'number');
  assert.equal(attributeValue({ type: { text: 'boolean' }, default: 'false' }).kind, 'boolean');
  assert.equal(attributeValue({ type: { text: 'boolean' }, default: 'true' }).kind, 'open');
});
