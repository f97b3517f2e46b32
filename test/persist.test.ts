import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { MqttChart } from '../src/chart.js';
import type { MqttConnection, MqttGauge, MqttPublish, MqttSubscribe, MqttValue } from '../src/index.js';
import '../src/chart.js';
import {
  brokerPublish,
  brokerUrl,
  captureWarnings,
  connected,
  sleep,
  stopBroker,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

// `<mqtt-connection persist>` against a real broker (`persist`, stopped and started on one port),
// with the browser's real IndexedDB. A "next page load" is a new connection element with the same
// url: it has nothing but what storage holds (the demo test reloads a real page).

interface Stored {
  url: string;
  topic: string;
  messages: { payload: Uint8Array; receivedAt: number }[];
  bytes: number;
}

/** Everything the origin remembers, read from IndexedDB directly. */
function stored(): Promise<Stored[]> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('mqtt-elements');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('topics')) return (db.close(), resolve([]));
      const all = db.transaction('topics').objectStore('topics').getAll();
      all.onsuccess = () => {
        db.close();
        resolve(all.result as Stored[]);
      };
      all.onerror = () => reject(all.error);
    };
  });
}

async function storedUnder(prefix: string): Promise<Stored[]> {
  return (await stored()).filter((record) => record.topic.startsWith(prefix));
}

const text = (el: Element) => el.shadowRoot?.querySelector('[part="value"]')?.textContent;
const payloadText = (record: Stored) => new TextDecoder().decode(record.messages[record.messages.length - 1].payload);

