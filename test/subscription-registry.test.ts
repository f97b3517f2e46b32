import { expect } from '@open-wc/testing';
import type { IPublishPacket } from 'mqtt';
import type { MqttMessage, QoS } from '../src/session/message.js';
import {
  LAST_VALUES_PER_FILTER,
  SubscriptionRegistry,
  type SubscribeAnswer,
  type SubscriptionBatch,
  type SubscriptionSink,
} from '../src/session/subscription-registry.js';

/** A connection as the registry sees it: what it was asked to send, and a way to answer. */
class RecordingSink implements SubscriptionSink {
  readonly batches: SubscriptionBatch[] = [];
  readonly answers: SubscribeAnswer[] = [];
  send(batch: SubscriptionBatch, answer: SubscribeAnswer): void {
    this.batches.push(batch);
    this.answers.push(answer);
  }
  /** Every filter subscribed, in order, across batches. */
  get subscribed(): string[] {
    return this.batches.flatMap((batch) => Object.keys(batch.subscribe ?? {}));
  }
}

/** Lets the registry's batch (a microtask) run. */
const microtasks = () => new Promise<void>((resolve) => setTimeout(resolve));

const encoder = new TextEncoder();
function publish(registry: SubscriptionRegistry, topic: string, payload: string, qos: QoS = 0): void {
  const packet = { cmd: 'publish', topic, payload, qos, dup: false, retain: false } as IPublishPacket;
  registry.dispatch(topic, encoder.encode(payload), packet);
}

/** A registry with a connection up. */
function connectedRegistry(): { registry: SubscriptionRegistry; sink: RecordingSink } {
  const registry = new SubscriptionRegistry();
  const sink = new RecordingSink();
  registry.connected(sink, false);
  return { registry, sink };
}

