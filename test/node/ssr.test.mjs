// Server-side rendering and other Node code import the package with no DOM: that must not throw,
// define nothing, and leave the DOM-free parts usable. Runs on the built package (dist/).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

test('importing the package in Node with no DOM does not throw', async () => {
  assert.equal(typeof globalThis.document, 'undefined');
  const kit = await import('../../dist/index.js');
  for (const name of [
    'MqttConnection',
    'MqttSubscribe',
    'MqttPublish',
    'MqttValue',
    'MqttLog',
    'MqttSession',
    'defineElements',
  ]) {
    assert.ok(kit[name], `${name} is exported`);
  }
  assert.doesNotThrow(() => kit.defineElements(), 'defining without a DOM is a no-op');
  assert.equal(typeof globalThis.document, 'undefined', 'importing installed no DOM');
});

test('the DOM-free parts work in Node', async () => {
  const { parseFilter, matches, decodePayload, checkUrl, MqttSession } = await import('../../dist/index.js');
  assert.deepEqual(parseFilter('home/+room/temp').filter, 'home/+/temp');
  assert.equal(matches('home/+/temp', 'home/kitchen/temp'), true);
  assert.deepEqual(decodePayload(new TextEncoder().encode('{"a":[1,2]}'), 'auto', 'a[1]'), 2);
  assert.match(checkUrl('mqtt://broker:1883').hint, /ws:\/\//);
  const session = new MqttSession();
  assert.equal(session.status, 'disconnected');
  await session.close();
});

test('mqtt-elements/react renders on the server and is marked for the client', async () => {
  const { readFileSync } = await import('node:fs');
  const { createElement } = await import('react');
  const { renderToString } = await import('react-dom/server');
  const { MqttConnection, MqttValue } = await import('../../dist/react.js');
  const html = renderToString(
    createElement(
      MqttConnection,
      { url: 'ws://localhost:8083/mqtt' },
      createElement(MqttValue, { topic: 'a/b', digits: 1 })
    )
  );
  assert.match(html, /<mqtt-connection[^>]*>.*<mqtt-value[^>]*>/s);
  assert.match(renderToString(createElement('mqtt-value', { topic: 'a/b' })), /<mqtt-value topic="a\/b">/);
  // React Server Components (Next.js) must leave the hook-using components to the client.
  const code = readFileSync(new URL('../../dist/react.js', import.meta.url), 'utf8').replace(/^(\s*\/\/.*\n)*\s*/, '');
  assert.ok(code.startsWith("'use client';"), 'dist/react.js starts with the use client directive');
});

test('the chart entry and its React component import and render in Node', async () => {
  const { createElement } = await import('react');
  const { renderToString } = await import('react-dom/server');
  const { MqttChart } = await import('../../dist/chart.js');
  assert.equal(typeof MqttChart, 'function');
  const react = await import('../../dist/chart-react.js');
  assert.match(
    renderToString(createElement(react.MqttChart, { topic: 'home/+room/temperature', maxPoints: 500 })),
    /<mqtt-chart[^>]*>/
  );
  const code = readFileSync(new URL('../../dist/chart-react.js', import.meta.url), 'utf8').replace(
    /^(\s*\/\/.*\n)*\s*/,
    ''
  );
  assert.ok(code.startsWith("'use client';"), 'dist/chart-react.js starts with the use client directive');
});

test('Vue compiles mqtt-* tags as custom elements with the documented isCustomElement', async () => {
  const { compile } = await import('@vue/compiler-dom');
  const template = '<mqtt-value topic="a" @mqtt-message="x = $event.detail"></mqtt-value>';
  const isCustomElement = (tag) => tag.startsWith('mqtt-');
  assert.match(compile(template).code, /resolveComponent\("mqtt-value"\)/, 'without it, Vue looks for a component');
  assert.doesNotMatch(compile(template, { isCustomElement }).code, /resolveComponent/);
  // The example app's Vite config carries the same setting.
  const config = (await import('../../demo/vue/vite.config.js')).default;
  const vue = config.plugins.find((plugin) => plugin.name === 'vite:vue');
  assert.equal(vue.api.options.template.compilerOptions.isCustomElement('mqtt-value'), true);
});
