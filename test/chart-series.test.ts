import { expect } from '@open-wc/testing';
import { Ring } from '../src/chart/ring.js';
import { SeriesSet } from '../src/chart/series.js';

const points = (ring: Ring) => Array.from({ length: ring.length }, (_, i) => [ring.time(i), ring.value(i)]);

describe('Ring', () => {
  it('keeps the newest points up to its capacity', () => {
    const ring = new Ring(3);
    expect(ring.last()).to.equal(undefined);
    for (let i = 1; i <= 5; i++) ring.push(i * 10, i);
    expect(ring.length).to.equal(3);
    expect(points(ring)).to.deep.equal([
      [30, 3],
      [40, 4],
      [50, 5],
    ]);
    expect(ring.last()).to.equal(5);
  });

  it('drops points older than a time, across the wrap-around', () => {
    const ring = new Ring(4);
    for (let i = 1; i <= 6; i++) ring.push(i, i);
    ring.dropBefore(5);
    expect(points(ring)).to.deep.equal([
      [5, 5],
      [6, 6],
    ]);
    ring.push(7, 7);
    ring.push(8, 8);
    ring.push(9, 9);
    expect(points(ring).map(([t]) => t)).to.deep.equal([6, 7, 8, 9]);
    ring.dropBefore(100);
    expect(ring.length).to.equal(0);
    ring.push(10, 1);
    expect(points(ring)).to.deep.equal([[10, 1]]);
  });

  it('resizes keeping the newest points', () => {
    const ring = new Ring(5);
    for (let i = 0; i < 5; i++) ring.push(i, i);
    expect(points(ring.resized(2))).to.deep.equal([
      [3, 3],
      [4, 4],
    ]);
    expect(ring.resized(10).length).to.equal(5);
  });

  it('stays bounded under a long stream', () => {
    const ring = new Ring(1000);
    for (let i = 0; i < 100_000; i++) ring.push(i, i);
    expect(ring.length).to.equal(1000);
    expect(ring.capacity).to.equal(1000);
    expect(ring.time(0)).to.equal(99_000);
  });
});

describe('SeriesSet', () => {
  it('aligns several series on the union of their times, in seconds', () => {
    const set = new SeriesSet(10);
    set.add('a', 'A', 1000, 1);
    set.add('b', 'B', 1000, 10);
    set.add('a', 'A', 2000, 2);
    set.add('b', 'B', 3000, 30);
    // `undefined` where a series has no point: uPlot spans it (a line joins 1 and 2 across it).
    expect(set.aligned().map((column) => Array.from(column))).to.deep.equal([
      [1, 2, 3],
      [1, 2, undefined],
      [10, undefined, 30],
    ]);
  });

  it('breaks every line where the connection was lost: null from its last point to its next', () => {
    const set = new SeriesSet(10);
    expect(set.breakAt(500), 'no point yet: nothing to break').to.be.false;
    set.add('a', 'A', 1000, 1);
    set.add('a', 'A', 2000, 2);
    expect(set.breakAt(2500)).to.be.true;
    expect(set.breakAt(2600), 'no point since the last break').to.be.false;
    // A break waits for a point after it: until then there is nothing to break.
    expect(set.aligned().map((column) => Array.from(column))).to.deep.equal([
      [1, 2],
      [1, 2],
    ]);
    set.add('a', 'A', 3000, 3);
    expect(set.aligned().map((column) => Array.from(column))).to.deep.equal([
      [1, 2, 2.5, 3],
      [1, 2, null, 3],
    ]);
    // Two series: the gap covers the other series' times next to the break (uPlot's gap then runs
    // from a line's last point to its next one).
    set.add('b', 'B', 3500, 30);
    set.breakAt(4000);
    set.add('a', 'A', 4500, 4);
    set.add('b', 'B', 5000, 50);
    expect(set.aligned().map((column) => Array.from(column))).to.deep.equal([
      [1, 2, 2.5, 3, 3.5, 4, 4.5, 5],
      [1, 2, null, 3, null, null, 4, undefined],
      [null, null, null, null, 30, null, null, 50],
    ]);
    // Breaks before the oldest point kept are forgotten.
    set.dropBefore(3200);
    expect(Array.from(set.aligned()[0])).to.deep.equal([3.5, 4, 4.5, 5]);
    set.clear();
    expect(set.breakAt(6000)).to.be.false;
  });

  it('gives one series its own columns, and refuses series beyond its limit', () => {
    const set = new SeriesSet(2, 1);
    set.add('a', 'A', 1000, 1);
    set.add('a', 'A', 2000, 2);
    set.add('a', 'A', 3000, 3);
    expect(set.add('b', 'B', 3000, 3)).to.be.false;
    expect(set.aligned().map((column) => Array.from(column))).to.deep.equal([
      [2, 3],
      [2, 3],
    ]);
    set.setCapacity(1);
    expect(set.list[0].ring.length).to.equal(1);
  });

  it('makes room for a new topic by dropping a series silent for a whole window', () => {
    const set = new SeriesSet(10, 2);
    set.add('a', 'a', 1000, 1);
    set.add('b', 'b', 2000, 2);
    expect(set.add('c', 'c', 3000, 3), 'no room while both have points').to.be.false;
    set.dropBefore(1500);
    expect(set.hasPoints).to.be.true;
    expect(set.add('c', 'c', 3000, 3), 'a is silent: it leaves').to.be.true;
    expect(set.evictions).to.equal(1);
    expect(set.list.map((series) => series.topic)).to.deep.equal(['b', 'c']);
    set.dropBefore(10_000);
    expect(set.hasPoints).to.be.false;
  });
});
