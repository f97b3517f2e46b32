import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { MqttConnection, type MqttMessage, type MqttSubscribe, type MqttValue } from '../src/index.js';
import {
  brokerPublish,
  brokerStats,
  brokerUrl,
  connected,
  mosquittoUrl,
  nextFrame,
  sleep,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

/** Collects the values of an element's mqtt-message events. */
function collect(el: Element): unknown[] {
  const values: unknown[] = [];
  el.addEventListener('mqtt-message', (e) => values.push((e as CustomEvent<MqttMessage>).detail.value));
  return values;
}

describe('<mqtt-subscribe>', () => {
  let url: string;
  before(async () => {
    url = await brokerUrl();
  });

  it('fires one mqtt-message per message, in order', async () => {
    const topic = uniqueTopic('order');
    const conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}><mqtt-subscribe topic=${topic} qos="1"></mqtt-subscribe></mqtt-connection>`
    );
    const sub = conn.querySelector('mqtt-subscribe')!;
    const values = collect(sub);
    await subscriptionsAtBroker(topic, 1);
    await brokerPublish({ topic, payload: '{i}', count: 300, qos: 1 });
    await waitUntil(() => values.length >= 300, `got ${values.length}`, { timeout: 10000 });
    await sleep(50);
    expect(values).to.deep.equal(Array.from({ length: 300 }, (_, i) => i));
    expect(sub.value).to.equal(299);
    expect(sub.message).to.deep.include({ topic, value: 299, qos: 1 });
    const event = await (async () => {
      const next = oneEvent(sub, 'mqtt-message');
      await brokerPublish({ topic, payload: 'x' });
      return next;
    })();
    expect(event.bubbles && event.composed).to.be.true;
    await conn.disconnect();
  });

  it('shares one broker subscription between 50 elements, and drops it when all are gone', async () => {
    const topic = uniqueTopic('fifty');
    const before = await brokerStats();
    const conn = await fixture<MqttConnection>(html`<mqtt-connection url=${url}></mqtt-connection>`);
    for (let i = 0; i < 50; i++) {
      const sub = document.createElement('mqtt-subscribe');
      sub.topic = `${topic}/+`;
      conn.append(sub);
    }
    await subscriptionsAtBroker(topic, 1);
    const afterSubscribe = await brokerStats();
    expect(afterSubscribe.subscribePackets - before.subscribePackets).to.equal(1);
    const all = [...conn.querySelectorAll('mqtt-subscribe')].map(collect);
    await brokerPublish({ topic: `${topic}/a`, payload: '1' });
    await waitUntil(() => all.every((values) => values.length === 1));
    conn.replaceChildren();
    await subscriptionsAtBroker(topic, 0);
    expect((await brokerStats()).unsubscribePackets - afterSubscribe.unsubscribePackets).to.equal(1);
    await conn.disconnect();
  });

  it('follows a topic change', async () => {
    const topic = uniqueTopic('change');
    const conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}><mqtt-subscribe topic=${`${topic}/a`}></mqtt-subscribe></mqtt-connection>`
    );
    const sub = conn.querySelector('mqtt-subscribe')!;
    await subscriptionsAtBroker(`${topic}/a`, 1);
    sub.topic = `${topic}/b`;
    await subscriptionsAtBroker(`${topic}/b`, 1);
    await subscriptionsAtBroker(`${topic}/a`, 0);
    const values = collect(sub);
    await brokerPublish({ topic: `${topic}/a`, payload: 'old' });
    await brokerPublish({ topic: `${topic}/b`, payload: 'new' });
    await waitUntil(() => values.length === 1);
    await sleep(50);
    expect(values).to.deep.equal(['new']);
    await conn.disconnect();
  });

  it('unsubscribes while paused', async () => {
    const topic = uniqueTopic('paused');
    const conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}><mqtt-subscribe topic=${topic}></mqtt-subscribe></mqtt-connection>`
    );
    const sub = conn.querySelector('mqtt-subscribe')!;
    await subscriptionsAtBroker(topic, 1);
    sub.paused = true;
    await subscriptionsAtBroker(topic, 0);
    expect(sub.hasAttribute('paused')).to.be.true;
    sub.paused = false;
    await subscriptionsAtBroker(topic, 1);
    await conn.disconnect();
  });

  it('ends subscribed to the right connection when moved between two', async () => {
    const topic = uniqueTopic('moved');
    const second = await brokerUrl('second');
    const wrapper = await fixture(
      html`<div>
        <mqtt-connection id="a" url=${url}><mqtt-subscribe topic=${topic}></mqtt-subscribe></mqtt-connection>
        <mqtt-connection id="b" url=${second}
          ><div><section></section></div
        ></mqtt-connection>
      </div>`
    );
    const sub = wrapper.querySelector('mqtt-subscribe')!;
    await subscriptionsAtBroker(topic, 1, 'main');
    wrapper.querySelector('#b section')!.append(sub);
    await subscriptionsAtBroker(topic, 1, 'second');
    await subscriptionsAtBroker(topic, 0, 'main');
    const values = collect(sub);
    await brokerPublish({ name: 'second', topic, payload: '"b"' });
    await waitUntil(() => values.length === 1);
    expect(values).to.deep.equal(['b']);
    for (const conn of wrapper.querySelectorAll('mqtt-connection')) await conn.disconnect();
  });

  it('finds a connection that upgrades after its children', async () => {
    const topic = uniqueTopic('late');
    const tag = `late-connection-${Math.random().toString(36).slice(2, 8)}`;
    const wrapper = document.createElement('div');
    wrapper.innerHTML = `<${tag} url="${url}"><p><mqtt-subscribe topic="${topic}"></mqtt-subscribe></p></${tag}>`;
    document.body.append(wrapper);
    const sub = wrapper.querySelector('mqtt-subscribe') as MqttSubscribe;
    await sub.updateComplete;
    await sleep(50);
    customElements.define(tag, class extends MqttConnection {});
    await subscriptionsAtBroker(topic, 1);
    const values = collect(sub);
    await brokerPublish({ topic, payload: '7' });
    await waitUntil(() => values.length === 1);
    await (wrapper.firstElementChild as MqttConnection).disconnect();
    wrapper.remove();
  });

  it("works inside another element's shadow root", async () => {
    const topic = uniqueTopic('shadow');
    const tag = `shadow-host-${Math.random().toString(36).slice(2, 8)}`;
    customElements.define(
      tag,
      class extends LitElement {
        override render() {
          return html`<div><mqtt-value topic=${topic}></mqtt-value></div>`;
        }
      }
    );
    const conn = await fixture<MqttConnection>(html`<mqtt-connection url=${url}></mqtt-connection>`);
    conn.append(document.createElement(tag));
    await subscriptionsAtBroker(topic, 1);
    await brokerPublish({ topic, payload: '"deep"' });
    const value = conn.querySelector(tag)!.shadowRoot!.querySelector('mqtt-value') as MqttValue;
    await waitUntil(() => value.value === 'deep');
    await conn.disconnect();
  });

  it('uses the connection named by connection="id", even one added later', async () => {
    const topic = uniqueTopic('by-id');
    const id = `conn-${Math.random().toString(36).slice(2, 8)}`;
    const sub = await fixture<MqttSubscribe>(html`<mqtt-subscribe connection=${id} topic=${topic}></mqtt-subscribe>`);
    await sleep(50);
    const conn = document.createElement('mqtt-connection');
    conn.id = id;
    conn.url = url;
    document.body.append(conn);
    await subscriptionsAtBroker(topic, 1);
    const values = collect(sub);
    await brokerPublish({ topic, payload: '"named"' });
    await waitUntil(() => values.length === 1);
    sub.remove();
    await subscriptionsAtBroker(topic, 0);
    await conn.disconnect();
    conn.remove();
  });

  it('binds values to properties and attributes of its children, as text', async () => {
    const topic = uniqueTopic('bind');
    const conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}>
        <mqtt-subscribe topic=${`${topic}/on`} bind="checked"><input type="checkbox" /></mqtt-subscribe>
        <mqtt-subscribe topic=${`${topic}/text`} bind="textContent" target=".out"
          ><p class="out"></p>
          <p class="other">keep</p></mqtt-subscribe
        >
        <mqtt-subscribe topic=${`${topic}/title`} bind="attr:title"><span></span></mqtt-subscribe>
      </mqtt-connection>`
    );
    await subscriptionsAtBroker(topic, 3);
    await brokerPublish({ topic: `${topic}/on`, payload: 'true' });
    await brokerPublish({ topic: `${topic}/text`, payload: '<img src=x onerror="window.__pwned=1">' });
    await brokerPublish({ topic: `${topic}/title`, payload: 'hello' });
    const input = conn.querySelector('input')!;
    await waitUntil(
      () =>
        input.checked && conn.querySelector('span')!.title === 'hello' && conn.querySelector('.out')!.textContent !== ''
    );
    const out = conn.querySelector('.out')!;
    expect(out.textContent).to.equal('<img src=x onerror="window.__pwned=1">');
    expect(out.children).to.have.length(0);
    expect(conn.querySelector('.other')!.textContent).to.equal('keep');
    await nextFrame();
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
    await conn.disconnect();
  });

  it('refuses bindings that would make a payload markup or code', async () => {
    const topic = uniqueTopic('unsafe');
    const conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}>
        <mqtt-subscribe topic=${topic} bind="innerHTML"><p></p></mqtt-subscribe>
      </mqtt-connection>`
    );
    await subscriptionsAtBroker(topic, 1);
    const sub = conn.querySelector('mqtt-subscribe')!;
    const error = oneEvent(sub, 'mqtt-error');
    await brokerPublish({ topic, payload: '<b>bold</b>' });
    expect((await error).detail.hint).to.contain('textContent');
    expect(conn.querySelector('p')!.innerHTML).to.equal('');
    await conn.disconnect();
  });

  it('refuses script urls in url properties and code elements as targets', async () => {
    const topic = uniqueTopic('script-url');
    const conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}>
        <mqtt-subscribe topic=${`${topic}/src`} bind="src"><iframe title="frame"></iframe></mqtt-subscribe>
        <mqtt-subscribe topic=${`${topic}/href`} bind="attr:href"><a>link</a></mqtt-subscribe>
        <mqtt-subscribe topic=${`${topic}/code`} bind="textContent"><script type="text/plain"></script></mqtt-subscribe>
      </mqtt-connection>`
    );
    await subscriptionsAtBroker(topic, 3);
    const errors: string[] = [];
    conn.addEventListener('mqtt-error', (e) => errors.push(e.detail.error.message));
    await brokerPublish({ topic: `${topic}/src`, payload: 'javascript:parent.__srcPwned=1' });
    await brokerPublish({ topic: `${topic}/href`, payload: ' JavaScript:alert(1)' });
    await brokerPublish({ topic: `${topic}/code`, payload: 'window.__codePwned=1' });
    await waitUntil(() => errors.length === 3, `errors: ${errors.join(' | ')}`);
    await sleep(50);
    expect(conn.querySelector('iframe')!.getAttribute('src')).to.equal(null);
    expect(conn.querySelector('a')!.hasAttribute('href')).to.be.false;
    expect(conn.querySelector('script')!.textContent).to.equal('');
    expect((window as unknown as { __srcPwned?: number }).__srcPwned).to.equal(undefined);
    await conn.disconnect();
  });

  it('reports an invalid filter and keeps its siblings working', async () => {
    const topic = uniqueTopic('sibling');
    const conn = await fixture<MqttConnection>(html`<mqtt-connection url=${url}></mqtt-connection>`);
    const bad = document.createElement('mqtt-subscribe');
    bad.topic = 'a/#/b';
    const error = oneEvent(bad, 'mqtt-error');
    conn.append(bad);
    expect((await error).detail.hint).to.contain('last');
    const good = document.createElement('mqtt-subscribe');
    good.topic = topic;
    conn.append(good);
    await subscriptionsAtBroker(topic, 1);
    await conn.disconnect();
  });

  it('delivers the messages of an MQTT 5 shared subscription', async () => {
    const topic = uniqueTopic('shared');
    const conn = await fixture<MqttConnection>(
      html`<mqtt-connection protocol-version="5" url=${await mosquittoUrl()}>
        <mqtt-subscribe topic=${`$share/dashboards/${topic}/+room`}></mqtt-subscribe>
      </mqtt-connection>`
    );
    await connected(conn);
    const sub = conn.querySelector('mqtt-subscribe')!;
    const messages: MqttMessage[] = [];
    sub.addEventListener('mqtt-message', (e) => messages.push(e.detail));
    await sleep(200);
    await conn.publish(`${topic}/kitchen`, '5', { qos: 1 });
    await waitUntil(() => messages.length === 1, 'nothing delivered');
    expect(messages[0].params).to.deep.equal({ room: 'kitchen' });
    await conn.disconnect();
  });

  it('passes MQTT 5 subscription options (no-local) to mosquitto', async () => {
    const mosquitto = await mosquittoUrl();
    const topic = uniqueTopic('nolocal');
    const wrapper = await fixture(
      html`<div>
        <mqtt-connection id="self" protocol-version="5" url=${mosquitto}
          ><mqtt-subscribe no-local topic=${topic}></mqtt-subscribe
        ></mqtt-connection>
        <mqtt-connection id="other" protocol-version="5" url=${mosquitto}
          ><mqtt-subscribe topic=${topic}></mqtt-subscribe
        ></mqtt-connection>
      </div>`
    );
    const [self, other] = [...wrapper.querySelectorAll('mqtt-connection')];
    await connected(self);
    await connected(other);
    const [mine, theirs] = [...wrapper.querySelectorAll('mqtt-subscribe')].map(collect);
    await sleep(200);
    await self.publish(topic, 'from self', { qos: 1 });
    await waitUntil(() => theirs.length === 1, 'the other client got nothing');
    await other.publish(topic, 'from other', { qos: 1 });
    await waitUntil(() => mine.length === 1);
    await sleep(100);
    expect(mine).to.deep.equal(['from other']);
    await self.disconnect();
    await other.disconnect();
  });
});
