// npm run bench:soak: 1 000 000 messages through the demo dashboard (demo/index.html: values, four
// charts, the log, the controls' states), in headless Chromium with the built bundles (`npm run
// build` first). The page is served as demo/server.mjs serves it (demo/ and dist/, its broker url
// rewritten), but pointing at mosquitto (scripts/mosquitto.mjs) instead of the demo's embedded aedes,
// and the messages come from a Node MQTT.js client on mosquitto's TCP listener: the topics and
// payloads of demo/simulator.mjs (the three rooms' climate JSON and the power meter, round-robin;
// every 1000th a device state or the house status). No simulator runs.
// Publishing is paced at SOAK_RATE msg/s (default 5000) and never more than SOAK_AHEAD (default
// 5000) ahead of what the page has received (counted by an `mqtt-message` listener on the
// <mqtt-log>, which subscribes to home/#): the rate achieved is what the page sustains.
// Every SOAK_SAMPLE_EVERY messages (default 100 000, or a tenth of a shorter run) it pauses until the
// page has them all, lets it settle, forces a GC and samples the JS heap (gc() + performance.memory
// with --enable-precise-memory-info; and CDP HeapProfiler.collectGarbage + Runtime.getHeapUsage),
// DOM nodes (CDP Performance.getMetrics: Nodes, JSEventListeners) and the elements in the document
// and every shadow root. "before" is after a warm-up of SOAK_WARMUP messages (default 10 000).
// Prints the series, the growth and messages/s; asserts nothing (exits non-zero if a run fails).
//   SOAK_MESSAGES=200000 npm run bench:soak
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAsync } from 'mqtt';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';
import { startMosquitto } from '../mosquitto.mjs';
import { selected } from './select.mjs';

// `npm run bench` runs this after run.mjs: not when BENCH_SCENARIOS names other parts only.
if (!selected('soak')) process.exit(0);

const root = fileURLToPath(new URL('../..', import.meta.url));
const MESSAGES = Number(process.env.SOAK_MESSAGES ?? 1_000_000);
const RATE = Number(process.env.SOAK_RATE ?? 5000);
const AHEAD = Number(process.env.SOAK_AHEAD ?? 5000);
const EVERY = Number(process.env.SOAK_SAMPLE_EVERY ?? Math.min(100_000, Math.ceil(MESSAGES / 10)));
const WARMUP = Number(process.env.SOAK_WARMUP ?? 10_000);
/** The broker url written in the demo pages (demo/server.mjs rewrites it the same way). */
const DEMO_URL = 'ws://localhost:8083/mqtt';

for (const file of ['dist/mqtt-elements.min.js', 'dist/mqtt-elements-chart.min.js', 'demo/index.html'])
  if (!existsSync(join(root, file))) {
    console.error(`${file} is missing${file.startsWith('dist') ? ': run npm run build first' : ''}.`);
    process.exit(1);
  }

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// ---------------------------------------------------------------------------------------------
// Broker, pages, browser, publisher

const broker = await startMosquitto();
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.map': 'application/json',
};
/** demo/ and dist/ only, as demo/server.mjs serves them; pages point at mosquitto's WebSocket listener. */
const files = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = normalize(join(root, path));
  if (!file.startsWith(root) || !['demo', 'dist'].includes(file.slice(root.length).split(sep)[0]))
    return res.writeHead(404).end();
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) return res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  const body =
    extname(file) === '.html' ? readFileSync(file, 'utf8').replaceAll(DEMO_URL, broker.url) : readFileSync(file);
  res.writeHead(200, { 'content-type': type }).end(body);
});
await new Promise((resolve) => files.listen(0, '127.0.0.1', resolve));
const publisher = await connectAsync(broker.mqttUrl, { clientId: `bench-soak-${process.pid}` });
const browser = await puppeteer.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'],
});

// ---------------------------------------------------------------------------------------------
// The simulator's topics and payloads

