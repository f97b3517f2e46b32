import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { MqttConnection, MqttValue } from '../src/index.js';
import { brokerPublish, brokerUrl, subscriptionsAtBroker, uniqueTopic } from './helpers.js';

/** A widget with a shadow root holding `<mqtt-connection id="home">` and a value that names it. */
function widget(host: HTMLElement, url: string, topic: string): { conn: MqttConnection; value: MqttValue } {
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = `<mqtt-connection id="home"></mqtt-connection><p><mqtt-value connection="home"></mqtt-value></p>`;
  const conn = root.querySelector('mqtt-connection')!;
  const value = root.querySelector('mqtt-value')!;
  value.topic = topic;
  conn.url = url;
  return { conn, value };
}

/** A `<mqtt-value connection=id>` in a new shadow root under `page`. */
function shadowValue(page: HTMLElement, id: string, topic: string): { root: ShadowRoot; value: MqttValue } {
  const host = document.createElement('div');
  page.append(host);
  const root = host.attachShadow({ mode: 'open' });
  const value = document.createElement('mqtt-value');
  value.connection = id;
  value.topic = topic;
  root.append(value);
  return { root, value };
}

describe('connection="id"', () => {
  it('resolves in the element\'s own shadow root first: two widgets with id="home" on two brokers', async () => {
    const [first, second] = [await brokerUrl(), await brokerUrl('second')];
    const topic = uniqueTopic('same-id');
    const page = await fixture<HTMLElement>(
      html`<div>
        <section></section>
        <section></section>
      </div>`
    );
    const [a, b] = [...page.querySelectorAll('section')];
    const one = widget(a, first, topic);
    const two = widget(b, second, topic);
    await subscriptionsAtBroker(topic, 1);
    await subscriptionsAtBroker(topic, 1, 'second');
    await brokerPublish({ topic, payload: '"from the first broker"' });
    await brokerPublish({ topic, payload: '"from the second broker"', name: 'second' });
    await waitUntil(() => one.value.value !== undefined && two.value.value !== undefined, 'a widget got no value');
    expect(one.value.value).to.equal('from the first broker');
    expect(two.value.value).to.equal('from the second broker');
    await waitUntil(
      () =>
        one.value.shadowRoot!.textContent!.includes('from the first broker') &&
        two.value.shadowRoot!.textContent!.includes('from the second broker'),
      "a widget shows another broker's value"
    );
    await one.conn.disconnect();
    await two.conn.disconnect();
  });

  it('falls back from a shadow root without that id to the document', async () => {
    const url = await brokerUrl();
    const topic = uniqueTopic('doc-id');
    const id = `doc-${Math.random().toString(36).slice(2, 8)}`;
    const page = await fixture<HTMLElement>(html`<div><mqtt-connection id=${id} url=${url}></mqtt-connection></div>`);
    const { value } = shadowValue(page, id, topic);
    await subscriptionsAtBroker(topic, 1);
    await brokerPublish({ topic, payload: '7' });
    await waitUntil(() => value.value === 7, "the value did not find the document's connection");
    await page.querySelector('mqtt-connection')!.disconnect();
  });

  it("follows a connection that moves into the element's own root", async () => {
    const [first, second] = [await brokerUrl(), await brokerUrl('second')];
    const topic = uniqueTopic('move-id');
    const id = `move-${Math.random().toString(36).slice(2, 8)}`;
    const page = await fixture<HTMLElement>(html`<div><mqtt-connection id=${id} url=${first}></mqtt-connection></div>`);
    const { root, value } = shadowValue(page, id, topic);
    await subscriptionsAtBroker(topic, 1);
    const local = document.createElement('mqtt-connection');
    local.id = id;
    local.url = second;
    root.append(local);
    await subscriptionsAtBroker(topic, 1, 'second');
    await subscriptionsAtBroker(topic, 0);
    await brokerPublish({ topic, payload: '"local"', name: 'second' });
    await waitUntil(() => value.value === 'local', "the value stayed with the document's connection");
    await local.disconnect();
    await page.querySelector('mqtt-connection')!.disconnect();
  });
});
