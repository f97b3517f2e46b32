// A broker arrangement with more than one node, for the failover tests (test/cluster.test.ts, through
// scripts/mosquitto-plugin.mjs) and `npm run bench:connections`: two anonymous mosquitto nodes, each
// with a plain MQTT listener and a WebSocket listener at ws://127.0.0.1:PORT/mqtt, bridged so that a
// message published on either node reaches the subscribers of both, exactly once.
//
// One bridge carries both directions: node 1 connects to node 0 (`topic # both 0`). Two bridges (one
// each way) would loop: a message coming in over one bridge is not a message "from" the other, so it
// goes out again. With `try_private` (the default) node 0 knows the bridge is a bridge and does not
// send node 1's messages back to it. The bridge is QoS 0 with a clean session: what crosses it while
// a node is down is lost (the tests count at the node they publish to). Topics starting with `$`
// (such as $SYS) are not bridged.
//
// Either node can be killed (SIGKILL, a crash) and started again on the same ports from the same
// config; node 1's bridge retries every second (`restart_timeout 1 1`) and start() resolves once
// messages cross the bridge both ways again (about 2 s after node 0 restarts, 0.3 s for node 1).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, connectAsync } from 'mqtt';
import { freePort, mosquittoConfig, spawnMosquitto } from './mosquitto.mjs';

/** How long start() and whole() wait for the bridge to carry messages both ways. */
const BRIDGE_TIMEOUT = 10000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let ids = 0;
/** A client id no other client of this process uses. */
const clientId = (role) => `cluster-${role}-${process.pid}-${(ids++).toString(36)}`;

/** The config lines of the bridge from node 1 to node 0 (`remote`: node 0's plain MQTT port). */
function bridgeConfig(remote) {
  return [
    'connection cluster-bridge',
    `address 127.0.0.1:${remote}`,
    'remote_clientid cluster-bridge-node1',
    'bridge_protocol_version mqttv311',
    // Both directions on one connection. try_private (the default) tells node 0 that this client is
    // a bridge, so that it does not send back what the bridge published: no loop, no duplicates.
    'topic # both 0',
    'try_private true',
    'cleansession true',
    // Retry a lost bridge every second. Not `restart_timeout 1`: mosquitto 2.0.11 keeps its default
    // back-off (5 s, up to 30 s) under a single value (measured: the bridge came back after 5.8 s);
    // base 1 with cap 1 retries after 1 to 2 s (it counts whole seconds).
    'restart_timeout 1 1',
    'keepalive_interval 5',
    // No retained state messages under $SYS/broker/connection/: nothing the tests need.
    'notifications false',
  ];
}

/**
 * Starts two mosquitto nodes bridged both ways and resolves once the bridge carries messages both
 * ways. Returns:
 * - `urls`: the WebSocket urls, `[node 0, node 1]`; `mqttUrls`: their plain MQTT urls;
 * - `stop(node, signal = 'SIGKILL')`: kills a node, resolves once it has exited;
 * - `start(node)`: starts a stopped node again (same ports, same config) and resolves once the
 *   cluster is whole; `whole()`: resolves once the bridge carries messages both ways;
 * - `running(node)`: whether the node's process runs;
 * - `record(node, filter)`, `stream(node, topic, options)`, `publish(node, topic, payload, options)`:
 *   plain MQTT.js clients in Node on one node (see {@link recorder} and {@link streamer});
 * - `close()`: ends those clients, stops both nodes and removes the configs.
 */