const ROOMS = [
  { id: 'kitchen', celsius: 21.5, humidity: 48 },
  { id: 'living-room', celsius: 20.4, humidity: 44 },
  { id: 'bedroom', celsius: 18.9, humidity: 52 },
];
const drift = (value, step, min, max) => Math.min(max, Math.max(min, value + (Math.random() - 0.5) * step));
let watts = 1400;
let states = 0;
/** The states and the status the dashboard shows, retained as the simulator publishes them. */
const STATES = [
  () => ['home/lamp/state', states % 2 ? 'on' : 'off'],
  () => ['home/kitchen-lamp/state', states % 3 ? 'off' : 'on'],
  () => ['home/fan/state', states % 2 ? 'off' : 'on'],
  () => ['home/dimmer/state', String((states * 5) % 105)],
  () => ['home/thermostat/state', JSON.stringify({ setpoint: 18 + (states % 8), mode: 'heat' })],
  () => ['home/boiler/state', states % 2 ? 'running' : 'restarting'],
  () => ['home/status', JSON.stringify({ online: true, since: new Date().toISOString(), devices: 9 })],
];
/** The `i`th message: [topic, payload, retain]. */
function message(i) {
  if (i % 1000 === 999) {
    const [topic, payload] = STATES[states++ % STATES.length]();
    return [topic, payload, true];
  }
  const room = ROOMS[i % 4];
  if (!room) {
    watts = drift(watts, 60, 150, 2500);
    return ['home/power/watts', String(Math.round(watts)), false];
  }
  room.celsius = drift(room.celsius, 0.3, 16, 26);
  room.humidity = drift(room.humidity, 1.5, 30, 70);
  const climate = {
    celsius: Number(room.celsius.toFixed(2)),
    humidity: Number(room.humidity.toFixed(1)),
    at: Date.now(),
  };
  return [`home/${room.id}/climate`, JSON.stringify(climate), false];
}

// ---------------------------------------------------------------------------------------------
// Feeding and sampling

let page;
let session;
let published = 0;
/** What the page has received (every message reaches the log's home/#). */
const received = () => page.evaluate(() => window.soakReceived);

/** Resolves once the page has received everything published (or throws after `timeout` ms). */
async function drained(timeout = 60000) {
  const deadline = Date.now() + timeout;
  let got;
  while ((got = await received()) < published) {
    if (Date.now() > deadline) throw new Error(`the page received ${got} of ${published} messages`);
    await sleep(20);
  }
}

/**
 * Publishes `count` messages at up to RATE msg/s (no catching up after a stall beyond 50 ms of
 * credit) and at most AHEAD ahead of the page; resolves once the page has them all. Returns the
 * seconds it took.
 */
async function publish(count) {
  const started = performance.now();
  const end = published + count;
  let credit = 0;
  let last = started;
  let seen = await received();
  let polled = started;
  while (published < end) {
    const now = performance.now();
    credit = Math.min(credit + ((now - last) * RATE) / 1000, RATE * 0.05);
    last = now;
    if (now - polled >= 25) {
      seen = await received();
      polled = now;
    }
    const batch = Math.min(Math.floor(credit), end - published, seen + AHEAD - published);
    for (let i = 0; i < batch; i++) {
      const [topic, payload, retain] = message(published++);
      publisher.publish(topic, payload, { retain });
    }
    credit -= Math.max(0, batch);
    await sleep(batch > 0 ? 2 : 5);
  }
  await drained();
  return (performance.now() - started) / 1000;
}

/** The elements in `document` and in every shadow root below it (page side). */
function countElements() {
  const count = (node) =>
    [...node.querySelectorAll('*')].reduce((n, el) => n + 1 + (el.shadowRoot ? count(el.shadowRoot) : 0), 0);
  return count(document);
}

/** After a forced GC: the JS heap (two readings), DOM nodes, event listeners, elements. */
async function sample() {
  await sleep(500);
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  const heap = await page.evaluate(() => {
    window.gc();
    window.gc();
    return performance.memory.usedJSHeapSize;
  });
  const { metrics } = await session.send('Performance.getMetrics');
  const metric = (name) => metrics.find((m) => m.name === name)?.value;
  const elements = await page.evaluate(countElements);
  return { heap, cdpHeap: usedSize, nodes: metric('Nodes'), listeners: metric('JSEventListeners'), elements };
}

