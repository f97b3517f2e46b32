// npm run bench: the kit against plain MQTT.js (the guides' pattern), side by side in one run.
// Starts aedes and a static server, drives headless Chromium (bench/kit.html, bench/baseline.html),
// alternates kit and baseline over several rounds, prints medians, spreads and kit/baseline
// ratios, and writes the figures as JSON (bench/results/<commit>.json) for comparison across
// commits. Needs `npm run build` first (dist/mqtt-elements.min.js).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import puppeteer from 'puppeteer-core';
import { startBroker } from '../broker.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const INGEST_TOPICS = 100;
const INGEST_MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20000);
const LATENCY_RATE = 1000;
const LATENCY_SECONDS = 3;
const FAN_OUT = 1000;
const CHURN = 10000;

if (!existsSync(join(root, 'dist/mqtt-elements.min.js'))) {
  console.error('dist/mqtt-elements.min.js is missing: run npm run build first.');
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Servers and browser

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.map': 'application/json',
};
const files = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(root, path);
  if (!file.startsWith(root) || !existsSync(file)) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((resolve) => files.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${files.address().port}`;
const broker = await startBroker({ ipv6: false });
const browser = await puppeteer.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'],
});

async function open(variant) {
  const page = await browser.newPage();
  await page.goto(`${origin}/bench/${variant}.html`);
  await page.waitForFunction(() => window.bench);
  await page.evaluate((url) => window.bench.connect(url), broker.url);
  return page;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let run = 0;
const prefix = (name) => `bench/${Date.now().toString(36)}-${run++}/${name}`;

async function until(check, timeout = 60000) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios: each opens a fresh page, returns figures (higher- or lower-is-better noted in REPORT)

async function ingest(variant) {
  const page = await open(variant);
  const base = prefix('ingest');
  const topics = Array.from({ length: INGEST_TOPICS }, (_, i) => `${base}/${i}`);
  await page.evaluate((t) => window.bench.ingestSetup(t), topics);
  await until(() => broker.subscriptions(base).length === INGEST_TOPICS);
  const last = topics.map(() => '');
  const started = performance.now();
  for (let i = 0; i < INGEST_MESSAGES; i++) {
    const topic = i % INGEST_TOPICS;
    last[topic] = String(i);
    broker.publish({ topic: topics[topic], payload: last[topic] });
    if (i % 500 === 499) await sleep(0);
  }
  await until(() => page.evaluate((l) => window.bench.ingestDone(l), last));
  const seconds = (performance.now() - started) / 1000;
  const { longTasks, writes } = await page.evaluate(() => window.bench.counters());
  await page.close();
  return { 'messages/s': INGEST_MESSAGES / seconds, 'long tasks ms': longTasks, 'DOM writes': writes };
}

async function latency(variant) {
  const page = await open(variant);
  const topic = prefix('latency');
  await page.evaluate((t) => window.bench.latencySetup(t), topic);
  await until(() => broker.subscriptions(topic).length === 1);
  const total = LATENCY_RATE * LATENCY_SECONDS;
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    broker.publish({ topic, payload: String(Date.now()) });
    const due = started + ((i + 1) * 1000) / LATENCY_RATE;
    if (due - Date.now() >= 1) await sleep(due - Date.now());
  }
  await sleep(300);
  const values = (await page.evaluate(() => window.latencies)).sort((a, b) => a - b);
  await page.close();
  const at = (q) => values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;
  return { 'latency p50 ms': at(0.5), 'latency p99 ms': at(0.99) };
}

async function fanOut(variant) {
  const page = await open(variant);
  const figures = {};
  // The first fan-out on a fresh page pays for compiling the code it runs; the second, on other
  // topics, shows the steady cost.
  for (const phase of ['cold', 'warm']) {
    const base = prefix(`fan-out-${phase}`);
    const topics = Array.from({ length: FAN_OUT }, (_, i) => `${base}/${i}`);
    const packets = broker.stats.subscribePackets;
    const started = performance.now();
    await page.evaluate((t) => window.bench.fanOut(t), topics);
    await until(() => broker.subscriptions(base).length === FAN_OUT);
    figures[`fan-out ${phase} ms`] = performance.now() - started;
    if (phase === 'cold') figures['SUBSCRIBE packets'] = broker.stats.subscribePackets - packets;
  }
  await page.close();
  return figures;
}

async function churn(variant) {
  const page = await open(variant);
  const base = prefix('churn');
  const before = await page.evaluate(() => window.bench.heap());
  const ms = await page.evaluate((c, p) => window.bench.churn(c, p), CHURN, base);
  await sleep(500);
  const after = await page.evaluate(() => window.bench.heap());
  const left = broker.subscriptions(base).length;
  await page.close();
  return { 'churn ms': ms, 'subscriptions left': left, 'heap growth KB': (after - before) / 1024 };
}

// ---------------------------------------------------------------------------------------------
// Rounds, alternating kit and baseline

// BENCH_SCENARIOS=fanOut,churn runs a subset.
const ALL = { ingest, latency, fanOut, churn };
const only = process.env.BENCH_SCENARIOS?.split(',').map((name) => name.trim());
const SCENARIOS = Object.fromEntries(Object.entries(ALL).filter(([name]) => !only || only.includes(name)));
const figures = { kit: {}, baseline: {} };
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    const order = (round + Object.keys(SCENARIOS).indexOf(name)) % 2 === 0 ? ['kit', 'baseline'] : ['baseline', 'kit'];
    for (const variant of order) {
      const result = await scenario(variant);
      for (const [metric, value] of Object.entries(result)) (figures[variant][metric] ??= []).push(value);
    }
  }
  process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
}
await browser.close();
await broker.close();
files.close();

// ---------------------------------------------------------------------------------------------
// Sizes

const size = (file) => {
  const bytes = readFileSync(join(root, file));
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const sizes = {
  "kit's own code (build/kit.min.js)": size('build/kit.min.js'),
  'CDN bundle (dist/mqtt-elements.min.js)': size('dist/mqtt-elements.min.js'),
  "MQTT.js's browser build (mqtt/dist/mqtt.esm.js)": size('node_modules/mqtt/dist/mqtt.esm.js'),
};

// ---------------------------------------------------------------------------------------------
// Report

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (n) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));
const rows = [];
for (const metric of Object.keys(figures.kit)) {
  const kit = figures.kit[metric];
  const base = figures.baseline[metric];
  const ratio = median(base) === 0 ? NaN : median(kit) / median(base);
  rows.push({
    metric,
    kit: median(kit),
    kitRange: [Math.min(...kit), Math.max(...kit)],
    baseline: median(base),
    baselineRange: [Math.min(...base), Math.max(...base)],
    ratio,
  });
}
const pad = (text, width) => String(text).padEnd(width);
console.log(`\nmqtt-elements benchmark: ${ROUNDS} rounds, kit and baseline alternated; medians [min–max]`);
console.log(`${pad('metric', 20)}${pad('kit', 26)}${pad('plain MQTT.js', 26)}kit/baseline`);
for (const row of rows) {
  console.log(
    `${pad(row.metric, 20)}${pad(`${fmt(row.kit)} [${fmt(row.kitRange[0])}–${fmt(row.kitRange[1])}]`, 26)}${pad(`${fmt(row.baseline)} [${fmt(row.baselineRange[0])}–${fmt(row.baselineRange[1])}]`, 26)}${Number.isNaN(row.ratio) ? '–' : `${row.ratio.toFixed(2)}×`}`
  );
}
console.log('\nsizes');
for (const [name, { min, gzip }] of Object.entries(sizes))
  console.log(`${pad(name, 48)}${pad(`${(min / 1024).toFixed(1)} KB min`, 16)}${(gzip / 1024).toFixed(1)} KB gzip`);
const extra =
  (sizes['CDN bundle (dist/mqtt-elements.min.js)'].gzip -
    sizes["MQTT.js's browser build (mqtt/dist/mqtt.esm.js)"].gzip) /
  1024;
console.log(`${pad('CDN bundle − MQTT.js', 64)}${extra.toFixed(1)} KB gzip`);

let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
} catch {
  // Not a checkout.
}
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${await (async () => {
  try {
    return execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'Chromium';
  }
})()}`;
const out = join(root, 'bench', 'results');
mkdirSync(out, { recursive: true });
const file = join(out, `${commit}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ commit, date: new Date().toISOString(), machine, rounds: ROUNDS, settings: { INGEST_TOPICS, INGEST_MESSAGES, LATENCY_RATE, LATENCY_SECONDS, FAN_OUT, CHURN }, rows, sizes, raw: figures }, null, 2)}\n`
);
console.log(`\n${machine}\nfigures: ${file.slice(root.length)}`);