export async function startMosquittoCluster() {
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-elements-cluster-'));
  const nodes = [];
  for (let index = 0; index < 2; index++) {
    nodes.push({ index, mqttPort: await freePort(), wsPort: await freePort(), config: join(dir, `node${index}.conf`) });
  }
  for (const node of nodes) {
    const bridge = node.index === 1 ? bridgeConfig(nodes[0].mqttPort) : [];
    writeFileSync(node.config, [...mosquittoConfig(node), ...bridge, ''].join('\n'));
  }
  const mqttUrls = nodes.map((node) => `mqtt://127.0.0.1:${node.mqttPort}`);
  /** Clients opened by record() and stream(), ended by close(). */
  const clients = new Set();

  const nodeAt = (index) => {
    const node = nodes[index];
    if (!node) throw new Error(`no cluster node ${index}: there are nodes 0 and 1`);
    return node;
  };
  /** Keeps `client` until it is stopped, so that close() can stop it. */
  const own = (client) => {
    const stop = client.stop;
    client.stop = () => {
      clients.delete(client);
      return stop();
    };
    clients.add(client);
    return client;
  };
  const running = (index) => Boolean(nodeAt(index).process && !nodeAt(index).process.exited);
  const spawnNode = async (node) => {
    node.process = await spawnMosquitto(node.config, { ...node, name: `mosquitto cluster node ${node.index}` });
  };

  const cluster = {
    urls: nodes.map((node) => `ws://127.0.0.1:${node.wsPort}/mqtt`),
    mqttUrls,
    running,
    async stop(index, signal = 'SIGKILL') {
      const node = nodeAt(index);
      await node.process?.stop(signal);
    },
    async start(index) {
      const node = nodeAt(index);
      if (!running(index)) await spawnNode(node);
      await cluster.whole();
    },
    whole: () => waitForBridge(mqttUrls, Date.now() + BRIDGE_TIMEOUT),
    record: async (index, filter) => own(await recorder(mqttUrls[nodeAt(index).index], filter)),
    stream: (index, topic, options) => own(streamer(mqttUrls[nodeAt(index).index], topic, options)),
    async publish(index, topic, payload, options) {
      const client = await connectAsync(mqttUrls[nodeAt(index).index], { clientId: clientId('publish') });
      await client.publishAsync(topic, payload, options);
      await client.endAsync();
    },
    async close() {
      await Promise.all([...clients].map((client) => client.stop()));
      await Promise.all(nodes.map((node) => node.process?.stop('SIGTERM')));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    for (const node of nodes) await spawnNode(node);
    await cluster.whole();
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return cluster;
}

/**
 * Resolves once a probe published on each node reaches a subscriber on the other (both directions:
 * node 1's bridge is connected and subscribed on node 0). Publishes a probe every 100 ms until it
 * is seen; throws at `deadline`.
 */
export async function waitForBridge(mqttUrls, deadline) {
  const topic = `cluster-probe/${clientId('probe')}`;
  const clients = [];
  try {
    for (const url of mqttUrls) {
      const client = await connectAsync(url, { clientId: clientId('probe'), reconnectPeriod: 100 });
      client.on('error', () => {});
      await client.subscribeAsync(`${topic}/#`);
      clients.push(client);
    }
    for (const [from, to] of [
      [0, 1],
      [1, 0],
    ]) {
      let seen = false;
      const listener = (received) => (seen ||= received === `${topic}/${from}`);
      clients[to].on('message', listener);
      while (!seen) {
        if (Date.now() > deadline) throw new Error(`the cluster's bridge carries nothing from node ${from} to ${to}`);
        clients[from].publish(`${topic}/${from}`, 'probe');
        await sleep(100);
      }
      clients[to].off('message', listener);
    }
  } finally {
    await Promise.all(clients.map((client) => client.endAsync(true)));
  }
}

/**
 * A plain MQTT.js client subscribed to `filter` (QoS 1) on `url`, collecting the payloads (text) in
 * arrival order: `payloads`. Resolves once the broker granted the subscription; reconnects and
 * subscribes again if its node restarts. `stop()` ends it.
 */
export async function recorder(url, filter) {
  const client = await connectAsync(url, { clientId: clientId('record'), reconnectPeriod: 200 });
  client.on('error', () => {});
  const payloads = [];
  client.on('message', (_topic, payload) => payloads.push(payload.toString()));
  await client.subscribeAsync(filter, { qos: 1 });
  return { filter, payloads, stop: () => client.endAsync(true) };
}

/**
 * A plain MQTT.js client that publishes a counter (`from`, `from + 1`, …, as text) on `topic` at
 * `url` every `every` ms, at `qos` (default 0), while connected (nothing is queued while its node is
 * down; it reconnects when the node is back). `last` is the last number sent; `stop()` ends it.
 */
export function streamer(url, topic, { every = 50, from = 1, qos = 0 } = {}) {
  // Not connectAsync: the streamer starts at once and publishes once connected.
  const client = connect(url, { clientId: clientId('stream'), reconnectPeriod: 200, queueQoSZero: false });
  client.on('error', () => {});
  let next = from;
  const timer = setInterval(() => {
    if (!client.connected) return;
    client.publish(topic, String(next++), { qos });
  }, every);
  return {
    topic,
    get last() {
      return next - 1;
    },
    stop() {
      clearInterval(timer);
      return client.endAsync(true);
    },
  };
}
