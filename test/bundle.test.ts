import { expect, waitUntil } from '@open-wc/testing';
import { brokerPublish, brokerUrl, loadFixture, subscriptionsAtBroker, uniqueTopic } from './helpers.js';

// dist/mqtt-elements.min.js is built by `npm test` before the browser tests run.
describe('dist/mqtt-elements.min.js (the CDN bundle)', () => {
  it('runs a plain HTML page with one <script type="module"> and nothing else', async () => {
    const { frame, doc } = await loadFixture('bundle.html');
    const topic = uniqueTopic('bundle');
    const conn = doc.querySelector('mqtt-connection') as HTMLElement & { url: string; connect(): void; disconnect(): Promise<void> };
    const value = doc.querySelector('mqtt-value') as HTMLElement & { topic: string };
    value.topic = topic;
    conn.url = await brokerUrl();
    conn.connect();
    await subscriptionsAtBroker(topic, 1);
    await brokerPublish({ topic, payload: '{"celsius":19.96}' });
    await waitUntil(() => value.shadowRoot?.textContent?.includes('20.0'), 'no value shown');
    expect(value.shadowRoot!.querySelector('[part=unit]')!.textContent).to.equal('°C');
    await conn.disconnect();
    frame.remove();
  });
});
