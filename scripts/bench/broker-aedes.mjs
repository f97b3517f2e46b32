// The bench's aedes: the project's embedded broker (scripts/broker.mjs) behind the broker interface
// of scripts/bench/broker-mosquitto.mjs. It runs in the bench's own Node process, so its CPU time is
// that process's (process.cpuUsage), which also holds the bench's driver: an upper bound.
import { startBroker } from '../broker.mjs';

/**
 * Starts aedes on a free loopback port for the bench.
 * @returns {Promise<import('./broker-mosquitto.mjs').BenchBroker>} the broker, with the extras only
 * aedes can give: `stats.subscribePackets` and `held(prefix)`, counted by the broker itself, which the
 * bench uses to cross-check the page's own counts.
 */
export async function startAedesBench() {
  const broker = await startBroker({ ipv6: false });
  return {
    name: 'aedes',
    url: broker.url,
    clientUrl: broker.url,
    publish({ topic, payload, qos = 0 }) {
      broker.publish({ topic, payload, qos }).catch(() => {});
    },
    cpuSeconds() {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1e6;
    },
    cpuNote: 'in-process: the whole bench process (driver and publisher too)',
    stats: broker.stats,
    held: (prefix) => broker.subscriptions(prefix).length,
    close: () => broker.close(),
  };
}
