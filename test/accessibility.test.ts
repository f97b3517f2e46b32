import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { a11ySnapshot, findAccessibilityNode } from '@web/test-runner-commands';
import '../src/chart.js';
import type { MqttChart } from '../src/chart.js';
import type { MqttConnection, MqttGauge, MqttLog, MqttPublish, MqttSubscribe, MqttValue } from '../src/index.js';
import '../src/tree.js';
import type { MqttTree } from '../src/tree.js';
import { brokerPublish, connected, onMainBroker, subscriptionsAtBroker, uniqueTopic } from './helpers.js';

/** A node of Chromium's accessibility tree, as screen readers are given it. */
interface AxNode {
  role: string;
  name?: string;
  value?: string | number;
  checked?: boolean | 'mixed';
  live?: string;
  selected?: boolean;
  expanded?: boolean;
  level?: number;
  children?: AxNode[];
}

const shown = (el: MqttValue) => el.shadowRoot!.querySelector('[part="value"]')!.textContent;

/** The accessibility tree under `selector`. */
async function tree(selector: string): Promise<AxNode> {
  return (await a11ySnapshot({ selector })) as unknown as AxNode;
}

function find(root: AxNode, test: (node: AxNode) => boolean): AxNode | null {
  return findAccessibilityNode<AxNode>(root as AxNode & { children: AxNode[] }, test);
}

/** All the text of the tree, in order, as a screen reader would read it. */
function texts(node: AxNode): string[] {
  return [
    ...(node.role === 'StaticText' || node.role === 'text' ? [String(node.name)] : []),
    ...(node.children ?? []).flatMap(texts),
  ];
}

