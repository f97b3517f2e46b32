// Interop: the core behaviour of the kit against each broker configuration, aedes, mosquitto
// (MQTT 3.1.1 and 5, anonymous, with a password, and over wss:// with a certificate made for the
// run and trusted by the test browser only: scripts/mosquitto-plugin.mjs) and RabbitMQ 3.10 (MQTT
// 3.1.1, Web MQTT at /ws: scripts/rabbitmq-plugin.mjs, and its differences in test/rabbitmq.ts).
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { nothing, render } from 'lit';
import type { MqttConnection, MqttErrorEvent, MqttMessage, PublishOptions } from '../src/index.js';
import { brokerUrl, captureWarnings, connected, sleep, uniqueTopic } from './helpers.js';
import { startMosquitto, type BrokerAccess, type MosquittoVariant } from './mosquitto.js';
import { RABBITMQ_MAX_QOS, RABBITMQ_START_TIMEOUT, startRabbitmq } from './rabbitmq.js';

/** A broker (aedes, a mosquitto variant, or RabbitMQ) and the protocol version to speak to it. */
interface BrokerConfig {
  broker: 'aedes' | Exclude<MosquittoVariant, 'untrusted-tls'> | 'rabbitmq';
  protocolVersion: 4 | 5;
}

const CONFIGS: BrokerConfig[] = [
  { broker: 'aedes', protocolVersion: 4 },
  { broker: 'anonymous', protocolVersion: 4 },
  { broker: 'anonymous', protocolVersion: 5 },
  { broker: 'password', protocolVersion: 4 },
  { broker: 'password', protocolVersion: 5 },
  { broker: 'tls', protocolVersion: 5 },
  // Anonymous; its user (alice, with a password) for the refused login. MQTT 3.1.1 only.
  { broker: 'rabbitmq', protocolVersion: 4 },
];

const NAMES: Record<BrokerConfig['broker'], string> = {
  aedes: 'aedes',
  anonymous: 'mosquitto',
  password: 'mosquitto with a password',
  tls: 'mosquitto over wss',
  rabbitmq: 'RabbitMQ',
};

type ConnectionOptions = Partial<
  Pick<MqttConnection, 'clientId' | 'username' | 'password' | 'clean' | 'sessionExpiry' | 'reconnectPeriod' | 'will'>
>;

/** Collects the details of an element's mqtt-message events. */
function messages(el: HTMLElement): MqttMessage[] {
  const got: MqttMessage[] = [];
  el.addEventListener('mqtt-message', (e) => got.push(e.detail));
  return got;
}

/** Adds an element to the page, in a fixture (removed after the test). */
async function mount<T extends Element>(el: T): Promise<T> {
  await fixture(html`<div>${el}</div>`);
  return el;
}

/** Waits until `conn` is connected and the broker has acknowledged everything it sent (subscriptions are active). */
async function settled(conn: MqttConnection): Promise<void> {
  await connected(conn, 3000);
  // The kit sends the subscriptions asked for together once the microtasks run; give them a moment.
  await sleep(20);
  await waitUntil(() => Object.keys(conn.client?.outgoing ?? {}).length === 0, 'the broker did not acknowledge', {
    timeout: 3000,
    interval: 5,
  });
}

