import { expect } from '@open-wc/testing';
import type { HintedError, PublishOptions } from '../src/session/message.js';
import { OFFLINE_QOS0_LIMIT, PublishQueue, type QueuedPublish } from '../src/session/publish-queue.js';

/** A queued publish that records how its promise was settled. */
function item(topic: string, options: PublishOptions = {}): QueuedPublish & { rejected?: HintedError } {
  const queued: QueuedPublish & { rejected?: HintedError } = {
    topic,
    payload: topic,
    options,
    resolve: () => {},
    reject: (error) => (queued.rejected = error as HintedError),
  };
  return queued;
}

describe('PublishQueue (no socket)', () => {
  it('drains in the order of publishing, and is empty after', () => {
    const queue = new PublishQueue();
    const items = [item('a'), item('b', { qos: 1 }), item('c', { qos: 2 }), item('d')];
    for (const queued of items) queue.add(queued);
    expect(queue.drain().map((queued) => queued.topic)).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(queue.drain()).to.deep.equal([]);
  });

  it(`drops the oldest QoS 0 publish beyond ${OFFLINE_QOS0_LIMIT}, with a hint`, () => {
    const queue = new PublishQueue();
    const items = Array.from({ length: OFFLINE_QOS0_LIMIT + 2 }, (_, i) => item(`t/${i}`));
    for (const queued of items) queue.add(queued);
    expect(items[0].rejected?.message).to.contain('"t/0" was dropped while offline');
    expect(items[0].rejected?.hint).to.contain('qos="1"');
    expect(items[1].rejected?.message).to.contain('"t/1"');
    expect(items.slice(2).every((queued) => queued.rejected === undefined)).to.equal(true);
    const drained = queue.drain();
    expect(drained).to.have.length(OFFLINE_QOS0_LIMIT);
    expect(drained[0].topic).to.equal('t/2');
  });

  it('never drops a QoS 1 or 2 publish, and does not count them against the limit', () => {
    const queue = new PublishQueue();
    const kept = [item('q1', { qos: 1 }), item('q2', { qos: 2 })];
    queue.add(kept[0]);
    const qos0 = Array.from({ length: OFFLINE_QOS0_LIMIT }, (_, i) => item(`t/${i}`));
    for (const queued of qos0) queue.add(queued);
    queue.add(kept[1]);
    const more = Array.from({ length: 300 }, (_, i) => item(`more/${i}`, { qos: 1 }));
    for (const queued of more) queue.add(queued);
    expect([...kept, ...qos0, ...more].every((queued) => queued.rejected === undefined)).to.equal(true);
    queue.add(item('one too many'));
    expect(qos0[0].rejected, 'the oldest QoS 0 goes').to.be.instanceOf(Error);
    expect(kept.every((queued) => queued.rejected === undefined)).to.equal(true);
    const drained = queue.drain().map((queued) => queued.topic);
    expect(drained[0]).to.equal('q1');
    expect(drained).to.include('q2');
    expect(drained).to.have.length(2 + OFFLINE_QOS0_LIMIT + 300);
  });
});
