import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { MqttConnection, MqttMessage, MqttSubscribe } from '../src/index.js';
import { reconnectDelay } from '../src/session/session.js';
import {
  brokerPublish,
  brokerUrl,
  connected,
  countGlobalListeners,
  freezeBroker,
  hideFor,
  recordedPublishes,
  recordPublishes,
  refuserAttempts,
  refuserUrl,
  goOfflineFor,
  sleep,
  stopBroker,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

function destroySocket(el: MqttConnection): void {
  (el.client as unknown as { stream: { destroy(): void } }).stream.destroy();
}

/** A connection whose broker went away and came back, while its next retry is 15 to 30 s away. */
async function waitingLongToRetry(broker: string): Promise<MqttConnection> {
  const url = await brokerUrl(broker);
  const el = await fixture<MqttConnection>(
    html`<mqtt-connection url=${url} reconnect-period="30000"></mqtt-connection>`
  );
  await connected(el);
  await stopBroker(broker);
  await waitUntil(() => el.status === 'reconnecting');
  await brokerUrl(broker);
  return el;
}

describe('reconnecting', () => {
  it('backs off exponentially with jitter, from reconnect-period up to reconnect-max-period', () => {
    const lowest = () => 0;
    const highest = () => 1;
    const ceilings = [0, 1, 2, 3, 4, 5, 6].map((attempt) => reconnectDelay(attempt, 1000, 30000, highest));
    expect(ceilings).to.deep.equal([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(reconnectDelay(0, 1000, 30000, lowest), 'jitter keeps at least half').to.equal(500);
    expect(reconnectDelay(3, 1000, 30000, () => 0.5)).to.equal(6000);
    expect(reconnectDelay(1000, 1000, 30000, highest), 'no overflow after many attempts').to.equal(30000);
    expect(reconnectDelay(5, 5000, 1000, highest), 'a max below the period means the period').to.equal(5000);
  });

  it('makes a handful of attempts, not one per period, while the broker is down', async () => {
    const url = await refuserUrl();
    const el = document.createElement('mqtt-connection');
    Object.assign(el, { url, reconnectPeriod: 100, reconnectMaxPeriod: 800 });
    const errors: string[] = [];
    el.addEventListener('mqtt-error', (e) => errors.push(e.detail.hint));
    document.body.append(el);
    const span = 3000;
    await sleep(span);
    const attempts = await refuserAttempts();
    expect(el.status).to.equal('reconnecting');
    el.remove();
    console.log(
      `reconnect attempts in ${span} ms (reconnect-period 100, max 800): ${attempts}; a fixed 100 ms period would make ~${span / 100}`
    );
    // Delays between ceilings of 100, 200, 400, 800, 800, ... ms, each at least half its ceiling.
    expect(attempts).to.be.within(5, 11);
    expect(errors.length, 'each failed attempt is reported').to.be.at.least(attempts - 1);
  });

  it('starts again from reconnect-period after a successful connect', async () => {
    const url = await brokerUrl('backoff');
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url} reconnect-period="100" reconnect-max-period="2000"></mqtt-connection>`
    );
    await connected(el);
    await stopBroker('backoff');
    // Long enough for at least four failed attempts: the next delay is 800 ms or more.
    await sleep(3500);
    await brokerUrl('backoff');
    await connected(el, 4000);
    // A connection counts as good once it stayed up for reconnect-max-period (at most 10 s).
    await sleep(2100);
    await stopBroker('backoff');
    await brokerUrl('backoff');
    await waitUntil(() => el.status !== 'connected');
    const dropped = performance.now();
    await connected(el, 4000);
    const took = performance.now() - dropped;
    expect(took, 'the first retry after a good connection waits reconnect-period (±jitter)').to.be.below(600);
    await el.disconnect();
  });

  it('retries at once when the browser comes back online', async () => {
    const el = await waitingLongToRetry('network');
    const offline = oneEvent(window, 'offline');
    const online = oneEvent(window, 'online');
    await goOfflineFor(300);
    await offline;
    expect(navigator.onLine).to.equal(false);
    await online;
    await connected(el, 3000);
    await el.disconnect();
  });

  it('retries at once when a hidden tab becomes visible again', async () => {
    const el = await waitingLongToRetry('visible');
    const states: string[] = [];
    const track = () => states.push(document.visibilityState);
    document.addEventListener('visibilitychange', track);
    try {
      await hideFor(300);
      await waitUntil(() => states.includes('hidden'), 'the page was not hidden');
      expect(el.status, 'nothing retries while hidden').to.equal('reconnecting');
      await waitUntil(() => states.at(-1) === 'visible', 'the page did not come back');
      await connected(el, 3000);
    } finally {
      document.removeEventListener('visibilitychange', track);
    }
    await el.disconnect();
  });

  it('drops and replaces a connection that looks up but no longer answers, when the tab comes back', async () => {
    const url = await brokerUrl('frozen');
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url} reconnect-period="100"></mqtt-connection>`
    );
    await connected(el);
    const first = el.client;
    // The socket stays open but nothing comes back: what a sleep or a network change leaves behind.
    await freezeBroker('frozen');
    const error = oneEvent(el, 'mqtt-error');
    await hideFor(100);
    const started = performance.now();
    expect((await error).detail.error.message).to.contain('no answer to a ping');
    await waitUntil(() => el.status === 'connected' && el.client === first && el.client!.connected, 'not reconnected', {
      timeout: 5000,
    });
    console.log(
      `a dead connection was replaced ${Math.round(performance.now() - started)} ms after the tab came back (keepalive 60 s would take 90 s)`
    );
    await el.disconnect();
    await stopBroker('frozen');
  });

  it('keeps backing off when the broker closes each connection at once (two pages with one client-id)', async () => {
    const url = await brokerUrl();
    const clientId = `twin-${Date.now()}`;
    let connects = 0;
    const hints: string[] = [];
    const make = () => {
      const el = document.createElement('mqtt-connection');
      Object.assign(el, { url, clientId, reconnectPeriod: 100, reconnectMaxPeriod: 2000 });
      el.addEventListener('mqtt-connect', () => connects++);
      el.addEventListener('mqtt-error', (e) => hints.push(e.detail.hint));
      document.body.append(el);
      return el;
    };
    const twins = [make(), make()];
    await sleep(4000);
    twins.forEach((el) => el.remove());
    console.log(`two connections with one client-id: ${connects} connects in 4 s`);
    // At the shortest period they would push each other out ~60 times.
    expect(connects).to.be.within(3, 20);
    expect(
      hints.some((hint) => hint.includes('same client-id')),
      'the hint names the client-id'
    ).to.be.true;
  });

  it('removes its window and document listeners when removed', async () => {
    const globals = countGlobalListeners();
    try {
      const url = await brokerUrl();
      const el = document.createElement('mqtt-connection');
      el.url = url;
      document.body.append(el);
      await connected(el);
      expect(globals.balance.get('window:online'), 'it listens for online').to.equal(1);
      expect(globals.balance.get('document:visibilitychange'), 'and for visibilitychange').to.equal(1);
      el.remove();
      await waitUntil(() => el.client === undefined, 'the client was not ended');
    } finally {
      globals.restore();
    }
    for (const [key, count] of globals.balance) expect(count, `${key} listeners left behind`).to.equal(0);
  });
});

describe('nothing lost', () => {
  it('sends QoS 1 and 2 publishes made while offline once reconnected', async () => {
    const url = await brokerUrl('offline');
    const topic = uniqueTopic('offline');
    await recordPublishes(topic, 'offline');
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url} reconnect-period="100" reconnect-max-period="400"></mqtt-connection>`
    );
    await connected(el);
    await stopBroker('offline');
    await waitUntil(() => el.status === 'reconnecting');
    const sent: Promise<void>[] = [];
    for (let i = 0; i < 20; i++)
      sent.push(el.publish(topic, `q1-${i}`, { qos: 1 }), el.publish(topic, `q2-${i}`, { qos: 2 }));
    await sleep(300);
    await brokerUrl('offline');
    await Promise.all(sent);
    const received = await recordedPublishes(topic, 'offline');
    expect(new Set(received).size).to.equal(40);
    expect(received.filter((p) => p.startsWith('q1-'))).to.deep.equal(Array.from({ length: 20 }, (_, i) => `q1-${i}`));
    await el.disconnect();
  });

  // QoS 2: aedes acknowledges a QoS 1 message before it passes it on, so a broker stopped between
  // the two loses a message the client was told had arrived (1 in 300, now and then). With QoS 2 it
  // passes the message on first; what is lost here would be the kit's loss.
  it('loses no QoS 2 message published across a broker restart', async () => {
    const url = await brokerUrl('restarts');
    const topic = uniqueTopic('restart');
    await recordPublishes(topic, 'restarts');
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url} reconnect-period="100" reconnect-max-period="400"></mqtt-connection>`
    );
    await connected(el);
    const total = 300;
    const sent: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      sent.push(el.publish(topic, String(i), { qos: 2 }));
      if (i === 100) await stopBroker('restarts');
      if (i === 200) await brokerUrl('restarts');
      await sleep(5);
    }
    await Promise.all(sent);
    const received = await recordedPublishes(topic, 'restarts');
    const distinct = new Set(received);
    const lost = total - distinct.size;
    console.log(
      `broker restart: sent ${total}, received ${received.length} (${distinct.size} distinct, ${received.length - distinct.size} duplicates), lost ${lost}`
    );
    expect(lost).to.equal(0);
    await el.disconnect();
  });

  it('resubscribes after a broker restart and receives again', async () => {
    const url = await brokerUrl('resubscribe');
    const topic = uniqueTopic('resubscribe');
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url} reconnect-period="100" reconnect-max-period="400">
        <mqtt-subscribe topic=${`${topic}/+`}></mqtt-subscribe>
      </mqtt-connection>`
    );
    const sub = el.querySelector<MqttSubscribe>('mqtt-subscribe')!;
    const got: string[] = [];
    sub.addEventListener('mqtt-message', (e) => got.push(e.detail.topic));
    await subscriptionsAtBroker(topic, 1, 'resubscribe');
    await stopBroker('resubscribe');
    await waitUntil(() => el.status === 'reconnecting');
    await brokerUrl('resubscribe');
    await connected(el);
    await subscriptionsAtBroker(topic, 1, 'resubscribe');
    await brokerPublish({ name: 'resubscribe', topic: `${topic}/{i}`, count: 10 });
    await waitUntil(() => got.length === 10);
    await el.disconnect();
  });

  it('with clean="false", receives the QoS 1 messages sent while the page was away', async () => {
    const url = await brokerUrl();
    const topic = uniqueTopic('away');
    const clientId = `away-${Date.now()}`;
    const page = () =>
      html`<mqtt-connection url=${url} clean="false" client-id=${clientId}>
        <mqtt-subscribe topic=${topic} qos="1"></mqtt-subscribe>
      </mqtt-connection>`;
    const first = await fixture<MqttConnection>(page());
    await subscriptionsAtBroker(topic, 1);
    first.remove();
    await waitUntil(() => first.client === undefined);
    await brokerPublish({ topic, payload: 'away {i}', qos: 1, count: 10 });
    await brokerPublish({ topic, payload: 'lost at QoS 0', qos: 0 });
    const got: MqttMessage[] = [];
    const listen = (e: Event) => got.push((e as CustomEvent<MqttMessage>).detail);
    document.addEventListener('mqtt-message', listen);
    try {
      const back = await fixture<MqttConnection>(page());
      await waitUntil(() => got.length >= 10, `got ${got.length} of 10`);
      await sleep(100);
      expect(got.map((m) => m.value)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `away ${i}`));
      await back.disconnect();
    } finally {
      document.removeEventListener('mqtt-message', listen);
    }
  });

  it('a subscriber that comes back with a persistent session gets its messages once each', async () => {
    const url = await brokerUrl();
    const topic = uniqueTopic('once');
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url} clean="false" client-id=${`once-${Date.now()}`} reconnect-period="500">
        <mqtt-subscribe topic=${topic} qos="1"></mqtt-subscribe>
      </mqtt-connection>`
    );
    const got: string[] = [];
    el.addEventListener('mqtt-message', (e) => got.push(String(e.detail.value)));
    await subscriptionsAtBroker(topic, 1);
    const lost = oneEvent(el, 'mqtt-disconnect');
    destroySocket(el);
    await lost;
    await brokerPublish({ topic, payload: 'm{i}', qos: 1, count: 5 });
    await connected(el);
    await waitUntil(() => got.length >= 5);
    await sleep(100);
    expect(got).to.deep.equal(['m0', 'm1', 'm2', 'm3', 'm4']);
    await el.disconnect();
  });
});
