// Zoom on <mqtt-chart>'s time axis (issue 15): a drag zooms, a double-click goes back to live, and
// the keys do the same; against the real test broker, with the user's mouse and keys from the
// browser (sendMouse, sendKeys, a real double-click). The view is read from uPlot's x scale.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../src/chart.js';
import type { MqttChart } from '../src/chart.js';
import { MIN_VIEW_MS, zoomKey } from '../src/chart/zoom.js';
import type { MqttConnection } from '../src/index.js';
import {
  brokerPublish,
  doubleClick,
  nextFrame,
  onMainBroker,
  sleep,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

/** The x scale's ends, seconds. */
const xScale = (el: MqttChart): [number, number] => [el.plot!.scales.x.min!, el.plot!.scales.x.max!];
const part = (el: MqttChart) => el.shadowRoot!.querySelector<HTMLElement>('[part=chart]')!;
const label = (el: MqttChart) => part(el).getAttribute('aria-label')!;
/** Whole CSS pixels in the page, at `fraction` of the plot's width and half its height. */
function onPlot(el: MqttChart, fraction: number): [number, number] {
  const { left, top, width, height } = el.plot!.over.getBoundingClientRect();
  return [Math.round(left + fraction * width), Math.round(top + height / 2)];
}

describe('zoom keys (DOM-free)', () => {
  const live = [100_000, 120_000] as const;

  it('+ halves the span around its middle, from live too; not below the narrowest view', () => {
    expect(zoomKey('+', undefined, live)).to.deep.equal([105_000, 115_000]);
    expect(zoomKey('=', [105_000, 115_000], live)).to.deep.equal([107_500, 112_500]);
    expect(zoomKey('+', [110_000, 110_000 + MIN_VIEW_MS], live)).to.equal(null);
  });

  it('- doubles the span, within live, and is live again once it would span as much', () => {
    expect(zoomKey('-', [107_500, 112_500], live)).to.deep.equal([105_000, 115_000]);
    expect(zoomKey('-', [114_000, 119_000], live), 'kept within live').to.deep.equal([110_000, 120_000]);
    expect(zoomKey('-', [105_000, 115_000], live)).to.equal(undefined);
    expect(zoomKey('-', undefined, live), 'live already').to.equal(null);
  });

  it('the arrows move the view by a quarter, never past live; Escape, 0 and Home go back to live', () => {
    expect(zoomKey('ArrowLeft', [108_000, 112_000], live)).to.deep.equal([107_000, 111_000]);
    expect(zoomKey('ArrowRight', [108_000, 112_000], live)).to.deep.equal([109_000, 113_000]);
    expect(zoomKey('ArrowRight', [115_000, 119_000], live)).to.deep.equal([116_000, 120_000]);
    expect(zoomKey('ArrowLeft', [100_000, 104_000], live)).to.deep.equal([100_000, 104_000]);
    // A view before live (older points kept while zoomed) may move towards live.
    expect(zoomKey('ArrowRight', [90_000, 94_000], live)).to.deep.equal([91_000, 95_000]);
    for (const key of ['Escape', '0', 'Home']) expect(zoomKey(key, [108_000, 112_000], live), key).to.equal(undefined);
    for (const key of ['ArrowLeft', 'Escape', 'a', 'Tab']) expect(zoomKey(key, undefined, live), key).to.equal(null);
  });
});

describe('<mqtt-chart> zoom', () => {
  let url: string;
  let conn: MqttConnection;
  onMainBroker(
    (u) => (url = u),
    () => conn
  );
  afterEach(() => resetMouse());

  /** A chart with a few points already drawn, after a button (to Tab from). */
  async function mount() {
    const topic = uniqueTopic('zoom');
    conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}>
        <button>before</button>
        <mqtt-chart topic=${topic} window="60" style="width: 600px"></mqtt-chart>
      </mqtt-connection>`
    );
    await subscriptionsAtBroker(topic, 1);
    const el = conn.querySelector('mqtt-chart')!;
    await brokerPublish({ topic, payload: '{i}', count: 3 });
    await waitUntil(() => el.plot?.data[0]?.length === 3 && el.plot.width === 600, 'not drawn');
    await nextFrame();
    return { topic, el };
  }

  it('zooms to the span dragged over, which stays while messages keep arriving; a double-click goes back to live', async function () {
    this.timeout(20_000);
    const { topic, el } = await mount();
    const [x0, y] = onPlot(el, 0.2);
    const [x1] = onPlot(el, 0.7);
    const at = (x: number) => el.plot!.posToVal(x - el.plot!.over.getBoundingClientRect().left, 'x');
    await sendMouse({ type: 'move', position: [x0, y] });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: [Math.round((x0 + x1) / 2), y] });
    await sendMouse({ type: 'move', position: [x1, y] });
    // What the pixels under the pointer meant just before the release (the axis slides meanwhile).
    const expected = [at(x0), at(x1)];
    await sendMouse({ type: 'up' });
    await waitUntil(() => el.zoomed, 'not zoomed');
    expect(el.hasAttribute('zoomed')).to.equal(true);
    await nextFrame();
    const view = xScale(el);
    expect(view[0]).to.be.closeTo(expected[0], 0.5);
    expect(view[1]).to.be.closeTo(expected[1], 0.5);
    expect(view[1] - view[0], 'the span dragged over').to.be.closeTo(expected[1] - expected[0], 0.05);
    expect(el.shadowRoot!.querySelector<HTMLElement>('.u-select')!.offsetWidth, 'the selection is hidden').to.equal(0);
    // Messages keep arriving and are kept; the view does not move.
    await brokerPublish({ topic, payload: '{i}', count: 12, every: 100 });
    await waitUntil(() => el.series[0].points === 15, `points: ${el.series[0].points}`);
    await sleep(300);
    expect(xScale(el)).to.deep.equal(view);
    await waitUntil(() => label(el).includes('zoomed to'), `label: ${label(el)}`, { timeout: 3000 });
    expect(label(el)).to.contain('Escape goes back to live');

    await doubleClick(onPlot(el, 0.5));
    await waitUntil(() => !el.zoomed, 'still zoomed');
    expect(el.hasAttribute('zoomed')).to.equal(false);
    await waitUntil(() => Math.abs(xScale(el)[1] - Date.now() / 1000) < 1.5, `x: ${xScale(el)}`);
    const first = xScale(el)[1];
    await waitUntil(() => xScale(el)[1] > first + 0.5, 'the axis does not slide with the clock', { timeout: 3000 });
    await waitUntil(() => !label(el).includes('zoomed'), `label: ${label(el)}`, { timeout: 3000 });
  });

  it('does nothing on a click, or on a drag of a few pixels', async () => {
    const { el } = await mount();
    const [x, y] = onPlot(el, 0.5);
    await sendMouse({ type: 'click', position: [x, y] });
    await sendMouse({ type: 'move', position: [x, y] });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: [x + 3, y] });
    await sendMouse({ type: 'up' });
    await sleep(200);
    expect(el.zoomed).to.equal(false);
    expect(xScale(el)[1]).to.be.closeTo(Date.now() / 1000, 1.5);
  });

  it('shows the points that arrive within a view set by zoomTo; resetZoom goes back to live', async function () {
    this.timeout(10_000);
    const { topic, el } = await mount();
    const from = Date.now() - 5000;
    const to = Date.now() + 10_000;
    el.zoomTo(from, to);
    await waitUntil(() => xScale(el)[0] === from / 1000, `x: ${xScale(el)}`);
    expect(xScale(el)).to.deep.equal([from / 1000, to / 1000]);
    await brokerPublish({ topic, payload: '42', count: 3, every: 400 });
    await waitUntil(() => el.plot!.data[0].length === 6, 'the new points are not drawn');
    expect(el.plot!.data[1][5]).to.equal(42);
    expect(xScale(el)).to.deep.equal([from / 1000, to / 1000]);
    // Not a span: ignored.
    el.zoomTo(to, from);
    el.zoomTo(NaN, to);
    await sleep(100);
    expect(xScale(el)).to.deep.equal([from / 1000, to / 1000]);
    el.resetZoom();
    await waitUntil(() => !el.hasAttribute('zoomed'), 'still zoomed');
    await waitUntil(() => Math.abs(xScale(el)[1] - Date.now() / 1000) < 1.5, `x: ${xScale(el)}`);
  });

  it('zooms, moves and goes back to live with the keys, from the chart reached with Tab', async function () {
    this.timeout(10_000);
    const { el } = await mount();
    conn.querySelector('button')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement, 'the chart is in the tab order').to.equal(part(el));
    expect(getComputedStyle(part(el)).outlineStyle, 'a focus ring').to.equal('solid');
    const [liveFrom, liveTo] = xScale(el);
    await sendKeys({ press: '+' });
    await waitUntil(() => el.zoomed, 'not zoomed');
    await nextFrame();
    const [from, to] = xScale(el);
    expect(to - from).to.be.closeTo((liveTo - liveFrom) / 2, 0.5);
    expect((from + to) / 2).to.be.closeTo((liveFrom + liveTo) / 2, 1);
    await sleep(300);
    expect(xScale(el), 'the view stays').to.deep.equal([from, to]);
    await waitUntil(() => label(el).includes('zoomed to'), `label: ${label(el)}`, { timeout: 3000 });

    await sendKeys({ press: 'ArrowLeft' });
    await waitUntil(() => xScale(el)[0] < from, 'not moved');
    expect(xScale(el)[0]).to.be.closeTo(from - (to - from) / 4, 0.01);
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => xScale(el)[0] >= from - 0.01, 'not moved back');
    expect(xScale(el)[1] - xScale(el)[0]).to.be.closeTo(to - from, 0.01);

    await sendKeys({ press: '-' });
    await waitUntil(() => !el.zoomed, '- did not go back to live');
    await sendKeys({ press: '=' });
    await waitUntil(() => el.zoomed, 'not zoomed');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !el.zoomed, 'Escape did not go back to live');
    await waitUntil(() => Math.abs(xScale(el)[1] - Date.now() / 1000) < 1.5, `x: ${xScale(el)}`);
  });
});