// ---------------------------------------------------------------------------------------------
// Run

console.log(`load average at start: ${load()} (${cpus().length} cores; other work on the machine adds noise)`);
const rows = [];
const print = (label, s, extra = '') =>
  console.log(
    `${label.padEnd(12)}${(s.heap / 1048576).toFixed(3).padStart(10)}${(s.cdpHeap / 1048576).toFixed(3).padStart(10)}${String(s.nodes).padStart(8)}${String(s.elements).padStart(10)}${String(s.listeners).padStart(11)}   ${extra}`
  );
try {
  // The retained states and status first, as the simulator's start publishes them.
  for (let i = 0; i < STATES.length; i++) {
    const [topic, payload] = STATES[i]();
    publisher.publish(topic, payload, { retain: true });
  }
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 1400 });
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.evaluateOnNewDocument(() => {
    window.soakReceived = 0;
    document.addEventListener(
      'mqtt-message',
      (event) => event.target.localName === 'mqtt-log' && window.soakReceived++,
      true
    );
  });
  await page.goto(`http://127.0.0.1:${files.address().port}/demo/`);
  await page.waitForFunction(() => document.querySelector('mqtt-log')?.message, { timeout: 15000 });
  // The retained messages the log got on subscribing are not the soak's.
  await page.evaluate(() => (window.soakReceived = 0));
  session = await page.createCDPSession();
  await session.send('Performance.enable');
  console.log(
    `\nsoak: ${MESSAGES} messages through demo/index.html via mosquitto; at most ${RATE} msg/s, ${AHEAD} ahead of the page`
  );
  console.log(
    `${'after'.padEnd(12)}${'heap MB'.padStart(10)}${'CDP MB'.padStart(10)}${'nodes'.padStart(8)}${'elements'.padStart(10)}${'listeners'.padStart(11)}   msg/s over the block`
  );
  print('loaded', await sample());
  const warm = await publish(WARMUP);
  const before = await sample();
  print('warm-up', before, `${Math.round(WARMUP / warm)} (${WARMUP} messages, not counted below)`);
  published = 0;
  await page.evaluate(() => (window.soakReceived = 0));
  const started = performance.now();
  let publishing = 0;
  while (published < MESSAGES) {
    const count = Math.min(EVERY, MESSAGES - published);
    const seconds = await publish(count);
    publishing += seconds;
    const s = await sample();
    rows.push(s);
    print(String(published), s, `${Math.round(count / seconds)}`);
  }
  const wall = (performance.now() - started) / 1000;
  const after = rows[rows.length - 1];
  const heaps = rows.map((r) => r.heap);
  console.log(`\nreceived ${await received()} of ${published} messages`);
  console.log(
    `messages/s: ${Math.round(published / publishing)} while publishing (${publishing.toFixed(1)} s); ${Math.round(published / wall)} over the whole run with the samples (${wall.toFixed(1)} s)`
  );
  console.log(
    `heap growth (before → after, forced GC): ${((after.heap - before.heap) / 1024).toFixed(0)} KB (performance.memory), ${((after.cdpHeap - before.cdpHeap) / 1024).toFixed(0)} KB (CDP); first sample → after ${((after.heap - rows[0].heap) / 1024).toFixed(0)} KB; samples span ${((Math.max(...heaps) - Math.min(...heaps)) / 1024).toFixed(0)} KB`
  );
  console.log(
    `DOM nodes: ${before.nodes} → ${after.nodes} (CDP Nodes), elements in document + shadow roots ${before.elements} → ${after.elements}, listeners ${before.listeners} → ${after.listeners}`
  );
  const version = await browser.version();
  console.log(`\n${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${version}, mosquitto`);
  console.log(`load average at the end: ${load()}`);
} finally {
  await browser.close();
  await publisher.endAsync();
  await broker.close();
  files.close();
}
