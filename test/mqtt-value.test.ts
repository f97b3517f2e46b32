import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { MqttConnection, MqttValue } from '../src/index.js';
import { brokerPublish, brokerUrl, sleep, subscriptionsAtBroker, uniqueTopic } from './helpers.js';

const shown = (el: MqttValue) => el.shadowRoot!.querySelector('[part="value"]')!.textContent;

describe('<mqtt-value>', () => {
  let url: string;
  let conn: MqttConnection;
  before(async () => {
    url = await brokerUrl();
  });
  afterEach(async () => {
    await conn?.disconnect();
  });

  async function mount(template: (topic: string) => unknown): Promise<{ topic: string; el: MqttValue }> {
    const topic = uniqueTopic('value');
    conn = await fixture<MqttConnection>(html`<mqtt-connection url=${url}>${template(topic)}</mqtt-connection>`);
    await subscriptionsAtBroker(topic, 1);
    return { topic, el: conn.querySelector('mqtt-value')! };
  }

  it('shows the placeholder, then the value with its digits and unit', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t} path="celsius" digits="1" unit="°C" locale="en"></mqtt-value>`);
    expect(shown(el)).to.equal('–');
    expect(el.shadowRoot!.querySelector('[part="unit"]')!.textContent).to.equal('°C');
    await brokerPublish({ topic, payload: '{"celsius":21.349}' });
    await waitUntil(() => shown(el) === '21.3');
    expect(el.value).to.equal(21.349);
    await expect(el).to.be.accessible();
  });

  it('formats numbers for its locale or the page\'s lang', async () => {
    const { topic, el } = await mount((t) => html`<div lang="de-DE"><mqtt-value topic=${t} digits="2"></mqtt-value></div>`);
    await brokerPublish({ topic, payload: '1234.5' });
    await waitUntil(() => shown(el) === '1.234,50');
    el.locale = 'en-US';
    await waitUntil(() => shown(el) === '1,234.50');
  });

  it('finds the page\'s lang through shadow roots', async () => {
    const tag = `lang-host-${Math.random().toString(36).slice(2, 8)}`;
    const topic = uniqueTopic('lang');
    customElements.define(
      tag,
      class extends HTMLElement {
        connectedCallback() {
          const value = document.createElement('mqtt-value');
          value.topic = topic;
          value.digits = 2;
          this.attachShadow({ mode: 'open' }).append(value);
        }
      }
    );
    conn = await fixture<MqttConnection>(html`<mqtt-connection url=${url}><div lang="de-DE"></div></mqtt-connection>`);
    conn.querySelector('div')!.append(document.createElement(tag));
    await subscriptionsAtBroker(topic, 1);
    await brokerPublish({ topic, payload: '1234.5' });
    const el = conn.querySelector(tag)!.shadowRoot!.querySelector('mqtt-value')!;
    await waitUntil(() => shown(el) === '1.234,50', `shows ${shown(el)}`);
  });

  it('drops the old topic\'s value when the topic changes', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t}></mqtt-value>`);
    await brokerPublish({ topic, payload: '11' });
    await waitUntil(() => shown(el) === '11');
    el.topic = `${topic}/other`;
    await waitUntil(() => shown(el) === '–', `shows ${shown(el)}`);
    expect(el.value).to.equal(undefined);
  });

  it('labels values through map, and reports a map that is not JSON', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t} map='{"1":"On","0":"Off"}'></mqtt-value>`);
    await brokerPublish({ topic, payload: '1' });
    await waitUntil(() => shown(el) === 'On');
    await brokerPublish({ topic, payload: 'constructor' });
    await waitUntil(() => shown(el) === 'constructor', `shows ${shown(el)}`);
    const error = oneEvent(el, 'mqtt-error');
    el.map = '{1: On}';
    expect((await error).detail.hint).to.contain('JSON object');
    await brokerPublish({ topic, payload: '0' });
    await waitUntil(() => shown(el) === '0');
  });

  it('reflects level against low and high', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t} low="18" high="26"></mqtt-value>`);
    expect(el.hasAttribute('level')).to.be.false;
    for (const [payload, level] of [['17.9', 'low'], ['21', 'normal'], ['26.5', 'high']]) {
      await brokerPublish({ topic, payload });
      await waitUntil(() => el.getAttribute('level') === level, `level for ${payload}`);
      expect(el.level).to.equal(level);
    }
  });

  it('sets stale after stale-after seconds without a message', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t} stale-after="0.3"></mqtt-value>`);
    await brokerPublish({ topic, payload: '1' });
    await waitUntil(() => shown(el) === '1');
    expect(el.stale).to.be.false;
    await waitUntil(() => el.stale, 'never stale', { timeout: 2000 });
    await brokerPublish({ topic, payload: '2' });
    await waitUntil(() => !el.hasAttribute('stale'));
  });

  it('sets stale when no message comes at all', async () => {
    const { el } = await mount((t) => html`<mqtt-value topic=${t} stale-after="0.2"></mqtt-value>`);
    await waitUntil(() => el.stale, 'never stale', { timeout: 2000 });
    el.staleAfter = 60;
    await waitUntil(() => !el.stale);
  });

  it('shows markup from the broker as inert text', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t}></mqtt-value>`);
    const evil = '<img src=x onerror="window.__valuePwned=1"><script>window.__valuePwned=2</script>';
    await brokerPublish({ topic, payload: evil });
    await waitUntil(() => shown(el) === evil);
    expect(el.shadowRoot!.querySelector('img, script')).to.equal(null);
    await sleep(50);
    expect((window as unknown as { __valuePwned?: number }).__valuePwned).to.equal(undefined);
  });

  it('keeps the last good value when a payload cannot be decoded', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t} type="number"></mqtt-value>`);
    await brokerPublish({ topic, payload: '5' });
    await waitUntil(() => shown(el) === '5');
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      const errors: string[] = [];
      el.addEventListener('mqtt-error', (e) => errors.push(e.detail.error.message));
      await brokerPublish({ topic, payload: 'five' });
      await brokerPublish({ topic, payload: 'six' });
      await waitUntil(() => errors.length === 2);
      expect(errors[0]).to.contain('not a number');
      expect(warnings, 'one console warning per kind of problem, not per message').to.have.length(1);
    } finally {
      console.warn = warn;
    }
    await sleep(50);
    expect(shown(el)).to.equal('5');
  });

  it('renders at most once per frame through a 5000-message burst, ending on the last value', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t}></mqtt-value>`);
    const frames: number[] = [];
    const proto = Object.getPrototypeOf(el) as { render(): unknown };
    (el as unknown as { render(): unknown }).render = function render(this: MqttValue) {
      frames.push(document.timeline.currentTime as number);
      return proto.render.call(this);
    };
    let events = 0;
    el.addEventListener('mqtt-message', () => events++);
    await brokerPublish({ topic, payload: '{i}', count: 5000 });
    await waitUntil(() => shown(el) === '4,999' || shown(el) === '4999', `shows ${shown(el)}`, { timeout: 10000 });
    expect(events).to.equal(5000);
    expect(new Set(frames).size, 'two renders in one frame').to.equal(frames.length);
    expect(frames.length).to.be.lessThan(500);
  });
});
