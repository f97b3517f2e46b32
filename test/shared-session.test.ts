import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { MqttConnection, type MqttCredentialsRequest, type MqttErrorEvent } from '../src/index.js';
import {
  brokerClients,
  brokerStats,
  brokerSubscriptions,
  brokerUrl,
  captureWarnings,
  connected,
  recordedPublishes,
  recordPublishes,
  sleep,
  stopBroker,
  uniqueTopic,
} from './helpers.js';
import { Tab, workerStats, WORKER } from './tabs.js';

// `<mqtt-connection shared>` in this page (the kit from src/, the worker built in dist/, the one
// the bundle's tabs use too): several connections of one page are tabs to the worker as well.

MqttConnection.sharedWorkerUrl = WORKER;

function sharedConnection(url: string, setup: (el: MqttConnection) => void = () => {}): MqttConnection {
  const el = document.createElement('mqtt-connection');
  el.url = url;
  el.shared = true;
  setup(el);
  document.body.append(el);
  return el;
}

const token = () => executeServerCommand<{ token: string }, { lifetime: number }>('token-issue', { lifetime: 60000 });

describe('<mqtt-connection shared> in one page', function () {
  this.timeout(20000);
  const made: MqttConnection[] = [];
  const make = (url: string, setup?: (el: MqttConnection) => void) => {
    const el = sharedConnection(url, setup);
    made.push(el);
    return el;
  };

  afterEach(async () => {
    for (const el of made.splice(0)) el.remove();
    await Tab.closeAll();
    await waitUntil(async () => (await workerStats()).sessions === 0, 'the worker let go of every session');
    await brokerUrl('tabs');
    await waitUntil(async () => (await brokerClients('tabs')).length === 0, 'no client left at the broker');
  });

  it('asks the credentials function in one of the tabs, once per attempt, for all of them', async () => {
    const url = await brokerUrl('tokens');
    const requests: MqttCredentialsRequest[] = [];
    const credentials = async (request: MqttCredentialsRequest) => {
      requests.push(request);
      return { username: 'browser', password: (await token()).token };
    };
    const first = make(url, (el) => {
      el.credentials = credentials;
      el.reconnectPeriod = 100;
    });
    const second = make(url, (el) => {
      el.credentials = credentials;
      el.reconnectPeriod = 100;
    });
    await connected(first);
    await connected(second);
    expect(first.client, 'the client lives in the worker').to.equal(undefined);
    expect(requests).to.deep.equal([{ url, attempt: 1, reason: 'connect' }]);
    await stopBroker('tokens');
    await brokerUrl('tokens');
    await waitUntil(() => requests.length === 2 && first.status === 'connected' && second.status === 'connected');
    expect(requests[1]!.reason).to.equal('reconnect');
  });

  it('has the worker fetch credentials-url', async () => {
    const el = make(await brokerUrl('tokens'), (el) => (el.credentialsUrl = '/__credentials/token'));
    await connected(el);
    const { fetchedBy } = await executeServerCommand<{ fetchedBy: string }, undefined>('token-stats');
    expect(new URL(fetchedBy).pathname).to.equal(WORKER);
  });

  it('gives every tab the error and its hint', async () => {
    const url = await brokerUrl('auth');
    const setup = (el: MqttConnection) => {
      el.username = 'alice';
      el.password = 'wrong';
      el.reconnectPeriod = 0;
    };
    const errors = [oneEvent(document.body, 'mqtt-error')];
    const first = make(url, setup);
    const firstError: MqttErrorEvent = await errors[0]!;
    expect(firstError.detail.hint).to.contain('password');
    const second = document.createElement('mqtt-connection');
    setup(second);
    second.url = url;
    second.shared = true;
    const secondError = oneEvent(second, 'mqtt-error');
    document.body.append(second);
    made.push(second);
    expect(((await secondError) as MqttErrorEvent).detail.hint).to.contain('password');
    expect(first.error).to.contain('password');
    await waitUntil(() => second.error?.includes('password'));
  });

  it('never sends a publish withdrawn while the broker was away, and sends the one that was not', async () => {
    const name = 'withdraw';
    const url = await brokerUrl(name);
    const topic = uniqueTopic('lock');
    const el = make(url, (el) => (el.reconnectPeriod = 200));
    await connected(el);
    await recordPublishes(topic, name);
    await stopBroker(name);
    await waitUntil(() => el.status !== 'connected');
    const withdrawn = el.publish(topic, 'open', { qos: 1, signal: AbortSignal.timeout(200) });
    const kept = el.publish(topic, 'close', { qos: 1 });
    const error = await withdrawn.then(
      () => undefined,
      (e: unknown) => e
    );
    expect((error as Error).name).to.equal('TimeoutError');
    await brokerUrl(name);
    await kept;
    await sleep(200);
    expect(await recordedPublishes(topic, name)).to.deep.equal(['close']);
  });

  it('publishes what was published before it opened, through the shared connection', async () => {
    const url = await brokerUrl('tabs');
    const topic = uniqueTopic('early');
    await recordPublishes(topic, 'tabs');
    const el = make(url);
    // Before the element's first update: its own (unopened) connection queues it.
    const published = el.publish(topic, 'early', { qos: 1 });
    await published;
    expect(el.client, 'sent by the worker').to.equal(undefined);
    await waitUntil(async () => (await recordedPublishes(topic, 'tabs')).length === 1);
    expect(await recordedPublishes(topic, 'tabs')).to.deep.equal(['early']);
  });

  it('connects again on connect() after the shared connection gave up', async () => {
    const name = 'again';
    const url = await brokerUrl(name);
    await stopBroker(name);
    const el = make(url, (el) => (el.reconnectPeriod = 0));
    await waitUntil(() => !!el.error && el.status === 'disconnected', 'gave up');
    await brokerUrl(name);
    el.connect();
    await connected(el);
  });

  it('shares subscriptions across tabs: one per filter at the broker, gone with its last holder', async () => {
    const url = await brokerUrl('tabs');
    const topic = uniqueTopic('shared');
    const el = make(url);
    await connected(el);
    const off = el.subscribe(topic, () => {});
    const tab = await Tab.open({ url, topics: topic });
    await tab.until("window.tab.status() === 'connected'");
    await waitUntil(async () => (await brokerSubscriptions(topic, 'tabs')).length === 1);
    expect(await brokerClients('tabs')).to.have.length(1);
    off();
    await sleep(100);
    expect(await brokerSubscriptions(topic, 'tabs'), 'the tab still holds it').to.have.length(1);
    await tab.eval(`window.tab.unwatch(${JSON.stringify(topic)})`);
    await waitUntil(async () => (await brokerSubscriptions(topic, 'tabs')).length === 0, 'unsubscribed at the broker');
    const stats = await workerStats();
    expect(stats.listeners).to.equal(0);
  });

  it('without `shared`, keeps a connection of its own, as before', async () => {
    const el = document.createElement('mqtt-connection');
    el.url = await brokerUrl();
    document.body.append(el);
    made.push(el);
    await connected(el);
    expect(el.client, 'an MQTT.js client in the page').not.to.equal(undefined);
    expect((await workerStats()).sessions).to.equal(0);
  });

  it('falls back to a connection of its own when `options` cannot go to a worker, and says why once', async () => {
    const captured = captureWarnings();
    try {
      const url = await brokerUrl();
      const setup = (el: MqttConnection) => (el.options = { transformWsUrl: (u: string) => u });
      const first = make(url, setup);
      const second = make(url, setup);
      await connected(first);
      await connected(second);
      expect(first.client).not.to.equal(undefined);
      const said = captured.warnings.filter((w) => w.includes('<mqtt-connection shared>'));
      expect(said).to.have.length(1);
      expect(said[0]).to.contain('options');
    } finally {
      captured.restore();
    }
  });

  // After the test of the console's one warning (the page is told once).
  it('when the worker fails to load, uses a connection of its own, and publishes what waited for the worker', async () => {
    const url = await brokerUrl('tabs');
    const topic = uniqueTopic('missing');
    await recordPublishes(topic, 'tabs');
    MqttConnection.sharedWorkerUrl = '/test/fixtures/no-such-worker.js';
    try {
      const el = make(url);
      const published = el.publish(topic, 'kept', { qos: 1 });
      await connected(el);
      expect(el.client, 'a connection of its own').not.to.equal(undefined);
      await published;
      expect(await recordedPublishes(topic, 'tabs')).to.deep.equal(['kept']);
    } finally {
      MqttConnection.sharedWorkerUrl = WORKER;
    }
  });

  it('moves its elements between its own connection and the shared one when `shared` changes', async () => {
    const url = await brokerUrl('tabs');
    const topic = uniqueTopic('toggle');
    const el = document.createElement('mqtt-connection');
    el.url = url;
    const value = document.createElement('mqtt-value');
    value.topic = topic;
    value.type = 'text';
    el.append(value);
    document.body.append(el);
    made.push(el);
    await connected(el);
    const before = (await brokerStats('tabs')).connects;
    el.shared = true;
    await waitUntil(async () => (await brokerStats('tabs')).connects === before + 1 && el.status === 'connected');
    expect(el.client).to.equal(undefined);
    await waitUntil(async () => (await brokerSubscriptions(topic, 'tabs')).length === 1);
    await executeServerCommand('broker-publish', { name: 'tabs', topic, payload: 'via the worker' });
    await waitUntil(() => value.value === 'via the worker');
    await waitUntil(async () => (await brokerClients('tabs')).length === 1, 'the own connection closed');
  });
});
