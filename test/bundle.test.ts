import { expect, waitUntil } from '@open-wc/testing';
import { brokerPublish, fixtureShowsValue, loadFixture, subscriptionsAtBroker, uniqueTopic } from './helpers.js';

// dist/mqtt-elements.min.js is built by `npm test` before the browser tests run.
describe('dist/mqtt-elements.min.js (the CDN bundle)', () => {
  it('runs a plain HTML page with one <script type="module"> and nothing else', async () => {
    const { frame, doc } = await loadFixture('bundle.html');
    const value = await fixtureShowsValue(doc, 'bundle');
    expect(value.shadowRoot!.querySelector('[part=unit]')!.textContent).to.equal('°C');
    frame.remove();
  });
});

// dist/mqtt-elements-chart.min.js takes lit and the kit from dist/mqtt-elements.min.js next to it.
describe('dist/mqtt-elements-chart.min.js (the CDN chart add-on)', () => {
  it('draws a chart on a page that loads both files, with one copy of lit and of the kit', async () => {
    const { frame, doc, win } = await loadFixture('chart-bundle.html');
    await waitUntil(() => win.customElements.get('mqtt-chart'), 'the add-on defined no mqtt-chart', { timeout: 5000 });
    // Both elements extend the same MqttSubscriberElement: the add-on brought no second kit or lit.
    expect(Object.getPrototypeOf(win.customElements.get('mqtt-chart')!)).to.equal(
      Object.getPrototypeOf(win.customElements.get('mqtt-value')!)
    );
    const scripts = win.performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname)
      .filter((path) => path.startsWith('/dist/'));
    expect(scripts.sort()).to.deep.equal(['/dist/mqtt-elements-chart.min.js', '/dist/mqtt-elements.min.js']);
    const chart = doc.querySelector('mqtt-chart') as HTMLElement & {
      topic: string;
      series: { points: number }[];
      plot?: { width: number };
    };
    const topic = uniqueTopic('chart-bundle');
    chart.topic = topic;
    await fixtureShowsValue(doc, 'chart-bundle');
    const conn = doc.querySelector('mqtt-connection') as HTMLElement & { connect(): void; disconnect(): Promise<void> };
    conn.connect();
    await subscriptionsAtBroker(topic, 1);
    await brokerPublish({ topic, payload: '{"celsius":19.96}' });
    await waitUntil(() => chart.series[0]?.points === 1 && chart.plot?.width === 400, 'nothing drawn');
    await conn.disconnect();
    frame.remove();
  });

  it('explains a chart on a page that did not load the add-on', async () => {
    const { frame, doc } = await loadFixture('chart-missing.html');
    const chart = doc.querySelector('mqtt-chart')!;
    await waitUntil(() => chart.hasAttribute('error'), 'no error on the undefined chart', { timeout: 5000 });
    expect(chart.getAttribute('error')).to.contain('mqtt-elements-chart.min.js');
    frame.remove();
  });
});

// dist/mqtt-elements-discovery.min.js, like the chart add-on, takes lit and the kit from the bundle.
describe('dist/mqtt-elements-discovery.min.js (the CDN discovery add-on)', () => {
  it('builds a card from a discovery config on a page that loads both files', async () => {
    const { frame, doc, win } = await loadFixture('discovery-bundle.html');
    await waitUntil(() => win.customElements.get('mqtt-discovery'), 'the add-on defined no mqtt-discovery', {
      timeout: 5000,
    });
    const scripts = win.performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);
    expect(scripts.filter((path) => path.startsWith('/dist/')).sort()).to.deep.equal([
      '/dist/mqtt-elements-discovery.min.js',
      '/dist/mqtt-elements.min.js',
    ]);
    const discovery = doc.querySelector('mqtt-discovery') as HTMLElement & { prefix: string };
    const prefix = uniqueTopic('discovery-bundle');
    discovery.prefix = prefix;
    await brokerPublish({
      topic: `${prefix}/sensor/probe/config`,
      payload: JSON.stringify({ name: 'Probe', stat_t: `${prefix}/probe`, dev: { ids: 'p1', name: 'Probe box' } }),
      retain: true,
    });
    await fixtureShowsValue(doc, 'discovery-bundle');
    const conn = doc.querySelector('mqtt-connection') as HTMLElement & { connect(): void; disconnect(): Promise<void> };
    conn.connect();
    await subscriptionsAtBroker(prefix, 2);
    await brokerPublish({ topic: `${prefix}/probe`, payload: '7' });
    const value = () =>
      discovery.shadowRoot?.querySelector('mqtt-value')?.shadowRoot?.querySelector('[part=value]')?.textContent;
    await waitUntil(() => value() === '7', `shows ${value()}`);
    expect(discovery.shadowRoot!.querySelector('[part=device-name]')!.textContent).to.equal('Probe box');
    await conn.disconnect();
    frame.remove();
  });
});
