import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { MqttConnection, MqttErrorEvent, type MqttMessage } from '../src/index.js';
import {
  brokerPublish,
  brokerUrl,
  connected,
  mosquittoUrl,
  sleep,
  stopBroker,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

describe('<mqtt-connection>', () => {
  let url: string;
  before(async () => {
    url = await brokerUrl();
  });

  it('connects, reflects its status and fires mqtt-status and mqtt-connect', async () => {
    const el = document.createElement('mqtt-connection');
    const statuses: string[] = [];
    el.addEventListener('mqtt-status', (e) => statuses.push(`${e.detail.previous}->${e.detail.status}`));
    const connect = oneEvent(el, 'mqtt-connect');
    el.url = url;
    document.body.append(el);
    const event = await connect;
    expect(event.detail.connack).to.have.property('returnCode', 0);
    expect(event.bubbles && event.composed).to.be.true;
    expect(el.status).to.equal('connected');
    expect(el.getAttribute('status')).to.equal('connected');
    expect(statuses).to.deep.equal(['disconnected->connecting', 'connecting->connected']);
    const gone = oneEvent(el, 'mqtt-status');
    const closed = oneEvent(el, 'mqtt-disconnect');
    await el.disconnect();
    expect((await gone).detail.status).to.equal('disconnected');
    expect((await closed).detail).to.deep.equal({});
    expect(el.client, 'the client is dropped once ended').to.equal(undefined);
    expect(el.getAttribute('status')).to.equal('disconnected');
    el.remove();
  });

  it('stays disconnected without a url', async () => {
    const el = await fixture<MqttConnection>(html`<mqtt-connection></mqtt-connection>`);
    await sleep(50);
    expect(el.status).to.equal('disconnected');
    expect(el.client).to.equal(undefined);
  });

  it('passes its attributes to the MQTT.js client', async () => {
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection
        url=${url}
        client-id="kit-test-1"
        username="ann"
        password="secret"
        keepalive="15"
        clean="false"
        connect-timeout="4000"
        will-topic="wills/kit-test-1"
        will-payload="gone"
        will-qos="1"
        will-retain
      ></mqtt-connection>`
    );
    await connected(el);
    const options = el.client!.options;
    expect(options.clientId).to.equal('kit-test-1');
    expect(options.username).to.equal('ann');
    expect(String(options.password)).to.equal('secret');
    expect(options.keepalive).to.equal(15);
    expect(options.clean).to.equal(false);
    expect(options.connectTimeout).to.equal(4000);
    expect(options.will).to.deep.include({ topic: 'wills/kit-test-1', qos: 1, retain: true });
    expect(String(options.will!.payload)).to.equal('gone');
    expect(await executeServerCommand<string[], { name: string }>('broker-clients', { name: 'main' })).to.include(
      'kit-test-1'
    );
    await el.disconnect();
  });

  it('makes a random client id', async () => {
    const [a, b] = [new MqttConnection(), new MqttConnection()];
    expect(a.clientId).to.match(/^mqtt-elements_[0-9a-f]{8}$/);
    expect(a.clientId).not.to.equal(b.clientId);
  });

  it('waits for connect() when manual', async () => {
    const el = await fixture<MqttConnection>(html`<mqtt-connection manual url=${url}></mqtt-connection>`);
    await sleep(100);
    expect(el.status).to.equal('disconnected');
    el.connect();
    await connected(el);
    await el.disconnect();
  });

  it('publishes and subscribes through its methods', async () => {
    const el = await fixture<MqttConnection>(html`<mqtt-connection url=${url}></mqtt-connection>`);
    const topic = uniqueTopic('methods');
    const got: MqttMessage[] = [];
    const off = el.subscribe(topic, (m) => got.push(m), { qos: 1, type: 'json' });
    await subscriptionsAtBroker(topic, 1);
    await el.publish(topic, '{"n":1}', { qos: 1 });
    await waitUntil(() => got.length === 1);
    expect(got[0]).to.deep.include({ topic, value: { n: 1 }, qos: 1, retain: false });
    off();
    await subscriptionsAtBroker(topic, 0);
    await el.disconnect();
  });

  it('explains a url a browser cannot use, and keeps working', async () => {
    const el = document.createElement('mqtt-connection');
    const error = oneEvent(el, 'mqtt-error');
    el.url = 'mqtt://broker.example:1883';
    document.body.append(el);
    const event: MqttErrorEvent = await error;
    expect(event.detail.hint).to.contain('ws://');
    expect(el.status).to.equal('disconnected');
    expect(el.getAttribute('error')).to.contain('ws://');
    el.url = url;
    await connected(el);
    expect(el.hasAttribute('error'), 'cleared on connect').to.be.false;
    await el.disconnect();
    el.remove();
  });

  it('explains a refused connection in words, and never shows the password', async () => {
    const authUrl = await brokerUrl('auth');
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      warnings.push(args.join(' '));
      warn.apply(console, args);
    };
    after(() => {
      console.warn = warn;
    });
    const el = document.createElement('mqtt-connection');
    el.url = authUrl;
    el.username = 'mallory';
    el.password = 'wrong';
    const error = oneEvent(el, 'mqtt-error');
    document.body.append(el);
    const event: MqttErrorEvent = await error;
    expect(event.detail.code).to.equal(4);
    expect(event.detail.error.message).to.contain('bad user name or password');
    expect(event.detail.hint).to.contain('username and password');
    expect(event).to.be.instanceOf(MqttErrorEvent);
    for (const text of [event.detail.error.message, event.detail.hint, el.getAttribute('error') ?? '', ...warnings]) {
      expect(text, 'the password leaked').not.to.contain('wrong');
    }
    expect(el.hasAttribute('password')).to.be.false;
    await waitUntil(() => el.status === 'disconnected');
    el.username = 'alice';
    el.password = 'secret';
    await connected(el);
    await el.disconnect();
    el.remove();
  });

  it('keeps a password in the url out of its messages', async () => {
    const el = document.createElement('mqtt-connection');
    el.url = 'ws://alice:s3cret@127.0.0.1:9/';
    el.reconnectPeriod = 0;
    const error = oneEvent(el, 'mqtt-error');
    document.body.append(el);
    const event: MqttErrorEvent = await error;
    expect(event.detail.error.message).to.contain('ws://***@127.0.0.1:9/');
    expect(`${event.detail.error.message} ${event.detail.hint} ${el.getAttribute('error')}`).not.to.contain('s3cret');
    el.remove();
  });

  it('explains a broker it cannot reach', async () => {
    const el = document.createElement('mqtt-connection');
    el.url = 'ws://127.0.0.1:9/';
    el.reconnectPeriod = 0;
    const error = oneEvent(el, 'mqtt-error');
    document.body.append(el);
    const event: MqttErrorEvent = await error;
    expect(event.detail.hint).to.contain('/mqtt');
    await waitUntil(() => el.status === 'disconnected');
    el.remove();
  });

  it('moves its subscriptions to a new url', async () => {
    const second = await brokerUrl('second');
    const topic = uniqueTopic('url-change');
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}>
        <mqtt-value topic=${topic}></mqtt-value>
      </mqtt-connection>`
    );
    await subscriptionsAtBroker(topic, 1, 'main');
    el.url = second;
    await subscriptionsAtBroker(topic, 1, 'second');
    await subscriptionsAtBroker(topic, 0, 'main');
    await brokerPublish({ name: 'second', topic, payload: '42' });
    const value = el.querySelector('mqtt-value')!;
    await waitUntil(() => value.shadowRoot!.textContent!.includes('42'));
    await el.disconnect();
  });

  it('keeps its content in the light DOM, as a block the page can restyle, also inside a shadow root', async () => {
    const el = await fixture<MqttConnection>(html`<mqtt-connection manual><p>inside</p></mqtt-connection>`);
    expect(el.shadowRoot).to.equal(null);
    expect(el.childElementCount).to.equal(1);
    expect(getComputedStyle(el).display).to.equal('block');
    const style = document.createElement('style');
    style.textContent = 'mqtt-connection.grid { display: grid; }';
    document.head.append(style);
    el.classList.add('grid');
    expect(getComputedStyle(el).display).to.equal('grid');
    style.remove();
    const host = document.createElement('div');
    host.attachShadow({ mode: 'open' }).innerHTML = '<mqtt-connection manual></mqtt-connection>';
    document.body.append(host);
    expect(getComputedStyle(host.shadowRoot!.querySelector('mqtt-connection')!).display).to.equal('block');
    host.remove();
  });

  it('ends its client when removed', async () => {
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url} client-id="kit-removed"></mqtt-connection>`
    );
    await connected(el);
    el.remove();
    await waitUntil(
      async () =>
        !(await executeServerCommand<string[], { name: string }>('broker-clients', { name: 'main' })).includes(
          'kit-removed'
        )
    );
    expect(el.status).to.equal('disconnected');
  });

  it('keeps its client when moved within the page', async () => {
    const el = await fixture<MqttConnection>(html`<mqtt-connection url=${url}></mqtt-connection>`);
    await connected(el);
    const client = el.client;
    const other = document.createElement('section');
    document.body.append(other);
    other.append(el);
    await sleep(50);
    expect(el.client).to.equal(client);
    expect(el.status).to.equal('connected');
    other.remove();
  });
});

describe('<mqtt-connection> with faults and MQTT 5', () => {
  it('fires mqtt-disconnect when the broker goes away, reconnects and resubscribes', async () => {
    const url = await brokerUrl('flaky');
    const topic = uniqueTopic('flaky');
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url} reconnect-period="100" reconnect-max-period="400">
        <mqtt-value topic=${topic}></mqtt-value>
      </mqtt-connection>`
    );
    await subscriptionsAtBroker(topic, 1, 'flaky');
    const disconnected = oneEvent(el, 'mqtt-disconnect');
    await stopBroker('flaky');
    await disconnected;
    await waitUntil(() => el.status === 'reconnecting');
    await sleep(300);
    const reconnected = oneEvent(el, 'mqtt-connect');
    await brokerUrl('flaky');
    await reconnected;
    await subscriptionsAtBroker(topic, 1, 'flaky');
    await brokerPublish({ name: 'flaky', topic, payload: '"back"' });
    const value = el.querySelector('mqtt-value')!;
    await waitUntil(() => value.value === 'back');
    await el.disconnect();
  });

  it('does not reconnect when reconnect-period is 0', async () => {
    const url = await brokerUrl('once');
    const el = await fixture<MqttConnection>(html`<mqtt-connection url=${url} reconnect-period="0"></mqtt-connection>`);
    await connected(el);
    await stopBroker('once');
    await waitUntil(() => el.status === 'disconnected');
    await brokerUrl('once');
    await sleep(500);
    expect(el.status).to.equal('disconnected');
  });

  it('has the broker publish its last will when the connection dies', async () => {
    const url = await brokerUrl();
    const topic = uniqueTopic('will');
    const watcher = await fixture<MqttConnection>(html`<mqtt-connection url=${url}></mqtt-connection>`);
    const got: MqttMessage[] = [];
    watcher.subscribe(topic, (m) => got.push(m));
    await subscriptionsAtBroker(topic, 1);
    const el = document.createElement('mqtt-connection');
    el.url = url;
    el.will = { topic, payload: 'lost', qos: 1 };
    el.reconnectPeriod = 0;
    document.body.append(el);
    await connected(el);
    (el.client as unknown as { stream: { destroy(): void } }).stream.destroy();
    await waitUntil(() => got.length === 1, 'no will');
    expect(got[0].value).to.equal('lost');
    el.remove();
    await watcher.disconnect();
  });

  it('does not fail a QoS 1 publish that a forced reconnect delivers', async () => {
    const url = await brokerUrl();
    const topic = uniqueTopic('inflight');
    const watcher = await fixture<MqttConnection>(html`<mqtt-connection url=${url}></mqtt-connection>`);
    const got: MqttMessage[] = [];
    watcher.subscribe(topic, (m) => got.push(m), { qos: 1 });
    await subscriptionsAtBroker(topic, 1);
    const el = document.createElement('mqtt-connection');
    el.url = url;
    el.reconnectPeriod = 50;
    document.body.append(el);
    await connected(el);
    const sent = el.publish(topic, 'in flight', { qos: 1 });
    // The keep-alive timeout path: MQTT.js cleans up by force, then the session reconnects.
    (el.client as unknown as { onKeepaliveTimeout(): void }).onKeepaliveTimeout();
    await sent;
    await waitUntil(() => got.length >= 1, 'the message never arrived');
    expect(got[0].value).to.equal('in flight');
    await el.disconnect();
    el.remove();
    await watcher.disconnect();
  });

  it('drops, after a reconnect, the filters of a persistent session that were removed offline', async () => {
    const url = await brokerUrl();
    const topic = uniqueTopic('persistent');
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url} clean="false" reconnect-period="100" client-id=${`persist-${Date.now()}`}>
        <mqtt-subscribe topic=${topic} qos="1"></mqtt-subscribe>
      </mqtt-connection>`
    );
    await subscriptionsAtBroker(topic, 1);
    (el.client as unknown as { stream: { destroy(): void } }).stream.destroy();
    await waitUntil(() => el.status !== 'connected');
    el.querySelector('mqtt-subscribe')!.remove();
    await connected(el);
    await subscriptionsAtBroker(topic, 0);
    await el.disconnect();
  });

  it('merges options last, as an escape hatch', async () => {
    const el = document.createElement('mqtt-connection');
    el.url = await brokerUrl();
    el.keepalive = 30;
    el.options = { keepalive: 7 };
    document.body.append(el);
    await connected(el);
    expect(el.client!.options.keepalive).to.equal(7);
    await el.disconnect();
    el.remove();
  });

  it('speaks MQTT 5 with a session expiry to mosquitto', async () => {
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection url=${await mosquittoUrl()} protocol-version="5" session-expiry="60"></mqtt-connection>`
    );
    await connected(el);
    expect(el.client!.options.protocolVersion).to.equal(5);
    expect(el.client!.options.properties).to.deep.equal({ sessionExpiryInterval: 60 });
    await el.disconnect();
  });

  it('honours retain-handling="2": no retained message on subscribe', async () => {
    const url = await mosquittoUrl();
    const topic = uniqueTopic('rh');
    const el = await fixture<MqttConnection>(html`<mqtt-connection url=${url} protocol-version="5"></mqtt-connection>`);
    await connected(el);
    await el.publish(topic, 'kept', { qos: 1, retain: true });
    const wrapper = await fixture(
      html`<div>
        <mqtt-subscribe connection="rh-conn" topic=${topic} retain-handling="2"></mqtt-subscribe>
        <mqtt-subscribe connection="rh-conn-2" topic=${topic}></mqtt-subscribe>
      </div>`
    );
    const [never, always] = [...wrapper.querySelectorAll('mqtt-subscribe')];
    const seen = { never: 0, always: 0 };
    never.addEventListener('mqtt-message', () => seen.never++);
    always.addEventListener('mqtt-message', () => seen.always++);
    el.id = 'rh-conn';
    const other = await fixture<MqttConnection>(
      html`<mqtt-connection id="rh-conn-2" url=${url} protocol-version="5"></mqtt-connection>`
    );
    await waitUntil(() => seen.always === 1, 'the plain subscriber got no retained message');
    await sleep(200);
    expect(seen.never).to.equal(0);
    await el.publish(topic, '', { qos: 1, retain: true });
    await el.disconnect();
    await other.disconnect();
  });
});
