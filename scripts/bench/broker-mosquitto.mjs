// The bench's mosquitto, and the broker interface every bench broker has (scripts/bench/run.mjs):
// `{ name, url, clientUrl, publish, cpuSeconds, cpuNote, close }`, plus `stats` and `held(prefix)`
// where the broker can count for itself (aedes: scripts/bench/broker-aedes.mjs). mosquitto has no API
// for its subscriptions: the pages count SUBSCRIBE packets and SUBACKs on their own socket.
// The broker is Debian's mosquitto (apt-get install -y mosquitto), started from scripts/mosquitto.mjs
// with its pacer client (see spawnMosquitto); messages are published by a Node MQTT.js client over
// mosquitto's plain TCP listener.
// The pacer matters for the scenarios that wait on the broker's answers, not for streaming: measured
// with the pacer dropped (its client id taken over), one and two rounds, mosquitto 2.0.11, a busy
// 2-core machine: baseline fan-out cold 46 -> 142 ms and 62 -> 219 ms, warm 22 -> 130 ms and 27 ->
// 135 ms, churn 381 -> 700 ms and 545 -> 716 ms (the ~100 ms wake-ups of an idle loop), while ingest
// (7 100 vs 9 000 msg/s baseline, 4 400 vs 4 300 kit) and latency p50 (2.9 vs 2.9 ms) stayed within
// the noise: the publisher's own traffic keeps the loop awake. So it stays.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { freePort, mosquittoConfig, spawnMosquitto } from '../mosquitto.mjs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux). */
const TICKS = 100;

/**
 * @typedef {object} BenchBroker
 * @property {string} name
 * @property {string} url ws:// url for the page
 * @property {string} clientUrl url for a plain Node MQTT.js client (mosquitto: its TCP listener)
 * @property {(message: { topic: string, payload: string, qos?: 0 | 1 | 2 }) => void} publish
 *   fire and forget, in the order of the calls
 * @property {() => number} cpuSeconds CPU seconds (user + system) the broker's process has used
 * @property {string} cpuNote what cpuSeconds measures
 * @property {{ subscribePackets: number } | undefined} stats SUBSCRIBE packets the broker received
 * @property {((prefix: string) => number) | undefined} held subscriptions the broker holds under prefix
 * @property {() => Promise<void>} close
 */

/**
 * CPU seconds (utime + stime) that process `pid` has used, from /proc/<pid>/stat.
 * @param {number} pid
 * @returns {number}
 */
export function processCpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3,
  // utime field 14, stime field 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/**
 * Starts mosquitto on free loopback ports with a WebSocket listener for the page and a TCP listener
 * for the publisher (a Node MQTT.js client).
 * @returns {Promise<BenchBroker & { pid: number }>}
 */
/** `sysInterval`: seconds between mosquitto's $SYS counters (bench:tabs reads what it sent). */
export async function startMosquittoBench({ sysInterval } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-elements-bench-mosquitto-'));
  const mqttPort = await freePort();
  const wsPort = await freePort();
  const config = join(dir, 'mosquitto.conf');
  const lines = [...mosquittoConfig({ mqttPort, wsPort }), ...(sysInterval ? [`sys_interval ${sysInterval}`] : [])];
  writeFileSync(config, [...lines, ''].join('\n'));
  let broker;
  let publisher;
  try {
    broker = await spawnMosquitto(config, { mqttPort, wsPort, name: 'mosquitto (bench)' });
    publisher = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
      clientId: `bench-publisher-${process.pid}`,
      reconnectPeriod: 0,
    });
  } catch (error) {
    await broker?.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  publisher.on('error', () => {});
  return {
    name: 'mosquitto',
    pid: broker.pid,
    sysInterval,
    url: `ws://127.0.0.1:${wsPort}/mqtt`,
    clientUrl: `mqtt://127.0.0.1:${mqttPort}`,
    publish({ topic, payload, qos = 0 }) {
      publisher.publish(topic, payload, { qos });
    },
    cpuSeconds: () => processCpuSeconds(broker.pid),
    cpuNote: `the mosquitto process (pid ${broker.pid})`,
    stats: undefined,
    held: undefined,
    async close() {
      await publisher.endAsync().catch(() => {});
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
