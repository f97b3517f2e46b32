// Is the broker the bottleneck? The bench's publish loop (shared with the ingest scenario of
// scripts/bench/run.mjs) and the delivery rate of a broker to a plain Node MQTT.js subscriber.
import { connectAsync } from 'mqtt';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Publishes `count` messages round-robin on `topics` (payload: the message's index), yielding to the
 * event loop every 500 messages so that the publisher's socket (or aedes) gets to write.
 * @param {import('./broker-mosquitto.mjs').BenchBroker} broker
 * @param {string[]} topics
 * @param {number} count
 * @returns {Promise<string[]>} the last payload published on each topic
 */
export async function publishRoundRobin(broker, topics, count) {
  const last = topics.map(() => '');
  for (let i = 0; i < count; i++) {
    const topic = i % topics.length;
    last[topic] = String(i);
    broker.publish({ topic: topics[topic], payload: last[topic] });
    if (i % 500 === 499) await sleep(0);
  }
  return last;
}

/**
 * The rate at which `broker` delivers `count` messages (published with {@link publishRoundRobin} on
 * `topics`, under `prefix`) to a plain Node MQTT.js client subscribed to `prefix/#` at `url`: messages
 * received over the seconds from the first publish to the last message. Stops waiting 2 s after the
 * last message if some never arrive.
 * @param {import('./broker-mosquitto.mjs').BenchBroker} broker
 * @param {{ prefix: string, topics: number, count: number, url?: string }} options
 * @returns {Promise<{ rate: number, received: number, url: string }>}
 */
export async function deliveryRate(broker, { prefix, topics, count, url = broker.clientUrl }) {
  const client = await connectAsync(url, { clientId: `bench-check-${process.pid}-${Date.now()}`, reconnectPeriod: 0 });
  try {
    await client.subscribeAsync(`${prefix}/#`);
    let received = 0;
    let lastAt = 0;
    client.on('message', () => {
      received++;
      lastAt = performance.now();
    });
    const list = Array.from({ length: topics }, (_, i) => `${prefix}/${i}`);
    const started = performance.now();
    await publishRoundRobin(broker, list, count);
    while (received < count && performance.now() - Math.max(lastAt, started) < 2000) await sleep(5);
    return { rate: received / ((lastAt - started) / 1000), received, url };
  } finally {
    await client.endAsync(true).catch(() => {});
  }
}

/**
 * Measures the CPU share (of one core) of `broker` while `work` runs.
 * @template T
 * @param {import('./broker-mosquitto.mjs').BenchBroker} broker
 * @param {() => Promise<T>} work
 * @returns {Promise<{ result: T, share: number }>} share: CPU seconds over wall seconds (1 = one core)
 */
export async function cpuShare(broker, work) {
  const cpu = broker.cpuSeconds();
  const started = performance.now();
  const result = await work();
  const wall = (performance.now() - started) / 1000;
  return { result, share: (broker.cpuSeconds() - cpu) / wall };
}
