// The web-test-runner plugin for mosquitto: browser tests start brokers through
// `executeServerCommand` (see test/helpers.ts and test/mosquitto.ts).
// Commands: `mosquitto-start` (one broker per variant); for the failover tests, the bridged pair of
// scripts/mosquitto-cluster.mjs: `mosquitto-cluster-start`, `mosquitto-node-stop`,
// `mosquitto-node-start`, `mosquitto-cluster-record`/`-recorded` (count at a node what pages
// published), `mosquitto-cluster-stream`/`-stream-stop` (a counter published by a node-side
// client), `mosquitto-cluster-publish` and `mosquitto-cluster-reset`; `mosquitto-publish` (many
// messages at once into the anonymous broker, from a Node-side client).
import { connectAsync } from 'mqtt';
import { startMosquittoCluster } from './mosquitto-cluster.mjs';
import { createCertificate, startMosquitto } from './mosquitto.mjs';

/**
 * The certificate of the `tls` variant. It is made when the test config is loaded, because the
 * browser has to be told to trust it when it launches.
 */
let certificate;
/** Why the certificate could not be made (openssl missing): the `tls` variant fails with it. */
let certificateError;

function removeCertificate() {
  certificate?.remove();
  certificate = undefined;
}

/**
 * Extra Chromium flags the mosquitto tests need: trust the self-signed certificate of the `tls`
 * variant, in the test browser only, by the hash of its public key. Makes the certificate.
 */
export function browserArgs() {
  if (!certificate && !certificateError) {
    try {
      certificate = createCertificate();
      process.once('exit', removeCertificate);
    } catch (error) {
      certificateError = error;
      console.warn(`mosquitto-plugin: the wss:// tests will fail: ${error.message}`);
    }
  }
  return certificate ? [`--ignore-certificate-errors-spki-list=${certificate.spki}`] : [];
}

/**
 * Command `mosquitto-start {variant?}`: starts (once for the run) the mosquitto of a variant,
 * `anonymous` (the default), `password`, `tls` (trusted by the test browser) or `untrusted-tls`, and
 * returns `{ url, username?, password? }`.
 *
 * Command `mosquitto-publish {topic, payload, count = 1, qos, retain}`: a Node-side client of the
 * anonymous broker publishes `count` messages at once, in order (`{i}` in topic or payload is the
 * index), and resolves once it has written them all. aedes takes about a millisecond a message when
 * the test broker publishes them one by one (`broker-publish`); this gives a page 10 000 topics in
 * well under a second.
 *
 * The cluster commands (nodes are 0 and 1; the cluster starts once for the run, with the first):
 * - `mosquitto-cluster-start` → `{ urls, mqttUrls }`, once every node runs and the bridge works;
 * - `mosquitto-node-stop {node}`: kill -9, resolves once the process has exited;
 * - `mosquitto-node-start {node}`: starts it again on its ports, resolves once the bridge carries
 *   messages both ways;
 * - `mosquitto-cluster-record {topic, node}`: a Node-side client subscribed to `topic` (a filter)
 *   at `node` collects payloads, from when this resolves; `mosquitto-cluster-recorded {topic, node}`
 *   → them;
 * - `mosquitto-cluster-stream {topic, node, every = 50, from = 1}`: a Node-side client publishes
 *   `from`, `from + 1`, … on `topic` at `node` every `every` ms; `mosquitto-cluster-stream-stop
 *   {topic}` ends it and returns `{ last }`, the last number sent;
 * - `mosquitto-cluster-publish {topic, node, payload, qos}`: one message, from a Node-side client;
 * - `mosquitto-cluster-reset`: ends every recorder and stream, starts any stopped node, waits for
 *   the bridge (for an `afterEach`).
 */
