import { expect } from '@open-wc/testing';
import { ReconnectPolicy } from '../src/session/reconnect-policy.js';
import { reconnectDelay } from '../src/session/session.js';

/** The delays of `count` attempts in a row, with the jitter fixed at `random`. */
function delays(policy: ReconnectPolicy, count: number): number[] {
  return Array.from({ length: count }, () => policy.nextDelay());
}

describe('ReconnectPolicy (pure, no timers, no socket)', () => {
  it('doubles the delay per attempt up to the longest period', () => {
    const policy = new ReconnectPolicy({ period: 1000, max: 30000, random: () => 1 });
    expect(delays(policy, 7)).to.deep.equal([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(policy.attempts).to.equal(7);
  });

  it('waits between half the ceiling and the ceiling (equal jitter)', () => {
    const low = new ReconnectPolicy({ period: 1000, max: 30000, random: () => 0 });
    expect(delays(low, 3)).to.deep.equal([500, 1000, 2000]);
    const mid = new ReconnectPolicy({ period: 1000, max: 30000, random: () => 0.5 });
    expect(delays(mid, 3)).to.deep.equal([750, 1500, 3000]);
    for (let attempt = 0; attempt < 40; attempt++) {
      const delay = reconnectDelay(attempt, 100, 5000);
      const ceiling = Math.min(5000, 100 * 2 ** attempt);
      expect(delay).to.be.within(ceiling / 2, ceiling);
    }
  });

  it('never goes below the first period, nor grows without bound when the longest is not finite', () => {
    expect(
      reconnectDelay(5, 2000, 500, () => 1),
      'max below the period'
    ).to.equal(2000);
    expect(
      reconnectDelay(100, 1000, Infinity, () => 1),
      'max infinite'
    ).to.equal(1000);
    expect(
      reconnectDelay(100, 1000, NaN, () => 1),
      'max not a number'
    ).to.equal(1000);
  });

  it('starts the back-off again after a connection that stayed up min(max, 10 s)', () => {
    const policy = new ReconnectPolicy({ period: 1000, max: 30000, random: () => 1 });
    delays(policy, 4);
    policy.connected(50_000);
    expect(policy.closed(59_999), 'up 9.999 s: not stable yet').to.equal(false);
    expect(policy.nextDelay(), 'the back-off goes on').to.equal(16000);
    policy.connected(100_000);
    policy.closed(110_000);
    expect(policy.attempts).to.equal(0);
    expect(policy.flaps).to.equal(0);
    expect(policy.nextDelay(), 'the back-off starts again').to.equal(1000);
  });

  it('counts as stable after the longest period when that is shorter than 10 s', () => {
    const policy = new ReconnectPolicy({ period: 100, max: 2000, random: () => 1 });
    delays(policy, 3);
    policy.connected(0);
    policy.closed(1999);
    expect(policy.attempts, 'up 1.999 s').to.equal(3);
    policy.connected(10_000);
    policy.closed(12_000);
    expect(policy.attempts, 'up 2 s').to.equal(0);
  });

  it('reports the third short-lived connection in a row, once', () => {
    const policy = new ReconnectPolicy({ period: 1000, max: 30000 });
    const reports: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      policy.connected(i * 1000);
      reports.push(policy.closed(i * 1000 + 200));
    }
    expect(reports).to.deep.equal([false, false, true, false, false]);
    expect(policy.flaps).to.equal(5);
  });

  it('forgets the flaps after a stable connection', () => {
    const policy = new ReconnectPolicy({ period: 1000, max: 30000 });
    policy.connected(0);
    policy.closed(100);
    policy.connected(1000);
    policy.closed(1100);
    policy.connected(2000);
    policy.closed(60_000);
    const reports: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      policy.connected(100_000 + i * 1000);
      reports.push(policy.closed(100_000 + i * 1000 + 100));
    }
    expect(reports, 'three new flaps are needed for a report').to.deep.equal([false, false, true]);
  });
});
