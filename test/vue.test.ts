import { expect, waitUntil } from '@open-wc/testing';
// The in-browser build compiles templates at runtime: it is the one that needs isCustomElement here
// (with Vite, the same setting goes into the vue plugin's compilerOptions).
import { createApp, nextTick, ref, type App } from 'vue/dist/vue.esm-browser.js';
import type { MqttConnection, MqttMessage, MqttValue } from '../src/index.js';
import { brokerClients, brokerPublish, brokerUrl, subscriptionsAtBroker, uniqueTopic } from './helpers.js';

describe('Vue 3', () => {
  let app: App | undefined;
  let container: HTMLElement;
  afterEach(() => {
    app?.unmount();
    container.remove();
  });

  it('binds props, gets @mqtt-message events, follows topic changes and unmounts cleanly', async () => {
    const url = await brokerUrl();
    const first = uniqueTopic('vue-first');
    const topic = ref(first);
    const shown = ref(true);
    const messages: MqttMessage[] = [];
    const warnings: unknown[] = [];
    container = document.createElement('div');
    document.body.append(container);
    app = createApp({
      setup: () => ({ url, topic, shown, onMessage: (detail: MqttMessage) => messages.push(detail) }),
      template: `
        <mqtt-connection v-if="shown" :url="url" reconnect-period="500">
          <mqtt-value :topic="topic" path="celsius" digits="1" unit="°C" @mqtt-message="onMessage($event.detail)"></mqtt-value>
        </mqtt-connection>`,
    });
    app.config.compilerOptions.isCustomElement = (tag: string) => tag.startsWith('mqtt-');
    app.config.warnHandler = (message: string) => warnings.push(message);
    app.mount(container);
    const value = () => container.querySelector<MqttValue>('mqtt-value')!;
    // Vue sets digits="1" as the property, a string: the kit reads it as the number.
    await value().updateComplete;
    expect(value().digits).to.equal(1);
    expect(value().hasAttribute('error')).to.be.false;

    await subscriptionsAtBroker(first, 1);
    await brokerPublish({ topic: first, payload: '{"celsius": 21.46}' });
    await waitUntil(() => value().shadowRoot!.textContent!.includes('21.5'), 'no value shown');
    await waitUntil(() => messages.length === 1, 'the @mqtt-message handler got nothing');
    expect(messages[0].value).to.equal(21.46);

    const second = uniqueTopic('vue-second');
    topic.value = second;
    await subscriptionsAtBroker(second, 1);
    await subscriptionsAtBroker(first, 0);
    await brokerPublish({ topic: second, payload: '{"celsius": 18}' });
    await waitUntil(() => value().shadowRoot!.textContent!.includes('18.0'));

    const id = container.querySelector<MqttConnection>('mqtt-connection')!.clientId;
    shown.value = false;
    await nextTick();
    await subscriptionsAtBroker(second, 0);
    await waitUntil(async () => !(await brokerClients()).includes(id), 'the removed connection is still at the broker');
    shown.value = true;
    await nextTick();
    await subscriptionsAtBroker(second, 1);
    expect(warnings, 'Vue warned (unknown elements?)').to.deep.equal([]);
  });
});
