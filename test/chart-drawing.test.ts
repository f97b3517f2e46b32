// What <mqtt-chart> draws, read from its uPlot instance and canvas (issue 12: what a new user hit):
// a lone point, the legend's values, tick labels that never repeat, and the gap of an outage.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/chart.js';
import type { MqttChart } from '../src/chart.js';
import type { MqttConnection } from '../src/index.js';
import {
  brokerPublish,
  brokerUrl,
  connected,
  nextFrame,
  onMainBroker,
  sleep,
  stopBroker,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

/** uPlot's axis state after a draw: the labels it wrote (`null`: none at that tick). */
type DrawnAxis = { _values: (string | null)[] | null };
const axisLabels = (el: MqttChart, axis: number) =>
  ((el.plot!.axes[axis] as unknown as DrawnAxis)._values ?? []).filter((label) => label !== null);

/** The legend's entries after the time row (which is hidden): label and value. */
const legend = (el: MqttChart) =>
  [...el.shadowRoot!.querySelectorAll<HTMLElement>('.u-legend .u-series')]
    .slice(1)
    .map((row) => [row.querySelector('.u-label')!.textContent, row.querySelector('.u-value')?.textContent]);

describe('<mqtt-chart> drawing', () => {
  let url: string;
  let conn: MqttConnection;
  onMainBroker(
    (u) => (url = u),
    () => conn
  );

  async function mount(template: (base: string) => unknown, base = uniqueTopic('draw')) {
    conn = await fixture<MqttConnection>(html`<mqtt-connection url=${url}>${template(base)}</mqtt-connection>`);
    await subscriptionsAtBroker(base, 1);
    return { base, el: conn.querySelector('mqtt-chart')! };
  }

  it('draws a lone point (a retained value just arrived) as a dot', async () => {
    const base = uniqueTopic('draw');
    await brokerPublish({ topic: base, payload: '21.5', retain: true });
    const { el } = await mount(
      (b) => html`<mqtt-chart topic=${b} style="--mqtt-chart-color-1: rgb(255, 0, 0)"></mqtt-chart>`,
      base
    );
    await waitUntil(() => el.plot?.data[0]?.length === 1, 'the retained value is not drawn');
    await nextFrame();
    await nextFrame();
    const plot = el.plot!;
    // The pixel at the point, on the plot's canvas (device pixels).
    const pixel = () => {
      const x = Math.round(plot.valToPos(plot.data[0][0], 'x', true));
      const y = Math.round(plot.valToPos(21.5, 'y', true));
      return [...plot.ctx.getImageData(x, y, 1, 1).data];
    };
    const [r, g, b, a] = pixel();
    expect(a, `pixel ${pixel()}`).to.be.above(200);
    expect(r - Math.max(g, b), `pixel ${pixel()}`).to.be.above(150);
    await conn.disconnect();
    await brokerPublish({ topic: base, payload: '', retain: true });
  });

  it("shows each series' latest value in the legend, with digits, unit and locale", async () => {
    const { base, el } = await mount(
      (b) => html`<mqtt-chart topic=${`${b}/+bed/moisture`} unit="%" digits="0"></mqtt-chart>`
    );
    await brokerPublish({ topic: `${base}/bed1/moisture`, payload: '42.4' });
    await brokerPublish({ topic: `${base}/bed2/moisture`, payload: '37.6' });
    const expected = JSON.stringify([
      ['bed1', '42 %'],
      ['bed2', '38 %'],
    ]);
    await waitUntil(() => JSON.stringify(legend(el)) === expected, `legend: ${JSON.stringify(legend(el))}`);
    const row = el.shadowRoot!.querySelectorAll<HTMLElement>('.u-legend .u-series')[1];
    expect(getComputedStyle(row.querySelector('.u-value')!).display).to.not.equal('none');
    expect(row.offsetWidth, 'the row is shown').to.be.above(0);
    // It follows the values.
    await brokerPublish({ topic: `${base}/bed1/moisture`, payload: '50' });
    await waitUntil(() => legend(el)[0][1] === '50 %', `legend: ${JSON.stringify(legend(el))}`);
    // The locale in use, and digits.
    el.locale = 'de-DE';
    el.digits = 1;
    await waitUntil(() => legend(el)[1]?.[1] === '37,6 %', `legend: ${JSON.stringify(legend(el))}`);
    // The accessible label says the same, and the chart stays accessible.
    const chart = el.shadowRoot!.querySelector('[part=chart]')!;
    await waitUntil(() => chart.getAttribute('aria-label')!.includes('bed1 50,0 %; bed2 37,6 %'), 'aria-label', {
      timeout: 3000,
    });
    await expect(el).to.be.accessible();
  });

  it('writes no y label twice, for values closer than digits and at any zoom', async () => {
    const { base, el } = await mount((b) => html`<mqtt-chart topic=${b} digits="1" unit="°C"></mqtt-chart>`);
    for (const payload of ['22.70', '22.72', '22.74']) await brokerPublish({ topic: base, payload });
    await waitUntil(() => el.plot?.data[0]?.length === 3, 'not drawn');
    await nextFrame();
    const labels = axisLabels(el, 1);
    expect(labels.length, `labels: ${labels}`).to.be.at.least(2);
    expect(new Set(labels).size, `labels: ${labels}`).to.equal(labels.length);
    for (const [min, max] of [
      [22.7, 22.71],
      [22.69, 22.75],
      [22, 23],
      [0, 1000],
    ]) {
      el.plot!.setScale('y', { min, max });
      await sleep(0);
      const zoomed = axisLabels(el, 1);
      expect(new Set(zoomed).size, `${min}..${max}: ${zoomed}`).to.equal(zoomed.length);
    }
  });

  it('spans an empty chart 20 s, and writes no time label twice', async () => {
    const { el } = await mount((b) => html`<mqtt-chart topic=${b} style="width: 1200px"></mqtt-chart>`);
    await waitUntil(() => el.plot?.width === 1200, 'not drawn');
    await nextFrame();
    const x = el.plot!.scales.x;
    expect(x.max! - x.min!).to.be.closeTo(20, 0.5);
    const labels = axisLabels(el, 0);
    expect(labels.length, `labels: ${labels}`).to.be.at.least(2);
    expect(new Set(labels).size, `labels: ${labels}`).to.equal(labels.length);
    // A window of 2 s over 1200 px: ticks a fraction of a second apart would all read the same second.
    el.window = 2;
    await waitUntil(() => el.plot!.scales.x.max! - el.plot!.scales.x.min! < 3, 'window not applied');
    await nextFrame();
    const short = axisLabels(el, 0);
    expect(new Set(short).size, `labels: ${short}`).to.equal(short.length);
  });

  it('breaks the line across a broker outage', async function () {
    this.timeout(30_000);
    const name = 'chart-gap';
    const base = uniqueTopic('gap');
    conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${await brokerUrl(name)} reconnect-period="100" reconnect-max-period="200">
        <mqtt-chart topic=${base}></mqtt-chart>
      </mqtt-connection>`
    );
    const el = conn.querySelector('mqtt-chart')!;
    await subscriptionsAtBroker(base, 1, name);
    for (const payload of ['1', '2']) await brokerPublish({ name, topic: base, payload });
    await waitUntil(() => el.plot?.data[0]?.length === 2, 'first run not drawn');
    try {
      await stopBroker(name);
      await waitUntil(() => conn.status !== 'connected', 'still connected', { timeout: 5000 });
    } finally {
      await brokerUrl(name);
    }
    await connected(conn, 10_000);
    await subscriptionsAtBroker(base, 1, name);
    for (const payload of ['3', '4']) await brokerPublish({ name, topic: base, payload });
    await waitUntil(() => el.series[0]?.points === 4, 'second run not received');
    await waitUntil(() => Array.from(el.plot!.data[1]).includes(4), 'second run not drawn');
    const ys = Array.from(el.plot!.data[1]);
    const gap = ys.indexOf(null);
    expect(gap, `data: ${ys}`).to.be.above(ys.indexOf(2));
    expect(gap, `data: ${ys}`).to.be.below(ys.indexOf(3));
    // uPlot draws the line with that gap cut out.
    await nextFrame();
    const paths = (el.plot!.series[1] as unknown as { _paths: { gaps: unknown[] | null } })._paths;
    expect(paths.gaps, 'gaps drawn').to.have.length.at.least(1);
    await conn.disconnect();
    await stopBroker(name);
  });
});
