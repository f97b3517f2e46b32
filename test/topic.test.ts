import { expect } from '@open-wc/testing';
import { FilterTrie, filterParams, matches, parseFilter, TopicError, validateTopic } from '../src/session/topic.js';

describe('topic filters', () => {
  it('sends the plain filter and remembers named wildcards', () => {
    const parsed = parseFilter('home/+room/sensors/#rest');
    expect(parsed.filter).to.equal('home/+/sensors/#');
    expect(filterParams(parsed, 'home/kitchen/sensors/temp/celsius')).to.deep.equal({
      room: 'kitchen',
      rest: 'temp/celsius',
    });
  });

  it('matches a shared subscription by the filter after $share/group/', () => {
    const parsed = parseFilter('$share/g1/home/+room/temp');
    expect(parsed.filter).to.equal('$share/g1/home/+/temp');
    expect(parsed.match).to.equal('home/+/temp');
    expect(filterParams(parsed, 'home/hall/temp')).to.deep.equal({ room: 'hall' });
    expect(() => parseFilter('$share/g1')).to.throw(TopicError);
    expect(() => parseFilter('$share//a')).to.throw(TopicError);
  });

  it('gives the same empty params to filters without names', () => {
    expect(filterParams(parseFilter('a/+'), 'a/b')).to.deep.equal({});
  });

  for (const bad of ['', 'a/#/b', 'a/b+', 'a/b#', 'a/+x.y/c', '#a/b']) {
    it(`refuses "${bad}" with a hint`, () => {
      try {
        parseFilter(bad);
        expect.fail('no error');
      } catch (error) {
        expect(error).to.be.instanceOf(TopicError);
        expect((error as TopicError).hint).to.be.a('string').and.not.empty;
      }
    });
  }

  it('refuses wildcards and empty topics for publishing', () => {
    expect(() => validateTopic('a/+')).to.throw(TopicError);
    expect(() => validateTopic('a/#')).to.throw(TopicError);
    expect(() => validateTopic('')).to.throw(TopicError);
    expect(() => validateTopic('a/b')).not.to.throw();
  });

  it('matches as MQTT 3.1.1 §4.7 says', () => {
    expect(matches('a/+/c', 'a/b/c')).to.be.true;
    expect(matches('a/+/c', 'a/b/d')).to.be.false;
    expect(matches('a/#', 'a')).to.be.true;
    expect(matches('a/#', 'a/b/c')).to.be.true;
    expect(matches('#', '$SYS/x')).to.be.false;
    expect(matches('+/x', '$SYS/x')).to.be.false;
    expect(matches('$SYS/#', '$SYS/x')).to.be.true;
    expect(matches('a/b', 'a/b/c')).to.be.false;
  });
});

describe('FilterTrie', () => {
  const filters = ['a/b/c', 'a/+/c', 'a/#', '#', '+/+/+', 'a/b', 'x/y', '$SYS/#'];
  const topics = ['a/b/c', 'a/b', 'a', 'x/y', 'x/y/z', '$SYS/load', 'a/q/c'];

  it('finds exactly the filters that match, like the reference matcher', () => {
    const trie = new FilterTrie<string>();
    for (const filter of filters) trie.set(filter, filter);
    for (const topic of topics) {
      const found: string[] = [];
      trie.match(topic, (value) => found.push(value));
      expect(found.sort(), topic).to.deep.equal(filters.filter((filter) => matches(filter, topic)).sort());
    }
  });

  it('prunes deleted branches', () => {
    const trie = new FilterTrie<number>();
    trie.set('a/b/c/d', 1);
    trie.set('a/b', 2);
    expect(trie.delete('a/b/c/d')).to.be.true;
    expect(trie.delete('a/b/c/d')).to.be.false;
    expect(trie.size).to.equal(1);
    expect([...trie.values()]).to.deep.equal([2]);
    trie.delete('a/b');
    expect(trie.size).to.equal(0);
    expect((trie as unknown as { root: { children: Map<string, unknown> } }).root.children.size).to.equal(0);
  });
});