describe('accessibility', () => {
  let url: string;
  let conn: MqttConnection;
  onMainBroker(
    (u) => (url = u),
    () => conn
  );

  it('<mqtt-value>: values, units and placeholders are read; the element passes axe', async () => {
    const topic = uniqueTopic('a11y-value');
    conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}>
        <section id="values" aria-label="Values">
          <p>
            Kitchen
            <mqtt-value topic=${`${topic}/t`} unit="°C" digits="1" low="18" high="26" locale="en" announce></mqtt-value>
          </p>
          <p>Power <mqtt-value topic=${`${topic}/p`} unit="W" placeholder="no data yet"></mqtt-value></p>
        </section>
      </mqtt-connection>`
    );
    const [temperature, power] = Array.from(conn.querySelectorAll('mqtt-value'));
    await subscriptionsAtBroker(`${topic}/t`, 1);
    await brokerPublish({ topic: `${topic}/t`, payload: '27.04' });
    await waitUntil(() => shown(temperature) === '27.0' && temperature.getAttribute('level') === 'high');
    await expect(temperature).to.be.accessible();
    await expect(power).to.be.accessible();
    await expect(conn).to.be.accessible();
    const values = await tree('#values');
    const read = texts(values);
    // The visible value and unit are plain text in the tree, where they stand.
    expect(read.slice(0, 3).map((t) => t.trim())).to.deep.equal(['Kitchen', '27.0', '°C']);
    expect(read.slice(-3).map((t) => t.trim())).to.deep.equal(['Power', 'no data yet', 'W']);
    // One live region, polite, holding the announcement; nothing else on the page is live.
    const live: AxNode[] = [];
    find(values, (node) => (node.live ? (live.push(node), false) : false));
    expect(live).to.have.length(1);
    expect(live[0]).to.include({ live: 'polite' });
    expect(texts(live[0])).to.deep.equal(['27.0 °C']);
  });

  it('<mqtt-gauge>: a named meter whose aria values follow messages; the page passes axe', async () => {
    const topic = uniqueTopic('a11y-gauge');
    conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}>
        <section aria-label="Gauges">
          <mqtt-gauge topic=${topic} aria-label="Humidity" unit="%" low="30" high="60" locale="en"></mqtt-gauge>
        </section>
      </mqtt-connection>`
    );
    const gauge = conn.querySelector<MqttGauge>('mqtt-gauge')!;
    await subscriptionsAtBroker(topic, 1);
    await brokerPublish({ topic, payload: '48.5' });
    await waitUntil(() => gauge.getAttribute('aria-valuetext') === '48.5 %');
    await expect(gauge).to.be.accessible();
    await expect(conn).to.be.accessible();
    // Read back by the page, as a screen reader is given them (puppeteer's snapshot drops a meter
    // that has a shadow root, so the attributes are checked where they are set).
    expect(gauge.getAttribute('role')).to.equal('meter');
    expect(gauge.getAttribute('aria-valuenow')).to.equal('48.5');
    expect([gauge.getAttribute('aria-valuemin'), gauge.getAttribute('aria-valuemax')]).to.deep.equal(['0', '100']);
    // The drawing is not read a second time: the meter's value text says it all.
    expect(gauge.shadowRoot!.querySelector('svg')!.getAttribute('aria-hidden')).to.equal('true');
  });

  it('<mqtt-chart> zoomed: a focusable image whose name says the times shown and how to go back; axe passes', async () => {
    const topic = uniqueTopic('a11y-chart');
    conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}>
        <section id="chart" aria-label="Charts">
          <mqtt-chart topic=${topic} unit="°C" locale="en-GB"></mqtt-chart>
        </section>
      </mqtt-connection>`
    );
    const chart = conn.querySelector<MqttChart>('mqtt-chart')!;
    await subscriptionsAtBroker(topic, 1);
    await brokerPublish({ topic, payload: '21.5' });
    await waitUntil(() => chart.series[0]?.points === 1, 'no point');
    // 12:00:00 to 12:00:30 UTC, written in the page's time zone.
    const from = Date.UTC(2026, 0, 15, 12, 0, 0);
    const time = (ms: number) => new Date(ms).toLocaleTimeString('en-GB');
    chart.zoomTo(from, from + 30_000);
    const named = `zoomed to ${time(from)} – ${time(from + 30_000)}`;
    const part = chart.shadowRoot!.querySelector('[part=chart]')!;
    await waitUntil(() => part.getAttribute('aria-label')!.includes(named), 'not named', { timeout: 3000 });
    // As a screen reader is given it.
    const img = find(await tree('#chart'), (n) => n.role === 'image');
    expect(img?.name).to.contain(named).and.contain('21.5 °C').and.contain('Escape goes back to live');
    expect(chart.shadowRoot!.querySelector('[part=chart]')!.getAttribute('tabindex')).to.equal('0');
    await expect(chart).to.be.accessible();
    await expect(conn).to.be.accessible();
  });

  it('<mqtt-publish>: wrapped controls keep their labels, roles and states; the page passes axe', async () => {
    const base = uniqueTopic('a11y-publish');
    const state = `${base}/state`;
    await brokerPublish({
      topic: state,
      payload: '{"lamp":"ON","dimmer":60,"mode":"comfort","note":"hi","setpoint":21.5}',
      retain: true,
    });
    conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}>
        <section id="controls" aria-label="Controls">
          <mqtt-publish
            topic=${`${base}/lamp`}
            state-topic=${state}
            state-path="lamp"
            payload-on="ON"
            payload-off="OFF"
          >
            <label><input type="checkbox" /> Lamp</label>
          </mqtt-publish>
          <label for="a11y-dimmer">Dimmer</label>
          <mqtt-publish topic=${`${base}/dimmer`} state-topic=${state} state-path="dimmer"
            ><input id="a11y-dimmer" type="range" min="0" max="100"
          /></mqtt-publish>
          <mqtt-publish topic=${`${base}/mode`} state-topic=${state} state-path="mode">
            <label
              >Mode
              <select>
                <option>eco</option>
                <option>comfort</option>
              </select></label
            >
          </mqtt-publish>
          <mqtt-publish topic=${`${base}/note`} state-topic=${state} state-path="note"
            ><label>Note <input type="text" /></label
          ></mqtt-publish>
          <mqtt-publish topic=${`${base}/fan`} payload="on"><button>Fan on</button></mqtt-publish>
          <mqtt-publish topic=${`${base}/thermostat`} state-topic=${state}>
            <form aria-label="Thermostat">
              <label>Setpoint <input name="setpoint" type="number" step="0.5" /></label><button>Set</button>
            </form>
          </mqtt-publish>
        </section>
      </mqtt-connection>`
    );
    await connected(conn);
    const publishers = Array.from(conn.querySelectorAll<MqttPublish>('mqtt-publish'));
    await waitUntil(() => conn.querySelector<HTMLInputElement>('#a11y-dimmer')!.value === '60', 'no state shown');
    for (const el of publishers) await expect(el).to.be.accessible();
    await expect(conn).to.be.accessible();
    // display: contents leaves no box and no node in the tree: the label association is untouched.
    for (const el of publishers) expect(getComputedStyle(el).display).to.equal('contents');
    for (const input of Array.from(conn.querySelectorAll<HTMLInputElement>('input, select')))
      expect(input.labels, input.outerHTML).to.have.length(1);
    const controls = await tree('#controls');
    const node = (role: string, name: string) => find(controls, (n) => n.role === role && n.name === name);
    expect(node('checkbox', 'Lamp'), 'checkbox named by its label').to.include({ checked: true });
    expect(node('slider', 'Dimmer'), 'range named by label for=').to.include({ value: 60 });
    expect(find(controls, (n) => n.role === 'combobox' && /^Mode/.test(n.name ?? ''))).to.include({ value: 'comfort' });
    expect(find(controls, (n) => n.role === 'textbox' && /Note/.test(n.name ?? ''))).to.include({ value: 'hi' });
    expect(node('button', 'Fan on')).to.not.equal(null);
    expect(node('form', 'Thermostat')).to.not.equal(null);
    expect(find(controls, (n) => n.role === 'spinbutton' && /Setpoint/.test(n.name ?? ''))).to.include({ value: 21.5 });
    // Clicking the label still toggles the box (and publishes: a command waits for its state).
    const lamp = publishers[0];
    lamp.querySelector('label')!.click();
    expect(lamp.querySelector('input')!.checked).to.be.false;
    expect(lamp.matches(':state(pending)')).to.be.true;
    await brokerPublish({ topic: state, payload: '', retain: true });
  });

  it('<mqtt-subscribe> and <mqtt-log>: bound values reach the tree; the page passes axe', async () => {
    const topic = uniqueTopic('a11y-subscribe');
    conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}>
        <section id="bound" aria-label="Bound">
          <mqtt-subscribe topic=${topic} type="boolean" bind="checked" target="input"
            ><label><input type="checkbox" /> Window open</label></mqtt-subscribe
          >
          <mqtt-log topic=${topic} aria-label="Window messages" style="height: 5rem"></mqtt-log>
        </section>
      </mqtt-connection>`
    );
    await subscriptionsAtBroker(topic, 1);
    await brokerPublish({ topic, payload: 'true' });
    const log = conn.querySelector<MqttLog>('mqtt-log')!;
    await waitUntil(() => conn.querySelector('input')!.checked && log.size === 1, 'value not bound');
    await expect(conn.querySelector<MqttSubscribe>('mqtt-subscribe')!).to.be.accessible();
    await expect(log).to.be.accessible();
    await expect(conn).to.be.accessible();
    const bound = await tree('#bound');
    expect(find(bound, (n) => n.role === 'checkbox' && n.name === 'Window open')).to.include({ checked: true });
    // The log is not live: a busy topic does not talk over the page.
    const live: AxNode[] = [];
    find(bound, (node) => (node.live && node.live !== 'off' ? (live.push(node), false) : false));
    expect(live).to.have.length(0);
    expect(texts(bound)).to.include('true');
  });

  it('<mqtt-tree>: a named tree whose rows are read as name, value, count and time, with their states', async () => {
    const topic = uniqueTopic('a11y-tree');
    conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}>
        <section id="topics"><mqtt-tree topic="${topic}/#" label="Kitchen topics" locale="en"></mqtt-tree></section>
      </mqtt-connection>`
    );
    await subscriptionsAtBroker(`${topic}/#`, 1);
    const el = conn.querySelector<MqttTree>('mqtt-tree')!;
    await brokerPublish({ topic: `${topic}/lamp`, payload: 'on', retain: true });
    await brokerPublish({ topic: `${topic}/lamp`, payload: 'off' });
    el.selected = `${topic}/lamp`;
    await waitUntil(() => el.shadowRoot!.querySelector('[aria-selected="true"]'), 'not selected');
    await expect(el).to.be.accessible();
    const topics = await tree('#topics');
    const treeNode = find(topics, (n) => n.role === 'tree');
    expect(treeNode).to.include({ name: 'Kitchen topics' });
    const lamp = find(topics, (n) => n.role === 'treeitem' && String(n.name).startsWith('lamp'));
    // Chromium puts a space between the row's parts, before the commas too.
    expect(lamp).to.include({ name: 'lamp , off , 2 messages, now', selected: true, level: 4 });
    const parent = find(topics, (n) => n.role === 'treeitem' && String(n.name).startsWith('a11y-tree'));
    expect(parent).to.include({ name: 'a11y-tree , 1 topic , 2 messages, now', expanded: true });
  });
});