describe('<mqtt-connection persist>', () => {
  let url: string;
  before(async () => {
    url = await brokerUrl('persist');
  });
  afterEach(async () => {
    await brokerUrl('persist');
  });

  function dashboard(prefix: string, attributes = { persist: true }) {
    return fixture<MqttConnection>(html`
      <mqtt-connection url=${url} ?persist=${attributes.persist} reconnect-period="100" reconnect-max-period="300">
        <mqtt-value topic=${`${prefix}/temperature`} digits="1" unit="°C"></mqtt-value>
        <mqtt-gauge topic=${`${prefix}/power`} max="3000" aria-label="Power"></mqtt-gauge>
        <mqtt-subscribe topic=${`${prefix}/mode`}><span></span></mqtt-subscribe>
        <mqtt-publish topic=${`${prefix}/lamp/set`} state-topic=${`${prefix}/lamp`}>
          <input type="checkbox" aria-label="Lamp" />
        </mqtt-publish>
      </mqtt-connection>
    `);
  }

  async function showLiveValues(prefix: string): Promise<MqttConnection> {
    const conn = await dashboard(prefix);
    await subscriptionsAtBroker(prefix, 4, 'persist');
    await brokerPublish({ name: 'persist', topic: `${prefix}/temperature`, payload: '20' });
    await brokerPublish({ name: 'persist', topic: `${prefix}/temperature`, payload: '21.46' });
    await brokerPublish({ name: 'persist', topic: `${prefix}/power`, payload: '1250' });
    await brokerPublish({ name: 'persist', topic: `${prefix}/mode`, payload: 'eco' });
    await brokerPublish({ name: 'persist', topic: `${prefix}/lamp`, payload: 'true' });
    const value = conn.querySelector<MqttValue>('mqtt-value')!;
    await waitUntil(
      () => text(value) === '21.5' && conn.querySelector<MqttSubscribe>('mqtt-subscribe')!.value === 'eco'
    );
    await waitUntil(() => conn.querySelector('input')!.checked, 'the lamp state never came');
    return conn;
  }

  it('shows remembered values as stale on the next load with the broker down, then live ones', async () => {
    const prefix = uniqueTopic('home');
    const first = await showLiveValues(prefix);
    // Written within about a second, one record per topic shown (the lamp's state is not remembered).
    await waitUntil(async () => (await storedUnder(prefix)).length === 3, 'not stored', { timeout: 3000 });
    const records = await storedUnder(prefix);
    expect(records.map((record) => record.url)).to.deep.equal([url, url, url]);
    expect(records.find((record) => record.topic.endsWith('temperature'))!.messages).to.have.length(1);
    first.remove();
    await sleep(50);

    await stopBroker('persist');
    const conn = await dashboard(prefix);
    const value = conn.querySelector<MqttValue>('mqtt-value')!;
    const gauge = conn.querySelector<MqttGauge>('mqtt-gauge')!;
    const subscribe = conn.querySelector<MqttSubscribe>('mqtt-subscribe')!;
    await waitUntil(() => text(value) === '21.5', `shows ${text(value)}`);
    expect(conn.status).to.not.equal('connected');
    expect(value.stale).to.be.true;
    expect(value.message!.remembered).to.be.true;
    expect(gauge.getAttribute('aria-valuenow')).to.equal('1250');
    expect(gauge.stale).to.be.true;
    expect(subscribe.value).to.equal('eco');
    expect(subscribe.hasAttribute('stale')).to.be.true;
    // A control shows what the device confirmed: no remembered state.
    expect(conn.querySelector('input')!.checked).to.be.false;
    await expect(conn).to.be.accessible();

    await brokerUrl('persist');
    await connected(conn, 10000);
    await subscriptionsAtBroker(prefix, 4, 'persist');
    // Connected, but nothing live yet: still the remembered, stale values.
    expect(value.stale).to.be.true;
    await brokerPublish({ name: 'persist', topic: `${prefix}/temperature`, payload: '23' });
    await brokerPublish({ name: 'persist', topic: `${prefix}/power`, payload: '900' });
    await waitUntil(() => text(value) === '23.0' && !value.stale, `shows ${text(value)}, stale ${value.stale}`);
    await waitUntil(() => gauge.getAttribute('aria-valuenow') === '900' && !gauge.stale);
    expect(value.message!.remembered).to.be.undefined;
    expect(subscribe.hasAttribute('stale')).to.be.true;
    await brokerPublish({ name: 'persist', topic: `${prefix}/mode`, payload: 'away' });
    await waitUntil(() => subscribe.value === 'away' && !subscribe.hasAttribute('stale'));
  });

  it('remembers nothing without persist', async () => {
    const prefix = uniqueTopic('plain');
    const conn = await dashboard(prefix, { persist: false });
    await subscriptionsAtBroker(prefix, 4, 'persist');
    await brokerPublish({ name: 'persist', topic: `${prefix}/temperature`, payload: '20' });
    await waitUntil(() => text(conn.querySelector('mqtt-value')!) === '20.0');
    await sleep(1500);
    expect(await storedUnder(prefix)).to.deep.equal([]);
  });

  it("draws a chart's remembered history at load, with a break before the live points", async () => {
    const topic = uniqueTopic('chart');
    const chart = () => html`<mqtt-chart topic=${topic} window="600"></mqtt-chart>`;
    const first = await fixture<MqttConnection>(html`<mqtt-connection url=${url} persist>${chart()}</mqtt-connection>`);
    await subscriptionsAtBroker(topic, 1, 'persist');
    await brokerPublish({ name: 'persist', topic, payload: '{i}', count: 5, every: 20 });
    await waitUntil(() => first.querySelector<MqttChart>('mqtt-chart')!.series[0]?.points === 5);
    await waitUntil(async () => (await storedUnder(topic))[0]?.messages.length === 5, 'not stored', { timeout: 3000 });
    first.remove();
    await sleep(50);

    const conn = await fixture<MqttConnection>(html`<mqtt-connection url=${url} persist>${chart()}</mqtt-connection>`);
    const el = conn.querySelector<MqttChart>('mqtt-chart')!;
    await waitUntil(() => el.series[0]?.points === 5, 'history not drawn');
    expect(el.series[0].latest).to.equal(4);
    expect(el.hasAttribute('stale')).to.be.true;
    await waitUntil(() => (el.plot?.data[1] as unknown[] | undefined)?.length === 5, 'not plotted');

    await subscriptionsAtBroker(topic, 1, 'persist');
    await brokerPublish({ name: 'persist', topic, payload: '9' });
    await waitUntil(() => el.series[0].points === 6 && !el.hasAttribute('stale'));
    // The remembered line stops before the live point: a null between them in the plotted column.
    await waitUntil(() => (el.plot!.data[1] as unknown[]).includes(null), 'no break before the live point');
    const column = el.plot!.data[1] as (number | null)[];
    expect(column.indexOf(null)).to.equal(5);
    expect(column[column.length - 1]).to.equal(9);
  });

  it('forget() clears what is remembered: the next load shows placeholders', async () => {
    const prefix = uniqueTopic('forget');
    const first = await showLiveValues(prefix);
    await waitUntil(async () => (await storedUnder(prefix)).length === 3, 'not stored', { timeout: 3000 });
    await first.forget();
    expect(await storedUnder(prefix)).to.deep.equal([]);
    first.remove();
    await sleep(50);

    await stopBroker('persist');
    const conn = await dashboard(prefix);
    const value = conn.querySelector<MqttValue>('mqtt-value')!;
    await sleep(300);
    expect(text(value)).to.equal(value.placeholder);
    expect(value.stale).to.be.false;
  });

  it('keeps at most 1000 topics and about 1 MB, the least recently written dropped first', async () => {
    const prefix = uniqueTopic('many');
    const conn = await fixture<MqttConnection>(html`
      <mqtt-connection url=${url} persist><mqtt-subscribe topic=${`${prefix}/#`}></mqtt-subscribe></mqtt-connection>
    `);
    await subscriptionsAtBroker(prefix, 1, 'persist');
    await brokerPublish({ name: 'persist', topic: `${prefix}/a/{i}`, payload: 'v{i}', count: 600 });
    await waitUntil(async () => (await storedUnder(`${prefix}/a/`)).length === 600, 'not stored', { timeout: 5000 });
    await brokerPublish({ name: 'persist', topic: `${prefix}/b/{i}`, payload: 'w{i}', count: 600 });
    await waitUntil(async () => (await storedUnder(`${prefix}/b/`)).length === 600, 'not stored', { timeout: 5000 });
    const all = await stored();
    expect(all.length).to.equal(1000);
    // The 200 least recently written are gone: every one of the second batch and 400 of the first stay.
    expect((await storedUnder(`${prefix}/a/`)).length).to.equal(400);

    // 20 topics of 60 KB each: about 1 MB holds 16 of them; the first written go.
    const big = 'x'.repeat(60000);
    await brokerPublish({ name: 'persist', topic: `${prefix}/big/{i}`, payload: `{i}${big}`, count: 20, every: 60 });
    await waitUntil(async () => (await storedUnder(`${prefix}/big/19`)).length === 1, 'the last big topic not stored', {
      timeout: 8000,
    });
    const after = await stored();
    const bytes = after.reduce((sum, record) => sum + record.bytes, 0);
    expect(bytes).to.be.at.most(1 << 20);
    const kept = after.filter((record) => record.topic.startsWith(`${prefix}/big/`)).map(payloadText);
    expect(kept.length).to.be.within(14, 17);
    expect(kept.map((payload) => Number.parseInt(payload))).to.include(19);
    expect(kept.map((payload) => Number.parseInt(payload))).to.not.include(0);
    await conn.forget();
  });

  it('reports a storage failure once, and works on without it', async () => {
    // A newer version of the database (another tab with a newer kit) makes opening version 1 fail.
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('mqtt-elements', 2);
      open.onsuccess = () => (open.result.close(), resolve());
      open.onerror = () => reject(open.error);
    });
    const { warnings, restore } = captureWarnings();
    try {
      const prefix = uniqueTopic('broken');
      const errors: string[] = [];
      // (The connection's own errors only: its elements' bubble up to it too.)
      const conn = await fixture<MqttConnection>(html`
        <mqtt-connection
          url=${url}
          persist
          @mqtt-error=${(e: CustomEvent) => e.target === e.currentTarget && errors.push(e.detail.hint)}
        >
          <mqtt-value topic=${`${prefix}/a`}></mqtt-value><mqtt-value topic=${`${prefix}/b`}></mqtt-value>
        </mqtt-connection>
      `);
      await connected(conn);
      await subscriptionsAtBroker(prefix, 2, 'persist');
      await brokerPublish({ name: 'persist', topic: `${prefix}/a`, payload: '1' });
      await brokerPublish({ name: 'persist', topic: `${prefix}/b`, payload: '2' });
      const [a, b] = conn.querySelectorAll<MqttValue>('mqtt-value');
      await waitUntil(() => text(a) === '1' && text(b) === '2');
      await sleep(1500);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.match(/works on without them/);
      expect(warnings.filter((warning) => /storage/.test(warning))).to.have.length(1);
    } finally {
      restore();
      await new Promise((resolve) => (indexedDB.deleteDatabase('mqtt-elements').onsuccess = resolve));
    }
  });

  it('gives remembered values to elements added later, and live ones win', async () => {
    const prefix = uniqueTopic('later');
    const first = await showLiveValues(prefix);
    await waitUntil(async () => (await storedUnder(prefix)).length === 3, 'not stored', { timeout: 3000 });
    first.remove();
    await sleep(50);
    const conn = await dashboard(prefix);
    await connected(conn);
    await subscriptionsAtBroker(prefix, 4, 'persist');
    await brokerPublish({ name: 'persist', topic: `${prefix}/power`, payload: '10' });
    const gauge = conn.querySelector<MqttGauge>('mqtt-gauge')!;
    await waitUntil(() => gauge.getAttribute('aria-valuenow') === '10' && !gauge.stale);
    // Added now: the temperature only from memory (stale), the power as it came live (not stale).
    const late = document.createElement('mqtt-value');
    late.topic = `${prefix}/temperature`;
    const lateGauge = document.createElement('mqtt-gauge');
    lateGauge.topic = `${prefix}/power`;
    conn.append(late, lateGauge);
    await waitUntil(() => text(late) === '21.46' && late.stale);
    await waitUntil(() => lateGauge.getAttribute('aria-valuenow') === '10');
    expect(lateGauge.stale).to.be.false;
    const publish = conn.querySelector<MqttPublish>('mqtt-publish')!;
    expect(publish.querySelector('input')!.checked).to.be.false;
  });
});
