import { expect, waitUntil } from '@open-wc/testing';
import { MqttSession } from '../src/session/session.js';
import type { ConnectionStatus, MqttMessage } from '../src/session/message.js';
import {
  brokerPublish,
  brokerStats,
  brokerSubscriptions,
  brokerUrl,
  sleep,
  stopBroker,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

async function openSession(
  url: string
): Promise<{ session: MqttSession; statuses: ConnectionStatus[]; errors: Error[] }> {
  const statuses: ConnectionStatus[] = [];
  const errors: Error[] = [];
  const session = new MqttSession({ status: (status) => statuses.push(status), error: (error) => errors.push(error) });
  session.open({ url, options: { reconnectPeriod: 100 } });
  await waitUntil(() => session.status === 'connected', 'session did not connect');
  return { session, statuses, errors };
}

describe('MqttSession (DOM-free, real broker)', () => {
  let session: MqttSession;
  afterEach(async () => {
    await session?.close();
  });

  it('holds one broker subscription for many listeners, and drops it after the last one', async () => {
    ({ session } = await openSession(await brokerUrl()));
    const prefix = uniqueTopic('shared');
    const before = await brokerStats();
    const offs = Array.from({ length: 50 }, (_, i) =>
      session.subscribe(`${prefix}/+`, () => {}, { qos: i === 7 ? 1 : 0 })
    );
    await subscriptionsAtBroker(prefix, 1);
    const [sub] = await brokerSubscriptions(prefix);
    expect(sub.qos, 'the highest QoS asked for').to.equal(1);
    expect((await brokerStats()).subscribePackets - before.subscribePackets).to.equal(1);
    offs.forEach((off) => off());
    await subscriptionsAtBroker(prefix, 0);
    expect(session.filterCount).to.equal(0);
    expect(session.listenerCount).to.equal(0);
  });

  it('sends subscriptions asked for in one task in one SUBSCRIBE packet', async () => {
    ({ session } = await openSession(await brokerUrl()));
    const prefix = uniqueTopic('batch');
    const before = await brokerStats();
    for (let i = 0; i < 20; i++) session.subscribe(`${prefix}/${i}`, () => {});
    await subscriptionsAtBroker(prefix, 20);
    expect((await brokerStats()).subscribePackets - before.subscribePackets).to.equal(1);
  });

  it('dispatches to every matching filter with named-wildcard params', async () => {
    ({ session } = await openSession(await brokerUrl()));
    const prefix = uniqueTopic('match');
    const got: Record<string, MqttMessage[]> = { exact: [], plus: [], hash: [], other: [] };
    session.subscribe(`${prefix}/kitchen/temp`, (m) => got.exact.push(m));
    session.subscribe(`${prefix}/+room/temp`, (m) => got.plus.push(m), { path: 'celsius' });
    session.subscribe(`${prefix}/#rest`, (m) => got.hash.push(m), { type: 'text' });
    session.subscribe(`${prefix}/+/humidity`, (m) => got.other.push(m));
    await subscriptionsAtBroker(prefix, 4);
    await brokerPublish({ topic: `${prefix}/kitchen/temp`, payload: '{"celsius":21.5}' });
    await waitUntil(() => got.exact.length && got.plus.length && got.hash.length);
    expect(got.exact[0].value).to.deep.equal({ celsius: 21.5 });
    expect(got.plus[0].value).to.equal(21.5);
    expect(got.plus[0].params).to.deep.equal({ room: 'kitchen' });
    expect(got.hash[0].value).to.equal('{"celsius":21.5}');
    expect(got.hash[0].params).to.deep.equal({ rest: 'kitchen/temp' });
    expect(got.other).to.have.length(0);
    expect(got.exact[0].payload).to.be.instanceOf(Uint8Array);
    expect(got.exact[0].receivedAt).to.be.closeTo(Date.now(), 5000);
  });

  it('serves the last value to a listener that joins an active filter', async () => {
    ({ session } = await openSession(await brokerUrl()));
    const topic = uniqueTopic('cache');
    const first: unknown[] = [];
    session.subscribe(topic, (m) => first.push(m.value));
    await subscriptionsAtBroker(topic, 1);
    await brokerPublish({ topic, payload: '1' });
    await brokerPublish({ topic, payload: '2' });
    await waitUntil(() => first.length === 2);
    const late: unknown[] = [];
    session.subscribe(topic, (m) => late.push(m.value));
    await waitUntil(() => late.length === 1, 'the late listener got nothing');
    expect(late).to.deep.equal([2]);
  });

  it('reports payloads it cannot decode and still delivers the message', async () => {
    ({ session } = await openSession(await brokerUrl()));
    const topic = uniqueTopic('bad');
    const errors: Error[] = [];
    const messages: MqttMessage[] = [];
    session.subscribe(topic, (m) => messages.push(m), { type: 'number', onError: (e) => errors.push(e) });
    await subscriptionsAtBroker(topic, 1);
    await brokerPublish({ topic, payload: 'warm' });
    await waitUntil(() => messages.length === 1);
    expect(messages[0].value).to.equal(undefined);
    expect(errors[0].message).to.contain('not a number');
  });

  it('queues publishes while offline and sends them once connected', async () => {
    session = new MqttSession();
    const topic = uniqueTopic('queue');
    const sent = session.publish(topic, 'early', { qos: 1 });
    const watcher = new MqttSession();
    watcher.open({ url: await brokerUrl() });
    const seen: unknown[] = [];
    watcher.subscribe(topic, (m) => seen.push(m.value), { qos: 1 });
    await subscriptionsAtBroker(topic, 1);
    session.open({ url: await brokerUrl() });
    await sent;
    await waitUntil(() => seen.length === 1);
    expect(seen).to.deep.equal(['early']);
    await watcher.close();
  });

  it('resubscribes after the broker restarts', async () => {
    const url = await brokerUrl('restart');
    let statuses: ConnectionStatus[];
    ({ session, statuses } = await openSession(url));
    const topic = uniqueTopic('restart');
    const seen: unknown[] = [];
    session.subscribe(topic, (m) => seen.push(m.value));
    await subscriptionsAtBroker(topic, 1, 'restart');
    await stopBroker('restart');
    await waitUntil(() => session.status === 'reconnecting');
    await sleep(200);
    await brokerUrl('restart');
    await waitUntil(() => session.status === 'connected', 'no reconnect', { timeout: 8000 });
    await subscriptionsAtBroker(topic, 1, 'restart');
    await brokerPublish({ name: 'restart', topic, payload: 'back' });
    await waitUntil(() => seen.length === 1);
    expect(statuses).to.include('reconnecting');
  });

  it('moves every subscription to a new url', async () => {
    ({ session } = await openSession(await brokerUrl()));
    const second = await brokerUrl('second');
    const topic = uniqueTopic('move');
    const seen: unknown[] = [];
    session.subscribe(topic, (m) => seen.push(m.value));
    await subscriptionsAtBroker(topic, 1);
    session.open({ url: second });
    await subscriptionsAtBroker(topic, 1, 'second');
    await subscriptionsAtBroker(topic, 0, 'main');
    await brokerPublish({ name: 'second', topic, payload: 'there' });
    await waitUntil(() => seen.length === 1);
    expect(seen).to.deep.equal(['there']);
  });

  it('does not call a connection that broke before the SUBACK a refusal', async () => {
    let errors: Error[];
    ({ session, errors } = await openSession(await brokerUrl()));
    const topic = uniqueTopic('suback');
    const listenerErrors: Error[] = [];
    const client = session.client!;
    client.once('packetsend', (packet) => {
      if (packet.cmd === 'subscribe') (client as unknown as { stream: { destroy(): void } }).stream.destroy();
    });
    session.subscribe(topic, () => {}, { onError: (e) => listenerErrors.push(e) });
    await waitUntil(() => session.status === 'reconnecting');
    await waitUntil(() => session.status === 'connected', 'no reconnect', { timeout: 5000 });
    await subscriptionsAtBroker(topic, 1);
    expect(listenerErrors).to.deep.equal([]);
    expect(errors.map((e) => e.message).join()).not.to.contain('refused');
  });

  it('refuses an invalid filter with a hint', async () => {
    session = new MqttSession();
    expect(() => session.subscribe('a/#/b', () => {})).to.throw(/last level/);
  });
});
