// npm run bench: the kit against plain MQTT.js (the guides' pattern), side by side in one run, through
// real brokers. Needs `npm run build` first (dist/mqtt-elements.min.js) and Debian's mosquitto
// (apt-get install -y mosquitto) and chromium.
//
// Pages: bench/kit.html (the CDN bundle, <mqtt-connection> and <mqtt-value>) and bench/baseline.html
// (one MQTT.js client, client.on('message'), textContent per message), both driven through
// `window.bench` (bench/page.js). Each scenario opens a fresh page. Both pages parse the MQTT packets
// on their own WebSocket: they count SUBSCRIBE packets and incoming PUBLISHes, and tell when the
// broker has acknowledged (SUBACK) their subscriptions, so the bench knows when to publish whichever
// broker it uses.
//
// Scenarios (BENCH_SCENARIOS=ingest,pageCost,latency,fanOut,churn, default all):
// - ingest: 100 shown values, BENCH_MESSAGES (default 20 000) messages published round-robin as fast
//   as the publisher goes; messages/s until every value shows its last payload, main-thread time in
//   long tasks, DOM writes, messages lost (published − PUBLISHes the page received), WebSocket frames
//   per message, and the broker's CPU share during the run (% of one core).
// - pageCost: the page's own µs per message after MQTT.js ("page µs/message": 50 000 messages
//   emitted on the client's `message` event, 100 values), and for the kit the µs of one
//   `mqtt-message` event ("event µs/message").
// - latency: one value, 1 000 msg/s for 3 s, each payload the publisher's Date.now(); p50 and p99 of
//   publish to the first painted frame that shows it (the page reads the same wall clock; the offset
//   between the two clocks is measured and shown), and the achieved rates: published/s by the Node
//   publisher, and received at page/s.
// - fanOut: 1 000 values mounted at once, ms until the broker has acknowledged every subscription (in
//   the page), cold (first on the page) and warm; SUBSCRIBE packets the cold one sent.
// - churn: 10 000 mount/unmount cycles in batches of 100; ms, subscriptions the broker still holds
//   for the page after (from SUBACK/UNSUBACK), heap growth.
//
// Brokers (BENCH_BROKERS, default `mosquitto,aedes`; the first is the main column):
// - mosquitto (scripts/bench/broker-mosquitto.mjs): Debian's, on free ports; the page over WebSocket,
//   the publisher a Node MQTT.js client over its TCP listener. The broker is a separate process: its
//   CPU share is read from /proc/<pid>/stat.
// - aedes (scripts/bench/broker-aedes.mjs): in this process (scripts/broker.mjs), publishing from the
//   broker itself. It tops out near 1 500-2 500 msg/s to a page (it writes each MQTT message as 5
//   WebSocket frames: `WS frames/message`), so its column shows the broker's pace, not the page's.
//   Its own SUBSCRIBE and subscription counts cross-check the pages' counts.
// Every round runs every scenario through every broker, kit and baseline alternated (the order
// swaps from one scenario, broker and round to the next). Each round also measures each broker's
// delivery rate of the same 20 000 messages to a plain Node MQTT.js client (mosquitto: over TCP and
// over WebSocket; aedes: over WebSocket), the check that the broker is not what the page waits for.
//
// Other settings: BENCH_ROUNDS (default 5). Output: the table (per metric, per broker: kit and
// baseline medians [min–max], kit/baseline), the broker checks, the sizes, and
// bench/results/<commit>.json (rows carry a `broker` field; raw figures per broker and variant).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';
import { startAedesBench } from './broker-aedes.mjs';
import { cpuShare, deliveryRate, publishRoundRobin } from './broker-check.mjs';
import { startMosquittoBench } from './broker-mosquitto.mjs';
import { selected } from './select.mjs';
import { serveFiles } from './serve.mjs';
import { printBrokerChecks, printSizes, printTable, tableRows, writeResults } from './broker-report.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const INGEST_TOPICS = 100;
const INGEST_MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20000);
const LATENCY_RATE = 1000;
const LATENCY_SECONDS = 3;
const FAN_OUT = 1000;
const CHURN = 10000;
const STARTERS = { mosquitto: startMosquittoBench, aedes: startAedesBench };
const BROKERS = (process.env.BENCH_BROKERS ?? 'mosquitto,aedes').split(',').map((name) => name.trim());
for (const name of BROKERS) {
  if (!STARTERS[name]) throw new Error(`BENCH_BROKERS: unknown broker "${name}" (known: mosquitto, aedes)`);
}

