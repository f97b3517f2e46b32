// Server-side rendering and other Node code import the package with no DOM: that must not throw,
// define nothing, and leave the DOM-free parts usable. Runs on the built package (dist/).
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('importing the package in Node with no DOM does not throw', async () => {
  assert.equal(typeof globalThis.document, 'undefined');
  const kit = await import('../../dist/index.js');
  for (const name of ['MqttConnection', 'MqttSubscribe', 'MqttPublish', 'MqttValue', 'MqttSession', 'defineElements']) {
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
