import { expect, waitUntil } from '@open-wc/testing';
import { useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { flushSync } from 'react-dom';
import type {
  MqttConnection as MqttConnectionElement,
  MqttMessage,
  MqttValue as MqttValueElement,
} from '../src/index.js';
import { MqttConnection, MqttSubscribe, MqttValue } from '../src/react.js';
import { MqttChart } from '../src/chart-react.js';
import type { MqttChart as MqttChartElement } from '../src/chart.js';
import { brokerClients, brokerPublish, brokerUrl, subscriptionsAtBroker, uniqueTopic } from './helpers.js';

/** What the tests drive from outside the app: props, and what the handlers saw. */
interface Controls {
  setTopic: (topic: string) => void;
  setShown: (shown: boolean) => void;
  messages: MqttMessage[];
}

describe('React 19', () => {
  let url: string;
  let container: HTMLElement;
  let root: Root;
  before(async () => {
    url = await brokerUrl();
  });
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });
  /** Retained messages to clear once nothing is subscribed. */
  const retained: string[] = [];
  afterEach(async () => {
    flushSync(() => root.unmount());
    container.remove();
    for (const topic of retained.splice(0)) await brokerPublish({ topic, payload: '', retain: true });
  });

  /** Renders `app`, which reports its controls; resolves with them. */
  function mount(
    App: (props: { controls: (c: Omit<Controls, 'messages'>) => void; messages: MqttMessage[] }) => React.ReactNode
  ): Controls {
    const controls = { messages: [] as MqttMessage[] } as Controls;
    flushSync(() => root.render(<App messages={controls.messages} controls={(c) => Object.assign(controls, c)} />));
    return controls;
  }

  /** The same checks for raw tags and for the wrappers. */
  async function behaves(controls: Controls, first: string) {
    const value = () => container.querySelector<MqttValueElement>('mqtt-value')!;
    await subscriptionsAtBroker(first, 1);
    await brokerPublish({ topic: first, payload: '{"celsius": 21.46}' });
    await waitUntil(() => value().shadowRoot!.textContent!.includes('21.5'), 'no value shown');
    await waitUntil(() => controls.messages.length === 1, 'the handler got no message');
    expect(controls.messages[0].value).to.equal(21.46);

    // A new topic prop moves the subscription.
    const second = uniqueTopic('react-second');
    flushSync(() => controls.setTopic(second));
    await subscriptionsAtBroker(second, 1);
    await subscriptionsAtBroker(first, 0);
    await brokerPublish({ topic: second, payload: '{"celsius": 18}', retain: true });
    await waitUntil(() => value().shadowRoot!.textContent!.includes('18.0'), 'no value after the topic changed');

    // The connection is rendered conditionally: it comes and goes with its client.
    const id = container.querySelector<MqttConnectionElement>('mqtt-connection')!.clientId;
    flushSync(() => controls.setShown(false));
    await subscriptionsAtBroker(second, 0);
    await waitUntil(async () => !(await brokerClients()).includes(id), 'the removed connection is still at the broker');
    flushSync(() => controls.setShown(true));
    await subscriptionsAtBroker(second, 1);
    await waitUntil(() => value().shadowRoot!.textContent!.includes('18.0'), 'the retained value did not come back');
    retained.push(second);
  }

  it('runs raw tags: properties, on<event> props, topic changes, unmounting', async () => {
    const first = uniqueTopic('react-raw');
    const controls = mount(({ controls, messages }) => {
      const [topic, setTopic] = useState(first);
      const [shown, setShown] = useState(true);
      const [, rerender] = useState(0);
      controls({ setTopic, setShown });
      return shown ? (
        <mqtt-connection url={url} reconnect-period="500">
          <mqtt-value
            topic={topic}
            path="celsius"
            digits="1"
            unit="°C"
            onmqtt-message={(event) => {
              messages.push(event.detail);
              rerender((n) => n + 1);
            }}
          />
        </mqtt-connection>
      ) : null;
    });
    await behaves(controls, first);
  });

  it('runs the mqtt-elements/react wrappers with typed event props', async () => {
    const first = uniqueTopic('react-wrapped');
    const statuses: string[] = [];
    const controls = mount(({ controls, messages }) => {
      const [topic, setTopic] = useState(first);
      const [shown, setShown] = useState(true);
      controls({ setTopic, setShown });
      return shown ? (
        <MqttConnection url={url} onMqttStatus={(event) => statuses.push(event.detail.status)}>
          <MqttValue
            topic={topic}
            path="celsius"
            digits={1}
            unit="°C"
            onMqttMessage={(event) => messages.push(event.detail)}
          />
          <MqttSubscribe topic={`${topic}/none`} paused />
        </MqttConnection>
      ) : null;
    });
    await behaves(controls, first);
    expect(statuses).to.include('connected');
    await subscriptionsAtBroker(`${first}/none`, 0);
  });

  it('runs the mqtt-elements/chart/react wrapper', async () => {
    const topic = uniqueTopic('react-chart');
    const controls = mount(({ messages }) => (
      <MqttConnection url={url}>
        <MqttChart
          topic={`${topic}/+room`}
          maxPoints={10}
          unit="°C"
          digits={1}
          onMqttMessage={(event) => messages.push(event.detail)}
        />
      </MqttConnection>
    ));
    await subscriptionsAtBroker(topic, 1);
    await brokerPublish({ topic: `${topic}/kitchen`, payload: '21.5' });
    const chart = () => container.querySelector<MqttChartElement>('mqtt-chart')!;
    await waitUntil(() => chart().series[0]?.latest === 21.5, 'nothing drawn');
    expect(chart().series[0].label).to.equal('kitchen');
    expect(chart().maxPoints).to.equal(10);
    expect(controls.messages).to.have.length(1);
  });
});