for (const config of CONFIGS) {
  describe(`interop: ${NAMES[config.broker]}, MQTT ${config.protocolVersion === 5 ? '5' : '3.1.1'}`, () => {
    const v5 = config.protocolVersion === 5;
    const rabbitmq = config.broker === 'rabbitmq';
    const maxQos = rabbitmq ? RABBITMQ_MAX_QOS : 2;
    let broker: BrokerAccess;
    /** A user with a password on this broker, for the tests of a refused login. */
    let login: BrokerAccess | undefined;
    before(async function () {
      if (rabbitmq) this.timeout(RABBITMQ_START_TIMEOUT + 10_000); // the first start, ~10 s
      if (config.broker === 'aedes') broker = { url: await brokerUrl() };
      else if (config.broker === 'rabbitmq') [broker, login] = [await startRabbitmq(), await startRabbitmq('password')];
      else broker = await startMosquitto(config.broker);
      if (config.broker === 'password') login = broker;
    });

    /** An <mqtt-connection> to this broker (its url, protocol version and credentials), not yet in the page. */
    function create(content: unknown = nothing, options: ConnectionOptions = {}): MqttConnection {
      const el = document.createElement('mqtt-connection');
      Object.assign(
        el,
        {
          url: broker.url,
          protocolVersion: config.protocolVersion,
          username: broker.username,
          password: broker.password,
          reconnectPeriod: 100,
          connectTimeout: 3000,
        },
        options
      );
      render(content, el);
      return el;
    }

    /** An <mqtt-connection> to this broker, in the page. */
    function connection(content: unknown = nothing, options: ConnectionOptions = {}): Promise<MqttConnection> {
      return mount(create(content, options));
    }

    /** Clicks an `<mqtt-publish>` that has `properties`; returns the detail of the message received. */
    async function publishWithProperties(properties: PublishOptions['properties']): Promise<MqttMessage> {
      const topic = uniqueTopic('props');
      const conn = await connection(html`
        <mqtt-subscribe topic=${topic}></mqtt-subscribe>
        <mqtt-publish topic=${topic} payload="on" .properties=${properties}><button></button></mqtt-publish>
      `);
      await settled(conn);
      const message = oneEvent(conn.querySelector('mqtt-subscribe')!, 'mqtt-message');
      conn.querySelector('button')!.click();
      const { detail } = await message;
      expect(detail.value).to.equal('on');
      await conn.disconnect();
      return detail;
    }

    /** A connected connection that has published the retained message "kept" to `topic`. */
    async function withRetained(topic: string): Promise<MqttConnection> {
      const conn = await connection();
      await connected(conn, 3000);
      await conn.publish(topic, '"kept"', { qos: 1, retain: true });
      return conn;
    }

    it('connects and reports status="connected"', async () => {
      const el = create();
      const connect = oneEvent(el, 'mqtt-connect');
      await mount(el);
      const { connack } = (await connect).detail;
      // An MQTT 5 CONNACK carries a reason code, an MQTT 3.1.1 one a return code.
      expect(connack).to.include(v5 ? { reasonCode: 0 } : { returnCode: 0 });
      expect(el.getAttribute('status')).to.equal('connected');
      expect(el.hasAttribute('error')).to.be.false;
      expect(new URL(broker.url).protocol).to.equal(config.broker === 'tls' ? 'wss:' : 'ws:');
      await el.disconnect();
    });

    it('shows in <mqtt-value> what <mqtt-publish> and publish() send', async () => {
      const topic = uniqueTopic('value');
      const conn = await connection(html`
        <mqtt-value topic=${topic}></mqtt-value>
        <mqtt-publish topic=${topic} payload="21.5"><button>send</button></mqtt-publish>
      `);
      await settled(conn);
      const value = conn.querySelector('mqtt-value')!;
      const shown = () => value.shadowRoot!.querySelector('[part="value"]')!.textContent!.trim();
      expect(shown()).to.equal('–');
      const published = oneEvent(conn.querySelector('mqtt-publish')!, 'mqtt-publish');
      conn.querySelector('button')!.click();
      await published;
      await waitUntil(() => value.value === 21.5, 'the published value never arrived');
      await waitUntil(() => shown() === (21.5).toLocaleString(value.locale ?? undefined));
      await conn.publish(topic, '"off"', { qos: 1 });
      await waitUntil(() => shown() === 'off', `shows ${shown()}`);
      await conn.disconnect();
    });

    it('fires one mqtt-message per message, in order, with named wildcards', async () => {
      const topic = uniqueTopic('rooms');
      const conn = await connection(html`<mqtt-subscribe topic=${`${topic}/+room/temp`} qos="1"></mqtt-subscribe>`);
      const got = messages(conn.querySelector('mqtt-subscribe')!);
      await settled(conn);
      const rooms = ['kitchen', 'hall', 'attic'];
      const sent = Array.from({ length: 30 }, (_, i) => ({ room: rooms[i % rooms.length], value: i }));
      await conn.publish(`${topic}/kitchen/humidity`, '99', { qos: 1 });
      await Promise.all(
        sent.map(({ room, value }) => conn.publish(`${topic}/${room}/temp`, String(value), { qos: 1 }))
      );
      await waitUntil(() => got.length >= sent.length, `got ${got.length} of ${sent.length}`, { timeout: 3000 });
      await sleep(50);
      expect(got.map((m) => ({ room: m.params.room, value: m.value }))).to.deep.equal(sent);
      await conn.disconnect();
    });

    it('delivers a retained message to a late subscriber', async () => {
      const topic = uniqueTopic('retained');
      const conn = await withRetained(topic);
      const late = await connection(html`<mqtt-subscribe topic=${topic}></mqtt-subscribe>`);
      const { detail } = await oneEvent(late.querySelector('mqtt-subscribe')!, 'mqtt-message');
      expect(detail).to.deep.include({ topic, value: 'kept', retain: true });
      await conn.publish(topic, '', { qos: 1, retain: true });
      await late.disconnect();
      await conn.disconnect();
    });

    it('round-trips QoS 1 and QoS 2', async () => {
      const topic = uniqueTopic('qos');
      const conn = await connection(html`
        <mqtt-subscribe topic=${`${topic}/+level`} qos="2"></mqtt-subscribe>
        <mqtt-publish topic=${`${topic}/1`} qos="1" payload="one"><button id="one"></button></mqtt-publish>
        <mqtt-publish topic=${`${topic}/2`} qos="2" payload="two"><button id="two"></button></mqtt-publish>
      `);
      const got = messages(conn.querySelector('mqtt-subscribe')!);
      await settled(conn);
      const published: unknown[] = [];
      conn.addEventListener('mqtt-publish', (e) => published.push(e.detail.qos));
      conn.querySelector<HTMLButtonElement>('#one')!.click();
      conn.querySelector<HTMLButtonElement>('#two')!.click();
      await waitUntil(
        () => got.length === 2 && published.length === 2,
        `got ${got.length}, published ${published.length}`,
        { timeout: 3000 }
      );
      expect(published).to.have.members([1, 2]);
      const byLevel = Object.fromEntries(got.map((m) => [m.params.level, { qos: m.qos, value: m.value }]));
      // Delivered at the lower of the publish and subscription QoS, and at most the broker's.
      expect(byLevel).to.deep.equal({ 1: { qos: 1, value: 'one' }, 2: { qos: maxQos, value: 'two' } });
      await conn.disconnect();
    });

    it('has the broker publish the last will when the connection dies', async () => {
      const topic = uniqueTopic('will');
      const watcher = await connection(html`<mqtt-subscribe topic=${topic} qos="1"></mqtt-subscribe>`);
      const got = messages(watcher.querySelector('mqtt-subscribe')!);
      await settled(watcher);
      const el = await connection(nothing, { will: { topic, payload: 'lost', qos: 1 }, reconnectPeriod: 0 });
      await connected(el, 3000);
      await sleep(50);
      expect(got, 'no will while connected').to.have.length(0);
      (el.client as unknown as { stream: { destroy(): void } }).stream.destroy();
      await waitUntil(() => got.length === 1, 'no will', { timeout: 3000 });
      expect(got[0]).to.deep.include({ value: 'lost', qos: 1 });
      await watcher.disconnect();
    });

    it(`keeps a persistent session${v5 ? ' (session-expiry, clean="false")' : ' (clean="false")'}: messages sent while away arrive on return`, async () => {
      const topic = uniqueTopic('session');
      const persistent: ConnectionOptions = {
        clientId: `interop-${Math.random().toString(36).slice(2, 10)}`,
        clean: false,
        ...(v5 ? { sessionExpiry: 60 } : {}),
      };
      const subscriber = html`<mqtt-subscribe topic=${topic} qos="1"></mqtt-subscribe>`;
      const first = await connection(subscriber, persistent);
      await settled(first);
      // The page removes the connection; the broker keeps its session.
      first.remove();
      await first.disconnect();
      const publisher = await connection();
      for (const n of [1, 2, 3]) await publisher.publish(topic, String(n), { qos: 1 });
      const back = create(subscriber, persistent);
      const got = messages(back.querySelector('mqtt-subscribe')!);
      const connect = oneEvent(back, 'mqtt-connect');
      await mount(back);
      expect((await connect).detail.connack.sessionPresent, 'session present').to.be.true;
      await waitUntil(() => got.length >= 3, `got ${got.length} of 3`, { timeout: 3000 });
      await sleep(50);
      expect(got.map((m) => m.value)).to.deep.equal([1, 2, 3]);
      await back.disconnect();
      await publisher.disconnect();
    });

    // RabbitMQ 3.10's Web MQTT sends no CONNACK to a wrong password: it closes the WebSocket (code
    // 1002, reason "unauthenticated"; over TCP it answers CONNACK 4), so the kit must read the close.
    if (config.broker === 'password' || rabbitmq) {
      it('refuses a wrong password: one mqtt-error, then disconnected for good, the password never shown', async () => {
        const wrong = 'wr0ng-Pa55word';
        const { warnings, restore } = captureWarnings();
        const el = create(nothing, { username: login!.username, password: wrong, reconnectPeriod: 50 });
        const errors: MqttErrorEvent[] = [];
        const statuses: string[] = [];
        el.addEventListener('mqtt-error', (e) => errors.push(e));
        el.addEventListener('mqtt-status', (e) => statuses.push(e.detail.status));
        try {
          await mount(el);
          await waitUntil(
            () => errors.length > 0 && el.status === 'disconnected',
            `status ${el.status}, ${errors.length} errors`,
            { timeout: 3000 }
          );
          // With a retry every 50 ms, 300 ms would show several attempts.
          await sleep(300);
        } finally {
          restore();
        }
        expect(statuses).to.deep.equal(['connecting', 'disconnected']);
        expect(errors).to.have.length(1);
        const { detail } = errors[0];
        // Bad user name or password, or not authorized (mosquitto's answer to a wrong password).
        expect(detail.code).to.be.oneOf(v5 ? [0x86, 0x87] : [4, 5]);
        const cause = (detail.error as Error & { cause?: unknown }).cause;
        const shown = [
          detail.error.message,
          detail.hint,
          JSON.stringify(detail),
          String(cause),
          el.getAttribute('error') ?? '',
          el.error ?? '',
          el.outerHTML,
          ...warnings,
        ];
        for (const text of shown) expect(text, 'the password leaked').not.to.contain(wrong);
      });

      it('says in the hint of a refused login to check the user name or password', async () => {
        const el = create(nothing, { username: login!.username, password: 'wrong', reconnectPeriod: 0 });
        const error = oneEvent(el, 'mqtt-error');
        await mount(el);
        const { hint } = (await error).detail;
        expect(hint).to.match(/user ?name|password/i);
        await waitUntil(() => el.status === 'disconnected');
      });
    }

    if (rabbitmq) {
      it('explains a url with /mqtt on RabbitMQ, whose Web MQTT path is /ws', async () => {
        // RabbitMQ answers the WebSocket handshake at /mqtt with 404.
        const el = create(nothing, { reconnectPeriod: 0 });
        el.url = broker.url.replace(/\/ws$/, '/mqtt');
        const error = oneEvent(el, 'mqtt-error');
        await mount(el);
        const { hint } = (await error).detail;
        expect(el.status).not.to.equal('connected');
        expect(hint).to.contain('/ws');
        await waitUntil(() => el.status === 'disconnected');
      });
    }

    if (config.broker === 'tls') {
      it('explains a certificate the browser does not trust (it trusts only the one made for the run)', async () => {
        const untrusted = await startMosquitto('untrusted-tls');
        const el = create(nothing, { reconnectPeriod: 0 });
        el.url = untrusted.url;
        const errors: MqttErrorEvent[] = [];
        el.addEventListener('mqtt-error', (e) => errors.push(e));
        await mount(el);
        await waitUntil(() => errors.length > 0 || el.status === 'connected', 'neither connected nor failed', {
          timeout: 3000,
        });
        expect(el.status).not.to.equal('connected');
        expect(errors[0].detail.hint).to.contain('certificate');
        await waitUntil(() => el.status === 'disconnected');
      });
    }

    if (v5) {
      it('delivers MQTT 5 user properties from <mqtt-publish>.properties in the message detail', async () => {
        const detail = await publishWithProperties({
          userProperties: { room: 'kitchen', source: 'interop' },
          contentType: 'text/plain',
        });
        expect(detail.properties?.userProperties).to.deep.equal({ room: 'kitchen', source: 'interop' });
        expect(detail.properties?.contentType).to.equal('text/plain');
      });

      it('sends no retained message to retain-handling="2", and one to retain-handling="0"', async () => {
        const topic = uniqueTopic('retain-handling');
        const conn = await withRetained(topic);
        // One connection each: subscribers of one filter on one connection share one subscription.
        const never = await connection(html`<mqtt-subscribe topic=${topic} retain-handling="2"></mqtt-subscribe>`);
        const always = await connection(html`<mqtt-subscribe topic=${topic} retain-handling="0"></mqtt-subscribe>`);
        const [fromNever, fromAlways] = [never, always].map((c) => messages(c.querySelector('mqtt-subscribe')!));
        await settled(never);
        await settled(always);
        await waitUntil(() => fromAlways.length === 1, 'retain-handling="0" got no retained message');
        expect(fromAlways[0]).to.deep.include({ value: 'kept', retain: true });
        // Subscribed all the same: a live message arrives.
        await conn.publish(topic, '"live"', { qos: 1 });
        await waitUntil(() => fromNever.length >= 1 && fromAlways.length >= 2);
        await sleep(50);
        expect(fromNever.map((m) => m.value)).to.deep.equal(['live']);
        await conn.publish(topic, '', { qos: 1, retain: true });
        for (const c of [never, always, conn]) await c.disconnect();
      });

      it('takes MQTT 5 options set as strings by a framework before the first update', async () => {
        const topic = uniqueTopic('framework-options');
        const conn = await withRetained(topic);
        // As React and Vue set them: properties, as strings, before the element is in the page. It
        // subscribes as it connects, before its first update reads them: MQTT.js used to end the
        // connection over a string retain handling.
        const sub = document.createElement('mqtt-subscribe');
        Object.assign(sub, { topic, retainHandling: '2', noLocal: 'false', retainAsPublished: 'true', qos: '1' });
        const got = messages(sub);
        const reader = create();
        reader.append(sub);
        await mount(reader);
        await settled(reader);
        let drops = 0;
        reader.addEventListener('mqtt-disconnect', () => drops++);
        await conn.publish(topic, '"live"', { qos: 1 });
        await waitUntil(() => got.length >= 1, 'no live message');
        await sleep(50);
        expect(
          got.map((m) => m.value),
          'no retained message with retain-handling 2'
        ).to.deep.equal(['live']);
        expect(drops).to.equal(0);
        expect(reader.status).to.equal('connected');
        expect(sub.error).to.equal(undefined);
        await conn.publish(topic, '', { qos: 1, retain: true });
        for (const c of [reader, conn]) await c.disconnect();
      });
    } else {
      it('publishes <mqtt-publish>.properties over MQTT 3.1.1 without them', async () => {
        const detail = await publishWithProperties({ userProperties: { room: 'kitchen' } });
        expect(detail.properties?.userProperties).to.equal(undefined);
      });
    }
  });
}
