import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { MqttConnection, MqttLog } from '../src/index.js';
import { brokerPublish, nextFrame, onMainBroker, subscriptionsAtBroker, uniqueTopic } from './helpers.js';

const lines = (el: MqttLog) => Array.from(el.shadowRoot!.querySelectorAll('[part="line"]'));
const payloads = (el: MqttLog) => lines(el).map((line) => line.querySelector('[part="payload"]')!.textContent);

describe('<mqtt-log>', () => {
  let url: string;
  let conn: MqttConnection;
  onMainBroker(
    (u) => (url = u),
    () => conn
  );

  async function mount(
    template: (topic: string) => unknown,
    filter = (topic: string) => topic
  ): Promise<{ topic: string; el: MqttLog }> {
    const topic = uniqueTopic('log');
    conn = await fixture<MqttConnection>(html`<mqtt-connection url=${url}>${template(topic)}</mqtt-connection>`);
    await subscriptionsAtBroker(filter(topic), 1);
    return { topic, el: conn.querySelector('mqtt-log')! };
  }

  it('lists messages newest first, with time, topic and payload as text', async () => {
    const { topic, el } = await mount(
      (t) => html`<mqtt-log topic="${t}/#" locale="en-GB"></mqtt-log>`,
      (t) => `${t}/#`
    );
    await brokerPublish({ topic: `${topic}/a`, payload: 'first' });
    await brokerPublish({ topic: `${topic}/b`, payload: '{"on":true}' });
    await waitUntil(() => lines(el).length === 2);
    expect(payloads(el)).to.deep.equal(['{"on":true}', 'first']);
    const newest = lines(el)[0]!;
    expect(newest.querySelector('[part="topic"]')!.textContent).to.equal(`${topic}/b`);
    expect(newest.querySelector('[part="time"]')!.textContent).to.match(/^\d\d:\d\d:\d\d$/);
    expect(el.size).to.equal(2);
    await expect(el).to.be.accessible();
  });

  it("writes times in the page's lang (en_US read as en-US) and in its locale", async () => {
    const { topic, el } = await mount((t) => html`<div lang="en_US"><mqtt-log topic=${t}></mqtt-log></div>`);
    await brokerPublish({ topic, payload: 'one' });
    await waitUntil(() => lines(el).length === 1);
    const time = () => lines(el)[0]!.querySelector('[part="time"]')!.textContent!;
    expect(time()).to.match(/^\d{1,2}:\d\d:\d\d\s?[AP]M$/);
    expect(el.hasAttribute('error')).to.be.false;
    el.locale = 'de-DE';
    await waitUntil(() => /^\d\d:\d\d:\d\d$/.test(time()), `shows ${time()}`);
  });

  it('keeps the last `limit` lines and renders a burst once per frame', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-log topic=${t} limit="5" hide-topic></mqtt-log>`);
    let renders = 0;
    const update = el.updateComplete;
    await update;
    const observer = new MutationObserver(() => renders++);
    observer.observe(el.shadowRoot!, { childList: true, subtree: true, characterData: true });
    let messages = 0;
    el.addEventListener('mqtt-message', () => messages++);
    await brokerPublish({ topic, payload: 'n', count: 200 });
    await waitUntil(() => messages === 200);
    await nextFrame();
    await nextFrame();
    observer.disconnect();
    expect(el.size).to.equal(5);
    expect(lines(el)).to.have.length(5);
    expect(lines(el)[0]!.querySelector('[part="topic"]')).to.equal(null);
    // 200 messages arrive over a few frames: a handful of renders, not 200.
    expect(renders).to.be.below(30);
    el.clear();
    await el.updateComplete;
    expect(lines(el)).to.have.length(0);
  });

  it('shows payloads as text, never as HTML', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-log topic=${t}></mqtt-log>`);
    await brokerPublish({ topic, payload: '<img src=x onerror="window.logHacked=1">' });
    await waitUntil(() => lines(el).length === 1);
    expect(payloads(el)[0]).to.equal('<img src=x onerror="window.logHacked=1">');
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect((window as { logHacked?: number }).logHacked).to.equal(undefined);
  });

  it('reports a bad limit and keeps logging with the default', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-log topic=${t} limit="lots"></mqtt-log>`);
    await waitUntil(() => el.error?.includes('limit="lots"'));
    expect(el.error).to.include('such as limit="20"');
    // A wrong setting is reported when it is set, not again with every message.
    let errors = 0;
    el.addEventListener('mqtt-error', () => errors++);
    await brokerPublish({ topic, payload: 'still here', count: 3 });
    await waitUntil(() => el.size === 3 && payloads(el)[0] === 'still here');
    expect(errors).to.equal(0);
    el.limit = 3;
    await el.updateComplete;
    expect(el.error).to.equal(undefined);
  });
});
