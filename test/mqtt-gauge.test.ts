import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { MqttConnection, MqttGauge } from '../src/index.js';
import {
  brokerPublish,
  captureWarnings,
  mountSubscriber,
  onMainBroker,
  expectBurstRenderedOncePerFrame,
  expectStaleAfter,
  sleep,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

const part = (el: MqttGauge, name: string) => el.shadowRoot!.querySelector(`[part="${name}"]`);
const shown = (el: MqttGauge) => part(el, 'value')!.textContent;
/** The needle's angle: -90 at min, 90 at max. */
const needle = (el: MqttGauge) => Number(/rotate\((-?[\d.]+)/.exec(part(el, 'needle')!.getAttribute('transform')!)![1]);
const aria = (el: MqttGauge) => ({
  role: el.getAttribute('role'),
  now: el.getAttribute('aria-valuenow'),
  min: el.getAttribute('aria-valuemin'),
  max: el.getAttribute('aria-valuemax'),
  text: el.getAttribute('aria-valuetext'),
});

describe('<mqtt-gauge>', () => {
  let url: string;
  let conn: MqttConnection;
  onMainBroker(
    (u) => (url = u),
    () => conn
  );

  async function mount(template: (topic: string) => unknown): Promise<{ topic: string; el: MqttGauge }> {
    const mounted = await mountSubscriber<MqttGauge>(url, 'gauge', 'mqtt-gauge', template);
    conn = mounted.conn;
    return mounted;
  }

  it('is a meter whose aria values follow messages, with the value as shown and its unit', async () => {
    const { topic, el } = await mount(
      (t) => html`<mqtt-gauge topic=${t} min="0" max="3000" digits="1" unit="W" locale="en"></mqtt-gauge>`
    );
    expect(aria(el)).to.deep.equal({ role: 'meter', now: '0', min: '0', max: '3000', text: '–' });
    expect(shown(el)).to.equal('–');
    await brokerPublish({ topic, payload: '1234.56' });
    await waitUntil(() => shown(el) === '1,234.6', `shows ${shown(el)}`);
    expect(aria(el)).to.deep.equal({ role: 'meter', now: '1234.56', min: '0', max: '3000', text: '1,234.6 W' });
    expect(part(el, 'unit')!.textContent).to.equal('W');
    expect(needle(el)).to.be.closeTo(-90 + (180 * 1234.56) / 3000, 0.01);
    await brokerPublish({ topic, payload: '15' });
    await waitUntil(() => el.getAttribute('aria-valuenow') === '15');
    expect(el.getAttribute('aria-valuetext')).to.equal('15.0 W');
  });

  it('pins the needle at the end for a value outside min..max, and shows the value as it is', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-gauge topic=${t} min="10" max="40" unit="%"></mqtt-gauge>`);
    await brokerPublish({ topic, payload: '55' });
    await waitUntil(() => shown(el) === '55');
    expect(needle(el)).to.equal(90);
    expect(el.getAttribute('aria-valuenow'), 'kept within the scale').to.equal('40');
    expect(el.getAttribute('aria-valuetext')).to.equal('55 %');
    await brokerPublish({ topic, payload: '-3' });
    await waitUntil(() => shown(el) === '-3');
    expect(needle(el)).to.equal(-90);
    expect(el.getAttribute('aria-valuenow')).to.equal('10');
    await brokerPublish({ topic, payload: '25' });
    await waitUntil(() => shown(el) === '25');
    expect(needle(el)).to.equal(0);
  });

  it('reflects level from low and high, and rates the value against optimum as <meter> does', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-gauge topic=${t} low="30" high="70"></mqtt-gauge>`);
    expect(el.hasAttribute('level')).to.be.false;
    const bar = () => part(el, 'bar')!.getAttribute('class');
    for (const [payload, level, rating] of [
      ['10', 'low', 'suboptimum'],
      ['50', 'normal', 'optimum'],
      ['90', 'high', 'suboptimum'],
    ]) {
      await brokerPublish({ topic, payload });
      await waitUntil(() => el.getAttribute('level') === level, `level for ${payload}`);
      expect(el.rating, `rating for ${payload}`).to.equal(rating);
      expect(bar()).to.equal(rating);
    }
    // A low optimum (a CO2 meter): the low region is good, the high one worst.
    el.optimum = 10;
    await el.updateComplete;
    expect(el.rating).to.equal('even-less-good');
    await brokerPublish({ topic, payload: '20' });
    // The rating follows the message at once; the bar, at the next frame's render.
    await waitUntil(() => el.rating === 'optimum' && bar() === 'optimum');
    expect(getComputedStyle(part(el, 'bar')!).stroke).to.equal('rgb(46, 125, 50)');
  });

  it('sets stale after stale-after seconds without a message', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-gauge topic=${t} stale-after="0.3"></mqtt-gauge>`);
    await expectStaleAfter(el, topic, (text) => shown(el) === text);
  });

  it('renders at most once per frame through a 5000-message burst, ending on the last value', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-gauge topic=${t} max="5000"></mqtt-gauge>`);
    await expectBurstRenderedOncePerFrame(
      el,
      topic,
      () => el.getAttribute('aria-valuenow') === '4999',
      () => String(el.getAttribute('aria-valuenow'))
    );
  });

  it('reports a scale with min not below max, and numbers that are not numbers', async () => {
    const { warnings, restore } = captureWarnings();
    try {
      const { el } = await mount((t) => html`<mqtt-gauge topic=${t} min="50" max="10"></mqtt-gauge>`);
      expect(el.getAttribute('error')).to.contain('min="50" is not below max="10"');
      expect(el.getAttribute('aria-valuemax'), '0 to 100 meanwhile').to.equal('100');
      expect(warnings.join('\n')).to.contain('min below max');
      el.max = 80;
      await el.updateComplete;
      expect(el.hasAttribute('error')).to.be.false;
      expect(el.getAttribute('aria-valuemax')).to.equal('80');
      const error = oneEvent(el, 'mqtt-error');
      el.setAttribute('high', 'lots');
      expect((await error).detail.error.message).to.contain('high="lots" is not a number');
      el.setAttribute('digits', '-1');
      await el.updateComplete;
      expect(el.getAttribute('error')).to.contain('digits="-1"');
      el.setAttribute('locale', 'en_!!');
      await el.updateComplete;
      expect(el.getAttribute('error')).to.contain('locale="en_!!" is not a valid locale');
    } finally {
      restore();
    }
  });

  it('reports payloads that are not numbers and keeps the last number', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-gauge topic=${t} path="w"></mqtt-gauge>`);
    await brokerPublish({ topic, payload: '{"w":"12.5"}' });
    await waitUntil(() => shown(el) === '12.5');
    const error = oneEvent(el, 'mqtt-error');
    await brokerPublish({ topic, payload: '{"w":"warm"}' });
    expect((await error).detail.error.message).to.contain('"warm" is not a number');
    await sleep(50);
    expect(shown(el)).to.equal('12.5');
    const plain = uniqueTopic('gauge');
    el.path = undefined;
    el.topic = plain;
    await subscriptionsAtBroker(plain, 1);
    const again = oneEvent(el, 'mqtt-error');
    await brokerPublish({ topic: plain, payload: 'cold' });
    expect((await again).detail.error.message).to.contain('"cold" is not a number');
    expect(shown(el), "the old topic's number is gone").to.equal('–');
  });

  it('shows markup from the broker as inert text', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-gauge topic=${t} path="w" unit=${'<b>W</b>'}></mqtt-gauge>`);
    const evil = '<img src=x onerror="window.__gaugePwned=1">';
    await brokerPublish({ topic, payload: JSON.stringify({ w: evil }) });
    await waitUntil(() => el.hasAttribute('error'));
    expect(shown(el)).to.equal('–');
    await brokerPublish({ topic, payload: '{"w":7}' });
    await waitUntil(() => shown(el) === '7');
    expect(part(el, 'unit')!.textContent).to.equal('<b>W</b>');
    expect(el.shadowRoot!.querySelector('img, b, script')).to.equal(null);
    expect(el.getAttribute('error')).to.equal(null);
    expect((window as unknown as { __gaugePwned?: number }).__gaugePwned).to.equal(undefined);
  });

  it('resizes with its container', async () => {
    const { el } = await mount((t) => html`<div style="width: 200px"><mqtt-gauge topic=${t}></mqtt-gauge></div>`);
    await el.updateComplete;
    const width = () => part(el, 'dial')!.getBoundingClientRect().width;
    expect(width()).to.equal(200);
    (el.parentElement as HTMLElement).style.width = '400px';
    expect(width()).to.equal(400);
  });
});
