import { expect } from '@open-wc/testing';
import { Throttle } from '../src/lib/throttle.js';
import { sleep } from './helpers.js';

describe('Throttle (DOM-free, real timers)', () => {
  it('runs the first value at once, then the latest of a burst once per interval', async () => {
    const runs: { value: number; at: number }[] = [];
    const throttle = new Throttle<number>((value) => runs.push({ value, at: performance.now() }), 100);
    for (let i = 0; i < 50; i++) throttle.push(i);
    expect(
      runs.map((r) => r.value),
      'the leading edge'
    ).to.deep.equal([0]);
    expect(throttle.pending).to.be.true;
    await sleep(160);
    expect(
      runs.map((r) => r.value),
      'the latest wins at the end of the interval'
    ).to.deep.equal([0, 49]);
    expect(runs[1].at - runs[0].at).to.be.at.least(95);
    expect(throttle.pending).to.be.false;
  });

  it('flushes the waiting value at once, or drops it on cancel', async () => {
    const runs: string[] = [];
    const throttle = new Throttle<string>((value) => runs.push(value), 1000);
    throttle.push('a');
    throttle.push('b');
    throttle.flush();
    expect(runs).to.deep.equal(['a', 'b']);
    throttle.push('c');
    throttle.cancel();
    await sleep(50);
    expect(runs).to.deep.equal(['a', 'b']);
  });

  it('starts the interval again after a run outside it, and forgets it on forget()', async () => {
    const runs: number[] = [];
    const throttle = new Throttle<number>((value) => runs.push(value), 1000);
    throttle.ranNow();
    throttle.push(1);
    expect(runs, 'waits: something ran just now').to.deep.equal([]);
    throttle.cancel();
    throttle.forget();
    throttle.push(2);
    expect(runs).to.deep.equal([2]);
  });

  it('with interval 0 runs every value at once', () => {
    const runs: number[] = [];
    const throttle = new Throttle<number>((value) => runs.push(value));
    for (let i = 0; i < 3; i++) throttle.push(i);
    expect(runs).to.deep.equal([0, 1, 2]);
  });
});
