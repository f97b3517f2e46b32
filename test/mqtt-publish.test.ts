import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { MqttConnection, type MqttMessage, type MqttPublish } from '../src/index.js';
import { brokerUrl, connected, sleep, subscriptionsAtBroker, uniqueTopic } from './helpers.js';

/** A small custom form control of our own: a switch with `checked`, firing `change`. */
class TestSwitch extends LitElement {
  static override properties = { checked: { type: Boolean } };
  checked = false;
  toggle() {
    this.checked = !this.checked;
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }
  override render() {
    return html`<button role="switch" aria-checked=${String(this.checked)} @click=${this.toggle}>switch</button>`;
  }
}
customElements.define('test-switch', TestSwitch);

/** A custom button with a `value` property, as design systems make them. */
customElements.define(
  'x-fancy-button',
  class extends HTMLElement {
    value = '';
  }
);

describe('<mqtt-publish>', () => {
  let url: string;
  let conn: MqttConnection;
  let received: MqttMessage[];
  let offReceive: () => void;
  let topic: string;

  before(async () => {
    url = await brokerUrl();
  });

  afterEach(async () => {
    offReceive?.();
    await conn?.disconnect();
  });

  /** Mounts the markup inside a connection and listens on `topic` through the connection itself. */
  async function mount(template: (t: string) => unknown): Promise<MqttPublish> {
    topic = uniqueTopic('pub');
    received = [];
    conn = await fixture<MqttConnection>(html`<mqtt-connection url=${url}>${template(topic)}</mqtt-connection>`);
    offReceive = conn.subscribe(topic, (m) => received.push(m), { type: 'text' });
    await subscriptionsAtBroker(topic, 1);
    await connected(conn);
    return conn.querySelector('mqtt-publish')!;
  }

  async function values(count: number): Promise<unknown[]> {
    await waitUntil(() => received.length >= count, `received ${received.length} of ${count}`);
    await sleep(30);
    return received.map((m) => m.value);
  }

  it('publishes a button click: its value attribute, else payload', async () => {
    const el = await mount(
      (t) =>
        html`<mqtt-publish topic=${t} payload="ping"
          ><button value="reboot">Reboot</button><button>Ping</button></mqtt-publish
        >`
    );
    const published = oneEvent(el, 'mqtt-publish');
    el.querySelectorAll('button')[0].click();
    const event = await published;
    expect(event.detail).to.deep.include({ topic, payload: 'reboot', qos: 0, retain: false });
    expect(el.lastPublished).to.deep.include({ payload: 'reboot' });
    el.querySelectorAll('button')[1].click();
    expect(await values(2)).to.deep.equal(['reboot', 'ping']);
  });

  it('publishes payload-on / payload-off for a checkbox on change, not on click', async () => {
    const el = await mount(
      (t) =>
        html`<mqtt-publish topic=${t} payload-on="ON" payload-off="OFF"
          ><label><input type="checkbox" /> Lamp</label></mqtt-publish
        >`
    );
    const box = el.querySelector('input')!;
    box.click();
    box.click();
    expect(await values(2)).to.deep.equal(['ON', 'OFF']);
  });

  it('publishes once when the text of a label around a checkbox is clicked', async () => {
    const el = await mount(
      (t) =>
        html`<mqtt-publish topic=${t}
          ><label><input type="checkbox" /> <span>Lamp</span></label></mqtt-publish
        >`
    );
    el.querySelector('span')!.click();
    expect(await values(1)).to.deep.equal(['true']);
    await sleep(100);
    expect(received).to.have.length(1);
  });

  it("publishes a custom button's click", async () => {
    const el = await mount(
      (t) => html`<mqtt-publish topic=${t} payload="go"><x-fancy-button>Go</x-fancy-button></mqtt-publish>`
    );
    (el.querySelector('x-fancy-button') as HTMLElement).click();
    expect(await values(1)).to.deep.equal(['go']);
  });

  it('sends the last throttled value when it is removed', async () => {
    const el = await mount(
      (t) => html`<mqtt-publish topic=${t} event="input" throttle="1000"><input type="range" /></mqtt-publish>`
    );
    const range = el.querySelector('input')!;
    for (const v of ['1', '2', '3']) {
      range.value = v;
      range.dispatchEvent(new Event('input', { bubbles: true }));
    }
    el.remove();
    expect(await values(2)).to.deep.equal(['1', '3']);
  });

  it("publishes a custom form control's checked state", async () => {
    const el = await mount((t) => html`<mqtt-publish topic=${t}><test-switch></test-switch></mqtt-publish>`);
    const sw = el.querySelector('test-switch') as TestSwitch;
    await sw.updateComplete;
    sw.shadowRoot!.querySelector('button')!.click();
    expect(await values(1)).to.deep.equal(['true']);
  });

  it('publishes numbers from range and number inputs, strings from select and textarea', async () => {
    const el = await mount(
      (t) =>
        html`<mqtt-publish topic=${t} type="json"><input type="range" min="0" max="100" value="40" /></mqtt-publish>
          <mqtt-publish topic=${t}
            ><select>
              <option>low</option>
              <option>high</option>
            </select></mqtt-publish
          >
          <mqtt-publish topic=${t}><textarea></textarea></mqtt-publish>`
    );
    const range = el.querySelector('input')!;
    range.value = '75';
    range.dispatchEvent(new Event('change', { bubbles: true }));
    const select = conn.querySelector('select')!;
    select.value = 'high';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    const area = conn.querySelector('textarea')!;
    area.value = 'a note';
    area.dispatchEvent(new Event('change', { bubbles: true }));
    expect(await values(3)).to.deep.equal(['75', 'high', 'a note']);
  });

  it('publishes a form as an object of its named fields, without navigating', async () => {
    const el = await mount(
      (t) =>
        html`<mqtt-publish topic=${t}>
          <form action="/should-not-navigate">
            <input name="setpoint" type="number" value="21.5" />
            <input name="mode" value="eco" />
            <input name="away" type="checkbox" checked />
            <input name="ignored" />
            <button>Set</button>
          </form>
        </mqtt-publish>`
    );
    el.querySelector<HTMLInputElement>('[name=ignored]')!.removeAttribute('name');
    const before = location.href;
    el.querySelector('button')!.click();
    const [value] = await values(1);
    expect(JSON.parse(value as string)).to.deep.equal({ setpoint: 21.5, mode: 'eco', away: true });
    expect(location.href).to.equal(before);
  });

  it('fills a payload template, JSON-encoding the value where type="json"', async () => {
    const el = await mount(
      (t) =>
        html`<mqtt-publish topic=${t} type="json" payload='{"brightness": {value}}'
            ><input type="range" value="30"
          /></mqtt-publish>
          <mqtt-publish topic=${t} payload="level={value}"><input value="high" /></mqtt-publish>`
    );
    el.querySelector('input')!.dispatchEvent(new Event('change', { bubbles: true }));
    conn.querySelectorAll('input')[1].dispatchEvent(new Event('change', { bubbles: true }));
    expect(await values(2)).to.deep.equal(['{"brightness": 30}', 'level=high']);
  });

  it('publishes on the event named by event, throttled, always ending on the last value', async () => {
    const el = await mount(
      (t) => html`<mqtt-publish topic=${t} event="input" throttle="200"><input type="range" /></mqtt-publish>`
    );
    const range = el.querySelector('input')!;
    for (let v = 1; v <= 20; v++) {
      range.value = String(v);
      range.dispatchEvent(new Event('input', { bubbles: true }));
      await sleep(10);
    }
    await sleep(400);
    const got = await values(2);
    expect(got[0]).to.equal('1');
    expect(got.at(-1)).to.equal('20');
    expect(got.length).to.be.lessThan(5);
  });

  it('publish() starts the throttle interval again: an event right after it waits', async () => {
    const el = await mount(
      (t) => html`<mqtt-publish topic=${t} event="input" throttle="600"><input type="range" /></mqtt-publish>`
    );
    const published: string[] = [];
    el.addEventListener('mqtt-publish', (e) => published.push(String(e.detail.payload)));
    await el.publish('explicit');
    const range = el.querySelector('input')!;
    range.value = '7';
    range.dispatchEvent(new Event('input', { bubbles: true }));
    await sleep(150);
    expect(published, 'the event waited for the interval').to.deep.equal(['explicit']);
    expect(await values(2)).to.deep.equal(['explicit', '7']);
  });

  it('publishes retained messages with the QoS asked for', async () => {
    const el = await mount(
      (t) => html`<mqtt-publish topic=${t} qos="1" retain payload="kept"><button>Keep</button></mqtt-publish>`
    );
    el.querySelector('button')!.click();
    await values(1);
    offReceive();
    await subscriptionsAtBroker(topic, 0);
    offReceive = conn.subscribe(topic, (m) => received.push(m), { type: 'text', qos: 1 });
    await waitUntil(() => received.length === 2, 'no retained message');
    expect(received[1]).to.deep.include({ value: 'kept', retain: true, qos: 1 });
    await el.publish('');
    await sleep(50);
  });

  it('publish(value) encodes by type; a bad value is reported, not thrown into the page', async () => {
    const el = await mount((t) => html`<mqtt-publish topic=${t} type="number"></mqtt-publish>`);
    await el.publish(42);
    const error = oneEvent(el, 'mqtt-error');
    await el.publish('forty-two').catch(() => {});
    expect((await error).detail.hint).to.contain('number');
    expect(await values(1)).to.deep.equal(['42']);
  });

  it('refuses a topic with wildcards with a hint', async () => {
    const el = await mount(() => html`<mqtt-publish topic="a/+/c" payload="x"><button>Go</button></mqtt-publish>`);
    const error = oneEvent(el, 'mqtt-error');
    el.querySelector('button')!.click();
    expect((await error).detail.hint).to.contain('subscriptions');
  });

  it('carries offline while not connected and sends what was queued on connect', async () => {
    topic = uniqueTopic('offline');
    received = [];
    conn = await fixture<MqttConnection>(
      html`<mqtt-connection manual url=${url}
        ><mqtt-publish topic=${topic} qos="1" payload="queued"><button>Go</button></mqtt-publish></mqtt-connection
      >`
    );
    const el = conn.querySelector('mqtt-publish')!;
    expect(el.hasAttribute('offline')).to.be.true;
    offReceive = conn.subscribe(topic, (m) => received.push(m), { type: 'text', qos: 1 });
    el.querySelector('button')!.click();
    await sleep(50);
    conn.connect();
    await waitUntil(() => !el.hasAttribute('offline'));
    expect(await values(1)).to.deep.equal(['queued']);
  });
});