if (!existsSync(join(root, 'dist/mqtt-elements.min.js'))) {
  console.error('dist/mqtt-elements.min.js is missing: run npm run build first.');
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Servers and browser

// The page scenarios (functions below); with none selected (BENCH_SCENARIOS=charts), nothing to do here.
const ALL = { ingest, pageCost, latency, fanOut, churn };
const SCENARIOS = Object.entries(ALL).filter(([name]) => selected(name));
if (SCENARIOS.length === 0) process.exit(0);

const files = await serveFiles(root);
const { origin } = files;
const brokers = [];
for (const name of BROKERS) brokers.push(await STARTERS[name]());
const browser = await puppeteer.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'],
});

async function open(variant, broker) {
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

/** Resolves once the broker has acknowledged the page's subscription to every one of `topics`. */
async function subscribed(page, topics, timeout = 30000) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no SUBACK for ${topics.length} topics in ${timeout} ms`)), timeout);
  });
  try {
    await Promise.race([page.evaluate((t) => window.bench.whenSubscribed(t), topics), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Page clock − Node clock (ms), from the quickest of 5 round trips. */
async function clockOffset(page) {
  let best = { trip: Infinity, offset: NaN };
  for (let i = 0; i < 5; i++) {
    const before = Date.now();
    const now = await page.evaluate(() => window.bench.now());
    const after = Date.now();
    if (after - before < best.trip) best = { trip: after - before, offset: now - (before + after) / 2 };
  }
  return best.offset;
}

/** Where the page's counts and aedes' own differ (aedes only: mosquitto cannot tell). */
const crossChecks = { agreed: 0, differed: [] };
function crossCheck(what, page, broker) {
  if (broker === page) crossChecks.agreed++;
  else crossChecks.differed.push(`${what}: page ${page}, broker ${broker}`);
}

// ---------------------------------------------------------------------------------------------
// Scenarios: each opens a fresh page on `broker` and returns its figures

async function ingest(variant, broker) {
  const page = await open(variant, broker);
  const topics = Array.from({ length: INGEST_TOPICS }, (_, i) => `${prefix('ingest')}/${i}`);
  await page.evaluate((t) => window.bench.ingestSetup(t), topics);
  await subscribed(page, topics);
  await page.evaluate(() => window.bench.resetPublishes());
  // The page's main thread, busy and in script, for what both pages do with the same messages.
  const before = await page.metrics();
  const { result: seconds, share } = await cpuShare(broker, async () => {
    const started = performance.now();
    const last = await publishRoundRobin(broker, topics, INGEST_MESSAGES);
    await until(() => page.evaluate((l) => window.bench.ingestDone(l), last));
    return (performance.now() - started) / 1000;
  });
  const after = await page.metrics();
  const perThousand = (metric) => ((after[metric] - before[metric]) * 1e6) / INGEST_MESSAGES;
  const { longTasks, writes } = await page.evaluate(() => window.bench.counters());
  const { publishesIn, framesIn } = await page.evaluate(() => window.bench.wire());
  await page.close();
  return {
    'messages/s': INGEST_MESSAGES / seconds,
    'main ms/1000 msgs': perThousand('TaskDuration'),
    'script ms/1000': perThousand('ScriptDuration'),
    'long tasks ms': longTasks,
    'DOM writes': writes,
    'messages lost': INGEST_MESSAGES - publishesIn,
    'WS frames/message': framesIn / publishesIn,
    'broker CPU %': share * 100,
  };
}

async function latency(variant, broker) {
  const page = await open(variant, broker);
  const topic = prefix('latency');
  await page.evaluate((t) => window.bench.latencySetup(t), topic);
  await subscribed(page, [topic]);
  const offset = await clockOffset(page);
  const total = LATENCY_RATE * LATENCY_SECONDS;
  const started = Date.now();
  let last = started;
  for (let i = 0; i < total; i++) {
    last = Date.now();
    broker.publish({ topic, payload: String(last) });
    const due = started + ((i + 1) * 1000) / LATENCY_RATE;
    if (due - Date.now() >= 1) await sleep(due - Date.now());
  }
  await sleep(300);
  const { values, wire } = await page.evaluate(() => ({ values: window.latencies, wire: window.bench.wire() }));
  await page.close();
  values.sort((a, b) => a - b);
  const at = (q) => values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;
  return {
    'latency p50 ms': at(0.5),
    'latency p99 ms': at(0.99),
    'published/s': ((total - 1) * 1000) / (last - started),
    'received at page/s': ((wire.publishesIn - 1) * 1000) / (wire.lastPublishAt - wire.firstPublishAt),
    'clock offset ms': offset,
  };
}

async function pageCost(variant, broker) {
  const page = await open(variant, broker);
  const topics = Array.from({ length: INGEST_TOPICS }, (_, i) => `${prefix('page-cost')}/${i}`);
  await page.evaluate((t) => window.bench.ingestSetup(t), topics);
  await subscribed(page, topics);
  const { perMessage, event } = await page.evaluate((t) => window.bench.pageCost(t, 50000), topics);
  await page.close();
  return { 'page µs/message': perMessage, ...(event === undefined ? {} : { 'event µs/message': event }) };
}

async function fanOut(variant, broker) {
  const page = await open(variant, broker);
  const figures = {};
  // The first fan-out on a fresh page pays for compiling the code it runs; the second, on other
  // topics, shows the steady cost.
  for (const phase of ['cold', 'warm']) {
    const topics = Array.from({ length: FAN_OUT }, (_, i) => `${prefix(`fan-out-${phase}`)}/${i}`);
    const packets = (await page.evaluate(() => window.bench.wire())).subscribePackets;
    const atBroker = broker.stats?.subscribePackets;
    figures[`fan-out ${phase} ms`] = await page.evaluate((t) => window.bench.fanOut(t), topics);
    if (phase !== 'cold') continue;
    figures['SUBSCRIBE packets'] = (await page.evaluate(() => window.bench.wire())).subscribePackets - packets;
    if (broker.stats)
      crossCheck('SUBSCRIBE packets', figures['SUBSCRIBE packets'], broker.stats.subscribePackets - atBroker);
  }
  await page.close();
  return figures;
}

async function churn(variant, broker) {
  const page = await open(variant, broker);
  const base = prefix('churn');
  const before = await page.evaluate(() => window.bench.heap());
  const ms = await page.evaluate((c, p) => window.bench.churn(c, p), CHURN, base);
  await sleep(500);
  const after = await page.evaluate(() => window.bench.heap());
  const left = await page.evaluate((p) => window.bench.heldUnder(p), base);
  if (broker.held) crossCheck('subscriptions left', left, broker.held(base));
  await page.close();
  return { 'churn ms': ms, 'subscriptions left': left, 'heap growth KB': (after - before) / 1024 };
}

// ---------------------------------------------------------------------------------------------
// Rounds: every scenario through every broker, kit and baseline alternated; then the broker checks

const figures = Object.fromEntries(brokers.map(({ name }) => [name, { kit: {}, baseline: {} }]));
const checks = Object.fromEntries(brokers.map(({ name, cpuNote }) => [name, { note: cpuNote, checks: {} }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [b, broker] of brokers.entries()) {
    for (const [s, [name, scenario]] of SCENARIOS.entries()) {
      const order = (round + s + b) % 2 === 0 ? ['kit', 'baseline'] : ['baseline', 'kit'];
      for (const variant of order) {
        const result = await scenario(variant, broker);
        for (const [metric, value] of Object.entries(result))
          (figures[broker.name][variant][metric] ??= []).push(value);
      }
      process.stderr.write(`round ${round + 1}/${ROUNDS}: ${broker.name} ${name} done\n`);
    }
    const urls = [...new Set([broker.clientUrl, broker.url])];
    for (const url of urls) {
      const { rate, received } = await deliveryRate(broker, {
        prefix: prefix('delivery'),
        topics: INGEST_TOPICS,
        count: INGEST_MESSAGES,
        url,
      });
      if (received < INGEST_MESSAGES)
        console.warn(`${broker.name}: the Node client got ${received} of ${INGEST_MESSAGES}`);
      (checks[broker.name].checks[`over ${url.startsWith('mqtt:') ? 'TCP' : 'WebSocket'}`] ??= []).push(rate);
    }
  }
}
await browser.close();
for (const broker of brokers) await broker.close();
files.close();

// ---------------------------------------------------------------------------------------------
// Report

const rows = tableRows(figures);
printTable(rows, figures, ROUNDS);
const brokerChecks = printBrokerChecks(checks, figures);
if (crossChecks.agreed + crossChecks.differed.length > 0)
  console.log(
    crossChecks.differed.length === 0
      ? `the pages' own counts (SUBSCRIBE packets, subscriptions left) agreed with aedes' in all ${crossChecks.agreed} checks`
      : `the pages' counts differed from aedes': ${crossChecks.differed.join('; ')}`
  );
const sizes = printSizes(root);
writeResults(root, CHROMIUM_PATH, {
  rounds: ROUNDS,
  brokers: BROKERS,
  settings: { INGEST_TOPICS, INGEST_MESSAGES, LATENCY_RATE, LATENCY_SECONDS, FAN_OUT, CHURN },
  rows,
  brokerChecks,
  crossChecks,
  sizes,
  raw: figures,
});
