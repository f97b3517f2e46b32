import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/chart.js';
import type { MqttChart } from '../src/chart.js';
import type { MqttConnection, MqttLog, MqttValue } from '../src/index.js';
import { brokerPublish, brokerUrl, subscriptionsAtBroker, uniqueTopic } from './helpers.js';

describe('a page whose <html lang> is written en_US (SPEC "Locale")', () => {
  let before: string;
  const uncaught: unknown[] = [];
  const onError = (event: ErrorEvent) => uncaught.push(event.error ?? event.message);
  beforeEach(() => {
    before = document.documentElement.lang;
    document.documentElement.lang = 'en_US';
    window.addEventListener('error', onError);
  });
  afterEach(() => {
    document.documentElement.lang = before;
    window.removeEventListener('error', onError);
  });

  it('shows a chart, values and a log in en-US, with no uncaught error and no error attribute', async () => {
    const topic = uniqueTopic('page-lang');
    const conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${await brokerUrl()}>
        <mqtt-value topic=${topic} digits="1"></mqtt-value>
        <mqtt-chart topic=${topic} digits="1" style="width: 400px"></mqtt-chart>
        <mqtt-log topic=${topic}></mqtt-log>
      </mqtt-connection>`
    );
    await subscriptionsAtBroker(topic, 1);
    await brokerPublish({ topic, payload: '1234.5' });
    await brokerPublish({ topic, payload: '1500.25' });
    const value = conn.querySelector<MqttValue>('mqtt-value')!;
    const chart = conn.querySelector<MqttChart>('mqtt-chart')!;
    const log = conn.querySelector<MqttLog>('mqtt-log')!;
    await waitUntil(() => value.shadowRoot!.textContent!.includes('1,500.3'), 'the value is not in en-US');
    await waitUntil(() => chart.series[0]?.points === 2 && chart.plot, 'the chart drew nothing');
    await waitUntil(
      () => chart.shadowRoot!.querySelector('[part=chart]')!.getAttribute('aria-label')!.includes('1,500.3'),
      'the chart is not in en-US',
      { timeout: 3000 }
    );
    await waitUntil(() => log.size === 2);
    for (const el of [value, chart, log]) expect(el.hasAttribute('error'), el.getAttribute('error') ?? '').to.be.false;
    expect(uncaught).to.deep.equal([]);
    await conn.disconnect();
  });
});
