import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/chart.js';
import type { MqttChart } from '../src/chart.js';
import type { MqttConnection, MqttErrorEvent } from '../src/index.js';
import {
  brokerPublish,
  captureWarnings,
  nextFrame,
  onMainBroker,
  sleep,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

/** The frame a callback runs in: every callback of one animation frame sees the same timeline time. */
const frameNow = () => Number(document.timeline.currentTime);

describe('<mqtt-chart>', () => {
  let url: string;
  let conn: MqttConnection;
  onMainBroker(
    (u) => (url = u),
    () => conn
  );

  async function mount(
    template: (base: string) => unknown,
    subscriptions = 1
  ): Promise<{ base: string; el: MqttChart }> {
    const base = uniqueTopic('chart');
    conn = await fixture<MqttConnection>(html`<mqtt-connection url=${url}>${template(base)}</mqtt-connection>`);
    await subscriptionsAtBroker(base, subscriptions);
    return { base, el: conn.querySelector('mqtt-chart')! };
  }

  const legendLabels = (el: MqttChart) =>
    [...el.shadowRoot!.querySelectorAll('.u-series .u-label')].map((label) => label.textContent);

  it('draws one series per matching topic, labelled by the named wildcard', async () => {
    const { base, el } = await mount(
      (b) => html`<mqtt-chart topic=${`${b}/+room/temperature`} unit="°C" digits="1"></mqtt-chart>`
    );
    await brokerPublish({ topic: `${base}/kitchen/temperature`, payload: '21.25' });
    await brokerPublish({ topic: `${base}/bedroom/temperature`, payload: '18' });
    await brokerPublish({ topic: `${base}/kitchen/temperature`, payload: '21.5' });
    await waitUntil(() => el.series.length === 2 && el.series[0].points === 2, 'two series');
    expect(el.series.map((s) => [s.label, s.topic, s.points, s.latest])).to.deep.equal([
      ['kitchen', `${base}/kitchen/temperature`, 2, 21.5],
      ['bedroom', `${base}/bedroom/temperature`, 1, 18],
    ]);
    await waitUntil(() => legendLabels(el).includes('bedroom'), `legend: ${legendLabels(el)}`);
    expect(el.plot!.series.map((s) => s.label).slice(1)).to.deep.equal(['kitchen', 'bedroom']);
    // The y axis shows the digits and the unit.
    expect(el.plot!.axes[1].values).to.be.a('function');
    const chart = el.shadowRoot!.querySelector('[part=chart]')!;
    expect(chart.getAttribute('role')).to.equal('img');
    await waitUntil(
      () => chart.getAttribute('aria-label')!.includes('bedroom 18.0 °C'),
      `label: ${chart.getAttribute('aria-label')}`,
      { timeout: 3000 }
    );
    expect(chart.getAttribute('aria-label')).to.contain('2 series').and.contain('kitchen 21.5 °C');
    await expect(el).to.be.accessible();
  });

  it('labels a series by its topic without named wildcards, as text only', async () => {
    const evil = '<img src=x onerror="window.__chartPwned=1">';
    const { base, el } = await mount((b) => html`<mqtt-chart topic=${`${b}/#`}></mqtt-chart>`);
    await brokerPublish({ topic: `${base}/${evil}`, payload: '1' });
    await waitUntil(() => legendLabels(el).includes(`${base}/${evil}`), `legend: ${legendLabels(el)}`);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    await sleep(50);
    expect((window as unknown as { __chartPwned?: number }).__chartPwned).to.equal(undefined);
    // The accessible label (rewritten at most once a second) names it too, as an attribute value.
    const chart = el.shadowRoot!.querySelector('[part=chart]')!;
    await waitUntil(
      () => chart.getAttribute('aria-label')!.includes(evil),
      `label: ${chart.getAttribute('aria-label')}`,
      { timeout: 3000 }
    );
  });

  it('draws a field picked by path, and booleans as 1 and 0', async () => {
    const { base, el } = await mount((b) => html`<mqtt-chart topic=${b} path="sensor.celsius"></mqtt-chart>`);
    await brokerPublish({ topic: base, payload: '{"sensor":{"celsius":19.5}}' });
    await brokerPublish({ topic: base, payload: '{"sensor":{"celsius":true}}' });
    await waitUntil(() => el.series[0]?.points === 2);
    expect(el.series[0].latest).to.equal(1);
    expect(el.value).to.equal(true);
  });

  it('keeps at most max-points per series under a long stream, and redraws at most once per frame', async function () {
    // 20 000 messages take several seconds on a busy machine.
    this.timeout(90_000);
    const { base, el } = await mount((b) => html`<mqtt-chart topic=${b} max-points="1000"></mqtt-chart>`);
    await brokerPublish({ topic: base, payload: '0' });
    await waitUntil(() => el.plot && el.series[0]?.points === 1);
    const drawsAt: number[] = [];
    el.plot!.hooks.draw = [...(el.plot!.hooks.draw ?? []), () => drawsAt.push(frameNow())];
    let messages = 0;
    el.addEventListener('mqtt-message', () => messages++);
    let frames = 0;
    let counting = true;
    const count = () => {
      frames++;
      if (counting) requestAnimationFrame(count);
    };
    requestAnimationFrame(count);
    const total = 20_000;
    await brokerPublish({ topic: base, payload: '{i}', count: total });
    await waitUntil(() => messages === total, `${messages} of ${total} messages`, { timeout: 80_000 });
    await nextFrame();
    await nextFrame();
    counting = false;
    const perFrame = new Map<number, number>();
    for (const at of drawsAt) perFrame.set(at, (perFrame.get(at) ?? 0) + 1);
    const most = Math.max(...perFrame.values());
    const points = el.series[0].points;
    console.log(
      `chart: ${total} messages, ${points} points kept (max-points 1000), ${drawsAt.length} redraws over ${frames} frames, at most ${most} per frame`
    );
    expect(points).to.equal(1000);
    expect(el.series[0].latest).to.equal(total - 1);
    expect(most).to.equal(1);
    expect(drawsAt.length).to.be.at.most(frames);
    expect(drawsAt.length).to.be.at.least(1);
  });

  it('drops points older than window, with the clock', async () => {
    const { base, el } = await mount((b) => html`<mqtt-chart topic=${b} window="0.4"></mqtt-chart>`);
    await brokerPublish({ topic: base, payload: '{i}', count: 50 });
    await waitUntil(() => el.series[0]?.points === 50, 'all points');
    // No further message: the window slides on its own.
    await waitUntil(() => el.series[0].points === 0, `${el.series[0].points} points left`, { timeout: 3000 });
    expect(el.series[0].label).to.equal(base);
    const x = el.plot!.scales.x;
    expect(x.max! - x.min!).to.be.closeTo(0.4, 0.01);
  });

  it('follows the size of its container', async () => {
    // A wildcard filter, so that the chart has a legend to fit under the plot.
    const { base, el } = await mount(
      (b) => html`<div style="width: 400px"><mqtt-chart topic=${`${b}/+`} style="height: 300px"></mqtt-chart></div>`
    );
    await brokerPublish({ topic: `${base}/a`, payload: '1' });
    await waitUntil(
      () =>
        el.plot?.width === 400 &&
        el.plot.height === 300 - el.shadowRoot!.querySelector<HTMLElement>('.u-legend')!.offsetHeight,
      `size ${el.plot?.width}x${el.plot?.height}`,
      {
        timeout: 3000,
      }
    );
    const legend = el.shadowRoot!.querySelector<HTMLElement>('.u-legend')!.offsetHeight;
    expect(legend).to.be.within(10, 60);
    (el.parentElement as HTMLElement).style.width = '640px';
    await waitUntil(() => el.plot!.width === 640, `width ${el.plot!.width}`, { timeout: 3000 });
    el.style.height = '200px';
    // The legend's height may differ at the new width.
    await waitUntil(
      () => el.plot!.height === 200 - el.shadowRoot!.querySelector<HTMLElement>('.u-legend')!.offsetHeight,
      `height ${el.plot!.height}, box ${el.shadowRoot!.querySelector<HTMLElement>('[part=chart]')!.clientHeight}, legend ${el.shadowRoot!.querySelector<HTMLElement>('.u-legend')!.offsetHeight}, host ${el.clientHeight}`
    );
  });

  it('takes colours from CSS custom properties', async () => {
    const { base, el } = await mount(
      (b) =>
        html`<mqtt-chart
          topic=${`${b}/+`}
          style="--mqtt-chart-color-1: rgb(1, 2, 3); --mqtt-chart-color-2: rgb(4, 5, 6)"
        ></mqtt-chart>`
    );
    await brokerPublish({ topic: `${base}/a`, payload: '1' });
    await waitUntil(() => el.plot?.series.length === 2);
    await brokerPublish({ topic: `${base}/b`, payload: '2' });
    await waitUntil(() => el.plot?.series.length === 3);
    expect(el.plot!.series.slice(1).map((s) => (s.stroke as () => string)())).to.deep.equal([
      'rgb(1, 2, 3)',
      'rgb(4, 5, 6)',
    ]);
  });

  it('reports bad attributes with a hint, uses the defaults and keeps drawing', async () => {
    const { base, el } = await mount((b) => html`<mqtt-chart topic=${b}></mqtt-chart>`);
    const cases: [Partial<Record<'window' | 'maxPoints' | 'digits' | 'min' | 'max', unknown>>, string][] = [
      [{ window: 'soon' }, 'window="300"'],
      [{ maxPoints: -5 }, 'max-points="1000"'],
      [{ digits: 1.5 }, 'digits="1"'],
      [{ min: 10, max: 5 }, 'min smaller than max'],
      [{ min: 'low' }, 'plain number'],
    ];
    for (const [settings, hint] of cases) {
      const error = oneEvent(el, 'mqtt-error') as Promise<MqttErrorEvent>;
      Object.assign(el, settings);
      expect((await error).detail.hint).to.contain(hint);
      expect(el.getAttribute('error')).to.contain(hint);
    }
    await brokerPublish({ topic: base, payload: '{i}', count: 3 });
    await waitUntil(() => el.series[0]?.points === 3);
    await waitUntil(() => el.plot?.data[0].length === 3, 'drawn');
    Object.assign(el, { window: 60, maxPoints: 2, digits: 1, min: undefined, max: undefined });
    await waitUntil(() => !el.hasAttribute('error'), `error: ${el.getAttribute('error')}`);
    expect(el.series[0].points).to.equal(2);
  });

  const ariaLabel = (el: MqttChart) => el.shadowRoot!.querySelector('[part=chart]')!.getAttribute('aria-label')!;

  it('draws under an invalid lang such as en_US (read as en-US), with no error', async () => {
    const uncaught: string[] = [];
    const onError = (event: ErrorEvent) => uncaught.push(event.message);
    window.addEventListener('error', onError);
    // The page's own lang too: the chart used to hand it to Intl unchecked, and threw on every draw.
    const pageLang = document.documentElement.lang;
    document.documentElement.lang = 'en_US';
    try {
      const { base, el } = await mount(
        (b) => html`<div lang="en_US"><mqtt-chart topic=${b} digits="1"></mqtt-chart></div>`
      );
      await brokerPublish({ topic: base, payload: '1234.5' });
      await brokerPublish({ topic: base, payload: '2345.5' });
      await waitUntil(() => el.plot?.data[0]?.length === 2, 'nothing drawn');
      await waitUntil(() => ariaLabel(el).includes('2,345.5'), `label: ${ariaLabel(el)}`, { timeout: 3000 });
      await nextFrame();
      expect(uncaught).to.deep.equal([]);
      expect(el.hasAttribute('error'), el.getAttribute('error') ?? '').to.equal(false);
    } finally {
      document.documentElement.lang = pageLang;
      window.removeEventListener('error', onError);
    }
  });

  it('formats for the nearest lang (read leniently), or for its locale attribute over it', async () => {
    const { base, el } = await mount(
      (b) => html`<div lang="de_DE"><mqtt-chart topic=${b} unit="°C"></mqtt-chart></div>`
    );
    await brokerPublish({ topic: base, payload: '21.5' });
    await waitUntil(() => ariaLabel(el).includes('21,5 °C'), `label: ${ariaLabel(el)}`, { timeout: 3000 });
    el.locale = 'en-US';
    await waitUntil(() => ariaLabel(el).includes('21.5 °C'), `label: ${ariaLabel(el)}`, { timeout: 3000 });
    const values = () => (el.plot!.axes[1].values as (self: unknown, splits: number[]) => string[])(el.plot, [1.5]);
    await waitUntil(() => values()[0] === '1.5 °C', `axis: ${values()}`);
    expect(el.hasAttribute('error')).to.equal(false);
  });

  it('formats with a decimal comma for locale="de-DE"', async () => {
    const { base, el } = await mount(
      (b) => html`<div lang="en"><mqtt-chart topic=${b} locale="de-DE" digits="2"></mqtt-chart></div>`
    );
    await brokerPublish({ topic: base, payload: '1234.5' });
    await waitUntil(() => ariaLabel(el).includes('1.234,50'), `label: ${ariaLabel(el)}`, { timeout: 3000 });
    const values = (el.plot!.axes[1].values as (self: unknown, splits: number[]) => string[])(el.plot, [0.5]);
    expect(values).to.deep.equal(['0,50']);
  });

  it('reports an invalid locale attribute, and formats for the page meanwhile', async () => {
    const { base, el } = await mount((b) => html`<div lang="de-DE"><mqtt-chart topic=${b}></mqtt-chart></div>`);
    const error = oneEvent(el, 'mqtt-error') as Promise<MqttErrorEvent>;
    el.setAttribute('locale', 'xx_!!');
    const { detail } = await error;
    expect(detail.error.message).to.contain('locale="xx_!!"');
    expect(detail.hint).to.contain('language tag');
    await brokerPublish({ topic: base, payload: '2.5' });
    await waitUntil(() => ariaLabel(el).includes('2,5'), `label: ${ariaLabel(el)}`, { timeout: 3000 });
    // A good message does not clear a wrong setting.
    expect(el.getAttribute('error')).to.contain('locale="xx_!!"');
    el.removeAttribute('locale');
    await waitUntil(() => !el.hasAttribute('error'), `error: ${el.getAttribute('error')}`);
  });

  it('reports payloads that are not numbers, warns once, and keeps drawing', async () => {
    const { base, el } = await mount((b) => html`<mqtt-chart topic=${b}></mqtt-chart>`);
    const { warnings, restore } = captureWarnings();
    try {
      const error = oneEvent(el, 'mqtt-error') as Promise<MqttErrorEvent>;
      await brokerPublish({ topic: base, payload: 'on fire' });
      const { detail } = await error;
      expect(detail.hint).to.contain('A chart draws numbers');
      expect(detail.error.message).to.contain('"on fire"');
      const second = oneEvent(el, 'mqtt-error');
      await brokerPublish({ topic: base, payload: '{"a":1}' });
      await second;
      expect(warnings.filter((w) => w.includes('<mqtt-chart>'))).to.have.length(1);
    } finally {
      restore();
    }
    expect(el.series).to.have.length(0);
    await brokerPublish({ topic: base, payload: '7' });
    await waitUntil(() => el.series[0]?.latest === 7);
    expect(el.hasAttribute('error')).to.be.false;
  });

  it('unsubscribes and destroys the plot when removed, and draws again when put back', async () => {
    const { base, el } = await mount((b) => html`<mqtt-chart topic=${b}></mqtt-chart>`);
    await brokerPublish({ topic: base, payload: '3' });
    await waitUntil(() => el.plot && el.series[0]?.points === 1);
    let destroyed = 0;
    el.plot!.hooks.destroy = [() => destroyed++];
    el.remove();
    await subscriptionsAtBroker(base, 0);
    expect(destroyed).to.equal(1);
    expect(el.plot).to.equal(undefined);
    expect(el.shadowRoot!.querySelector('.uplot')).to.equal(null);
    conn.append(el);
    await subscriptionsAtBroker(base, 1);
    await waitUntil(() => el.plot !== undefined, 'no plot after re-connecting');
    // The points kept while it was away are drawn again.
    expect(el.plot!.data[1]).to.have.length(1);
    await brokerPublish({ topic: base, payload: '4' });
    await waitUntil(() => el.series[0].points === 2 && el.plot!.data[0].length === 2);
    expect(el.shadowRoot!.querySelectorAll('.uplot')).to.have.length(1);
    // And it follows its size again.
    el.style.width = '320px';
    await waitUntil(() => el.plot!.width === 320, `width ${el.plot!.width}`);
  });

  it('forgets its series when the topic changes', async () => {
    const { base, el } = await mount((b) => html`<mqtt-chart topic=${b}></mqtt-chart>`);
    await brokerPublish({ topic: base, payload: '1' });
    await waitUntil(() => el.series.length === 1);
    el.topic = `${base}/other`;
    await subscriptionsAtBroker(`${base}/other`, 1);
    expect(el.series).to.have.length(0);
    await brokerPublish({ topic: `${base}/other`, payload: '2' });
    await waitUntil(() => el.series[0]?.latest === 2);
    await waitUntil(() => el.plot?.data[1]?.length === 1);
  });
});