export function mosquittoPlugin() {
  /** @type {Map<string, Promise<Awaited<ReturnType<typeof startMosquitto>>>>} */
  const brokers = new Map();
  /** @type {Promise<Awaited<ReturnType<typeof startMosquittoCluster>>> | undefined} */
  let cluster;
  /** Node-side recorders of the cluster, by node and topic, and streams, by topic. */
  const recorders = new Map();
  const streams = new Map();
  /** The Node-side client of `mosquitto-publish`, connected on first use. */
  let publisher;

  /** The cluster, started on first use (a killed node stays down). */
  function getCluster() {
    if (!cluster) {
      cluster = startMosquittoCluster();
      cluster.catch(() => (cluster = undefined));
    }
    return cluster;
  }

  /** The cluster, whole: any killed node started again. */
  async function startCluster() {
    const running = await getCluster();
    for (const node of [0, 1]) if (!running.running(node)) await running.start(node);
    return running;
  }

  async function stopClients(clients) {
    const ending = [...clients.values()];
    clients.clear();
    await Promise.all(ending.map((client) => client.stop()));
  }

  function start(variant) {
    if (variant === 'tls' && !certificate) {
      throw (
        certificateError ??
        new Error('No certificate for the browser to trust: spread browserArgs() into the Chromium args.')
      );
    }
    let broker = brokers.get(variant);
    if (!broker) {
      // `untrusted-tls`: wss:// with a certificate of its own, which the browser does not trust.
      broker =
        variant === 'untrusted-tls' ? startMosquitto({ variant: 'tls' }) : startMosquitto({ variant, certificate });
      brokers.set(variant, broker);
      broker.catch(() => brokers.delete(variant));
    }
    return broker;
  }

  const commands = {
    'mosquitto-start': async ({ variant = 'anonymous' } = {}) => {
      const { url, username, password } = await start(variant);
      return { url, username, password };
    },
    'mosquitto-publish': async ({ topic, payload = '', count = 1, qos = 0, retain = false }) => {
      publisher ??= start('anonymous').then(({ mqttUrl }) =>
        connectAsync(mqttUrl, { clientId: `test-publisher-${process.pid}`, reconnectPeriod: 0 })
      );
      const client = await publisher;
      // In chunks: MQTT.js waits for the socket's drain with one listener per message held.
      for (let from = 0; from < count; from += 500) {
        const sent = [];
        for (let i = from; i < Math.min(count, from + 500); i++) {
          const name = topic.replaceAll('{i}', String(i));
          sent.push(client.publishAsync(name, payload.replaceAll('{i}', String(i)), { qos, retain }));
        }
        await Promise.all(sent);
      }
      return count;
    },
    'mosquitto-cluster-start': async () => {
      const { urls, mqttUrls } = await startCluster();
      return { urls, mqttUrls };
    },
    'mosquitto-node-stop': async ({ node }) => {
      await (await getCluster()).stop(node);
      return true;
    },
    'mosquitto-node-start': async ({ node }) => {
      await (await getCluster()).start(node);
      return true;
    },
    'mosquitto-cluster-record': async ({ topic, node = 0 }) => {
      await recorders.get(`${node} ${topic}`)?.stop();
      recorders.set(`${node} ${topic}`, await (await getCluster()).record(node, topic));
      return true;
    },
    'mosquitto-cluster-recorded': ({ topic, node = 0 }) => recorders.get(`${node} ${topic}`)?.payloads ?? [],
    'mosquitto-cluster-stream': async ({ topic, node = 0, every = 50, from = 1 }) => {
      await streams.get(topic)?.stop();
      streams.set(topic, (await getCluster()).stream(node, topic, { every, from }));
      return true;
    },
    'mosquitto-cluster-stream-stop': async ({ topic }) => {
      const stream = streams.get(topic);
      streams.delete(topic);
      await stream?.stop();
      return { last: stream?.last ?? 0 };
    },
    'mosquitto-cluster-publish': async ({ topic, node = 0, payload = '', qos = 0 }) => {
      await (await getCluster()).publish(node, topic, payload, { qos });
      return true;
    },
    'mosquitto-cluster-reset': async () => {
      await Promise.all([stopClients(recorders), stopClients(streams)]);
      if (cluster) await startCluster();
      return true;
    },
  };
  return {
    name: 'mosquitto',
    async serverStop() {
      await (await publisher?.catch(() => undefined))?.endAsync();
      publisher = undefined;
      const running = [...brokers.values()];
      brokers.clear();
      await Promise.all(running.map(async (broker) => (await broker.catch(() => undefined))?.close()));
      const bridged = cluster;
      cluster = undefined;
      recorders.clear();
      streams.clear();
      // close() ends the recorders and streams too.
      await (await bridged?.catch(() => undefined))?.close();
      removeCertificate();
    },
    async executeCommand({ command, payload }) {
      const run = commands[command];
      return run ? await run(payload ?? {}) : undefined;
    },
  };
}