describe('SubscriptionRegistry (no socket)', () => {
  it('sends the subscriptions of one task in one batch', async () => {
    const { registry, sink } = connectedRegistry();
    for (let i = 0; i < 20; i++) registry.subscribe(`batch/${i}`, () => {});
    registry.subscribe('batch/0', () => {});
    expect(sink.batches, 'not before the microtasks').to.have.length(0);
    await microtasks();
    expect(sink.batches).to.have.length(1);
    expect(sink.subscribed).to.have.length(20);
    expect(sink.batches[0].unsubscribe).to.equal(undefined);
    expect(registry.filterCount).to.equal(20);
    expect(registry.listenerCount).to.equal(21);
  });

  it('asks for the highest QoS of a filter, and again only when a listener raises it', async () => {
    const { registry, sink } = connectedRegistry();
    registry.subscribe('qos/+', () => {}, { qos: 0 });
    registry.subscribe('qos/+', () => {}, { qos: 2 });
    registry.subscribe('qos/+', () => {}, { qos: 1 });
    await microtasks();
    expect(sink.batches[0].subscribe).to.deep.equal({ 'qos/+': { qos: 2, nl: false, rap: false, rh: 0 } });
    registry.subscribe('qos/+', () => {}, { qos: 1 });
    await microtasks();
    expect(sink.batches, 'QoS 1 is already covered').to.have.length(1);
    const low = new SubscriptionRegistry();
    const lowSink = new RecordingSink();
    low.connected(lowSink, false);
    low.subscribe('up', () => {});
    await microtasks();
    low.subscribe('up', () => {}, { qos: 1 });
    await microtasks();
    expect(lowSink.batches.map((batch) => batch.subscribe?.up?.qos)).to.deep.equal([0, 1]);
  });

  it('unsubscribes when the last listener of a filter goes, not before', async () => {
    const { registry, sink } = connectedRegistry();
    const offs = [registry.subscribe('last', () => {}), registry.subscribe('last', () => {})];
    await microtasks();
    offs[0]();
    offs[0]();
    await microtasks();
    expect(sink.batches, 'one listener is left').to.have.length(1);
    offs[1]();
    await microtasks();
    expect(sink.batches[1]).to.deep.equal({ subscribe: undefined, unsubscribe: ['last'] });
    expect(registry.filterCount).to.equal(0);
    expect(registry.listenerCount).to.equal(0);
  });

  it('forgets a filter that was never sent without unsubscribing it', async () => {
    const { registry, sink } = connectedRegistry();
    registry.subscribe('brief', () => {})();
    await microtasks();
    expect(sink.batches).to.have.length(0);
    expect(registry.filterCount).to.equal(0);
  });

  it('keeps every change waiting while held', async () => {
    const { registry, sink } = connectedRegistry();
    const off = registry.subscribe('held/a', () => {});
    await microtasks();
    registry.hold(true);
    off();
    registry.subscribe('held/b', () => {});
    await microtasks();
    expect(sink.batches).to.have.length(1);
    expect(registry.filterCount, 'held/a stays until released').to.equal(2);
    registry.hold(false);
    await microtasks();
    expect(sink.batches[1]).to.deep.equal({
      subscribe: { 'held/b': { qos: 0, nl: false, rap: false, rh: 0 } },
      unsubscribe: ['held/a'],
    });
    expect(registry.filterCount).to.equal(1);
  });

  it('sends nothing while offline, and everything at once on connect', async () => {
    const registry = new SubscriptionRegistry();
    registry.subscribe('offline/a', () => {});
    registry.subscribe('offline/b', () => {}, { qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 });
    await microtasks();
    const sink = new RecordingSink();
    registry.connected(sink, false);
    expect(sink.batches, 'at once, not in a microtask').to.have.length(1);
    expect(sink.batches[0].subscribe).to.deep.equal({
      'offline/a': { qos: 0, nl: false, rap: false, rh: 0 },
      'offline/b': { qos: 1, nl: true, rap: true, rh: 2 },
    });
  });

  it('subscribes everything again after a connect without a session, and nothing with one', async () => {
    const { registry, sink } = connectedRegistry();
    registry.subscribe('again/a', () => {});
    registry.subscribe('again/+', () => {});
    await microtasks();
    registry.disconnected(true);
    const kept = new RecordingSink();
    registry.connected(kept, true);
    expect(kept.batches, 'the broker kept the session').to.have.length(0);
    registry.disconnected(true);
    const lostSession = new RecordingSink();
    registry.connected(lostSession, false);
    expect(lostSession.subscribed).to.deep.equal(['again/a', 'again/+']);
    registry.disconnected(false);
    const fresh = new RecordingSink();
    registry.connected(fresh, true);
    expect(fresh.subscribed, 'a clean session lost them at the break').to.deep.equal(['again/a', 'again/+']);
    expect(sink.batches).to.have.length(1);
  });

  it('passes refusals in the SUBACK to the listeners of that filter', async () => {
    const { registry, sink } = connectedRegistry();
    const errors: Record<string, Error[]> = { a: [], b: [] };
    registry.subscribe('refused/a', () => {}, { onError: (error) => errors.a.push(error) });
    registry.subscribe('refused/b', () => {}, { onError: (error) => errors.b.push(error) });
    await microtasks();
    sink.answers[0](undefined, [
      { topic: 'refused/a', qos: 0x80 },
      { topic: 'refused/b', qos: 0 },
    ]);
    expect(errors.a[0].message).to.contain('refused the subscription to "refused/a"');
    expect(errors.b).to.deep.equal([]);
    sink.answers[0](new Error('no'), []);
    expect(errors.b[0].message).to.contain('refused/b');
  });

  it('dispatches to every matching filter with its named-wildcard params', () => {
    const registry = new SubscriptionRegistry();
    const got: Record<string, MqttMessage[]> = { exact: [], plus: [], hash: [], other: [], shared: [] };
    registry.subscribe('home/kitchen/temp', (m) => got.exact.push(m));
    registry.subscribe('home/+room/temp', (m) => got.plus.push(m), { path: 'celsius' });
    registry.subscribe('home/#rest', (m) => got.hash.push(m), { type: 'text' });
    registry.subscribe('home/+/humidity', (m) => got.other.push(m));
    registry.subscribe('$share/g/home/+room/temp', (m) => got.shared.push(m));
    publish(registry, 'home/kitchen/temp', '{"celsius":21.5}', 1);
    expect(got.exact[0].value).to.deep.equal({ celsius: 21.5 });
    expect(got.exact[0].qos).to.equal(1);
    expect(got.exact[0].payload).to.be.instanceOf(Uint8Array);
    expect(got.plus[0].value).to.equal(21.5);
    expect(got.plus[0].params).to.deep.equal({ room: 'kitchen' });
    expect(got.hash[0].value).to.equal('{"celsius":21.5}');
    expect(got.hash[0].params).to.deep.equal({ rest: 'kitchen/temp' });
    expect(got.shared[0].params).to.deep.equal({ room: 'kitchen' });
    expect(got.other).to.have.length(0);
  });

  it('decodes a message once per (type, path), however many listeners ask', () => {
    const registry = new SubscriptionRegistry();
    const got: Record<string, unknown[]> = { auto1: [], auto2: [], json1: [], json2: [], path1: [], path2: [] };
    registry.subscribe('memo/a', (m) => got.auto1.push(m.value));
    registry.subscribe('memo/a', (m) => got.auto2.push(m.value));
    registry.subscribe('memo/+', (m) => got.json1.push(m.value), { type: 'json' });
    registry.subscribe('memo/#', (m) => got.json2.push(m.value), { type: 'json' });
    registry.subscribe('memo/+', (m) => got.path1.push(m.value), { path: 'x' });
    registry.subscribe('memo/#', (m) => got.path2.push(m.value), { path: 'x' });
    publish(registry, 'memo/a', '{"x":{"y":1}}');
    expect(got.auto1[0]).to.deep.equal({ x: { y: 1 } });
    expect(got.auto2[0], 'one decoding for (auto, "")').to.equal(got.auto1[0]);
    expect(got.json2[0], 'one decoding for (json, ""), across filters').to.equal(got.json1[0]);
    expect(got.json1[0], 'another for (json, "")').not.to.equal(got.auto1[0]);
    expect(got.path1[0]).to.deep.equal({ y: 1 });
    expect(got.path2[0], 'one decoding for (auto, "x")').to.equal(got.path1[0]);
    publish(registry, 'memo/a', '{"x":{"y":1}}');
    expect(got.auto1[1], 'the next message is decoded anew').not.to.equal(got.auto1[0]);
  });

  it('serves the last value of each topic to a listener that joins an active filter, in a microtask', async () => {
    const { registry } = connectedRegistry();
    registry.subscribe('cache/+', () => {});
    await microtasks();
    publish(registry, 'cache/a', '1');
    publish(registry, 'cache/b', 'x');
    publish(registry, 'cache/a', '2');
    const late: MqttMessage[] = [];
    registry.subscribe('cache/+', (m) => late.push(m), { type: 'text' });
    expect(late, 'not synchronously').to.have.length(0);
    const gone: unknown[] = [];
    registry.subscribe('cache/+', (m) => gone.push(m))();
    await Promise.resolve();
    expect(late.map((m) => [m.topic, m.value])).to.deep.equal([
      ['cache/b', 'x'],
      ['cache/a', '2'],
    ]);
    expect(gone, 'a listener removed before the microtask').to.deep.equal([]);
  });

  it('does not serve cached values while the filter is not subscribed at the broker', async () => {
    const registry = new SubscriptionRegistry();
    registry.subscribe('nocache', () => {});
    publish(registry, 'nocache', '1');
    const late: unknown[] = [];
    registry.subscribe('nocache', (m) => late.push(m.value));
    await microtasks();
    expect(late).to.deep.equal([]);
  });

  it(`remembers the last values of at most ${LAST_VALUES_PER_FILTER} topics per filter, oldest out`, async () => {
    const { registry } = connectedRegistry();
    registry.subscribe('cap/#', () => {});
    await microtasks();
    for (let i = 0; i < LAST_VALUES_PER_FILTER; i++) publish(registry, `cap/${i}`, String(i));
    publish(registry, 'cap/0', 'again');
    publish(registry, 'cap/new', 'new');
    const late: MqttMessage[] = [];
    registry.subscribe('cap/#', (m) => late.push(m));
    await microtasks();
    const topics = late.map((m) => m.topic);
    expect(topics).to.have.length(LAST_VALUES_PER_FILTER);
    expect(topics, 'the oldest topic goes').not.to.include('cap/1');
    expect(topics.slice(-2)).to.deep.equal(['cap/0', 'cap/new']);
    expect(late.at(-2)!.value).to.equal('again');
  });

  it('logs a listener that throws and still delivers to the others', () => {
    const registry = new SubscriptionRegistry();
    const logged: unknown[][] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    const seen: unknown[] = [];
    try {
      registry.subscribe('throws', () => {
        throw new Error('listener bug');
      });
      registry.subscribe('throws', (m) => seen.push(m.value));
      publish(registry, 'throws', '7');
    } finally {
      console.error = error;
    }
    expect(seen).to.deep.equal([7]);
    expect(String(logged[0][0])).to.contain('a message listener threw');
  });
});
