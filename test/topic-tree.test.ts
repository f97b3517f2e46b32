// The model behind <mqtt-tree> (src/tree/topic-tree.ts), DOM-free.
import { expect } from '@open-wc/testing';
import type { MqttMessage } from '../src/index.js';
import { literalLevels, payloadLine, TopicTree } from '../src/tree/topic-tree.js';

const encoder = new TextEncoder();
function message(topic: string, payload: string | Uint8Array = 'x', receivedAt = 1000, retain = false): MqttMessage {
  const bytes = typeof payload === 'string' ? encoder.encode(payload) : payload;
  return { topic, payload: bytes, value: bytes, params: {}, qos: 0, retain, receivedAt };
}

describe('TopicTree', () => {
  it('counts messages and topics up the levels, with the latest time', () => {
    const tree = new TopicTree();
    tree.add(message('home/kitchen/temp', '20', 1000));
    tree.add(message('home/kitchen/temp', '21', 3000));
    tree.add(message('home/hall', 'on', 2000));
    tree.add(message('home', 'root', 1500));
    const home = tree.get('home')!;
    expect([home.count, home.total, home.topics, home.last]).to.deep.equal([1, 4, 3, 3000]);
    const kitchen = tree.get('home/kitchen')!;
    expect([kitchen.count, kitchen.total, kitchen.topics, kitchen.message]).to.deep.equal([0, 2, 1, undefined]);
    expect(tree.get('home/kitchen/temp')!.count).to.equal(2);
    expect(tree.size).to.equal(3);
    expect(tree.nodes).to.equal(4);
  });

  it('keeps siblings in order, numbers by value', () => {
    const tree = new TopicTree();
    for (const name of ['10', 'b', '2', 'a', '1', 'B']) tree.add(message(`s/${name}`));
    expect(tree.get('s')!.children.map((n) => n.name)).to.deep.equal(['1', '2', '10', 'a', 'b', 'B']);
  });

  it('flattens the rows only when their shape changes', () => {
    const tree = new TopicTree();
    // The first level starts expanded (as for a filter such as a/#), the others collapsed.
    tree.expandDepth = 1;
    tree.add(message('a/x'));
    tree.add(message('b/y/deep'));
    tree.setExpanded(tree.get('b')!, false);
    const rows = tree.rows();
    expect(rows.map((n) => n.topic)).to.deep.equal(['a', 'a/x', 'b']);
    // Messages to known topics, and new topics under a collapsed level, leave the rows as they are.
    tree.add(message('a/x', 'again'));
    tree.add(message('b/z'));
    expect(tree.rows()).to.equal(rows);
    tree.setExpanded(tree.get('b')!, true);
    expect(tree.rows().map((n) => n.topic)).to.deep.equal(['a', 'a/x', 'b', 'b/y', 'b/z']);
    expect(tree.get('b/y')!.expanded, 'a second level starts collapsed').to.equal(false);
    expect(tree.rowOf(tree.get('b/z'))).to.equal(4);
    tree.setExpanded(tree.get('a')!, false);
    expect(tree.rowOf(tree.get('a/x'))).to.equal(-1);
    expect(tree.visible(tree.get('a/x')!)).to.equal(false);
    tree.reveal(tree.get('a/x')!);
    expect(tree.rowOf(tree.get('a/x'))).to.equal(1);
    tree.clear();
    expect([tree.rows().length, tree.size, tree.get('a')]).to.deep.equal([0, 0, undefined]);
  });

  it('starts the levels of a filter before its first wildcard expanded', () => {
    expect(['#', 'home/#', 'home/+/temp', 'a/b/c', '$share/g/x/#', 'bad/#/x'].map(literalLevels)).to.deep.equal([
      0, 1, 1, 3, 1, 0,
    ]);
  });

  it('cuts a payload short as text, and copies one out of a larger buffer', () => {
    expect(payloadLine(encoder.encode('é'.repeat(150)))).to.equal(`${'é'.repeat(100)}…`);
    expect(payloadLine(new Uint8Array([0x68, 0x69, 0xff]))).to.equal('hi\ufffd');
    expect(payloadLine(encoder.encode('short'))).to.equal('short');
    const frame = new Uint8Array(5000);
    frame.set(encoder.encode('tiny'), 10);
    const tree = new TopicTree();
    const node = tree.add(message('t', frame.subarray(10, 14)));
    expect(node.message!.payload.buffer.byteLength).to.equal(4);
    expect(payloadLine(node.message!.payload)).to.equal('tiny');
  });
});
