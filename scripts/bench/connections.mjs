// npm run bench:connections: how <mqtt-connection> moves between broker urls, in headless Chromium
// with the built bundle (dist/mqtt-elements.min.js: run `npm run build` first). It prints figures and
// asserts nothing. Scenarios, run in order (`npm run bench:connections -- NAME ...` runs some):
// - failover: two mosquitto nodes bridged both ways (scripts/mosquitto-cluster.mjs), the page on
//   both urls, a counter published every 20 ms by a Node-side client on the node NOT in use (it
//   reaches the page through the bridge); kill -9 the node in use and measure the ms from the kill
//   to the page's reconnect and to the first value published after the kill shown by <mqtt-value>
//   (page and Node read the same clock, Date.now()); restart the node, wait for the bridge, move the
//   counter, repeat (FAILOVER_RUNS, default 10), alternating the node in use. Each run, then
//   min / median / p90 / max.
// - dead-urls: three urls where every WebSocket handshake gets 503, reconnect-period 500,
//   reconnect-max-period 2000, for 8 s: the attempts each url got and when, bunched into rounds
//   (each round tries every url once; the back-off pause comes between rounds).
// - renewal: credentials that expire every 3 s, renewed without an outage (scripts/bench/renewal.mjs).
// Adding one: a function `async (bench) => {}` that prints its
// own section with bench.print, and an entry in SCENARIOS. `bench.page()` opens a page with the bundle.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';
import { startMosquittoCluster } from '../mosquitto-cluster.mjs';
import { renewal } from './renewal.mjs';

const BUNDLE = fileURLToPath(new URL('../../dist/mqtt-elements.min.js', import.meta.url));
const FAILOVER_RUNS = Number(process.env.FAILOVER_RUNS ?? 10);
const STREAM_EVERY = 20;
const DEAD_SECONDS = 8;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** The nearest-rank percentile `q` (0 to 1). */
const percentile = (values, q) => [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * values.length) - 1)];
/** "min 31 / median 40 / p90 52 / max 60 ms". */
const spread = (values) =>
  values.length === 0
    ? 'no figures'
    : `min ${Math.min(...values)} / median ${median(values)} / p90 ${percentile(values, 0.9)} / max ${Math.max(...values)} ms`;

// ---------------------------------------------------------------------------------------------
// failover

/**
 * Mounts `<mqtt-connection url="URLS">` around an `<mqtt-value topic>` in the page; the page records
 * in `window.shown` each value <mqtt-value> renders ({ at, value }, seen by a MutationObserver on its
 * shadow root) and in `window.connects` each `mqtt-connect` ({ at, url }).
 */
async function mountValue(page, urls, topic) {
  await page.evaluate(
    async (urls, topic) => {
      const conn = document.createElement('mqtt-connection');
      conn.url = urls.join(' ');
      const value = document.createElement('mqtt-value');
      value.topic = topic;
      conn.append(value);
      Object.assign(window, { conn, shown: [], connects: [] });
      conn.addEventListener('mqtt-connect', () => window.connects.push({ at: Date.now(), url: conn.connectedUrl }));
      document.body.append(conn);
      await value.updateComplete;
      new MutationObserver(() => window.shown.push({ at: Date.now(), value: value.value })).observe(value.shadowRoot, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    },
    urls,
    topic
  );
}

/** Resolves to the first value above `above` that the page showed at or after `since` ({ at, value }). */
function shownAfter(page, since, above) {
  return page
    .waitForFunction(
      (since, above) => window.shown.find(({ at, value }) => at >= since && value > above),
      { polling: 10, timeout: 15000 },
      since,
      above
    )
    .then((handle) => handle.jsonValue());
}

async function failover(bench) {
  const cluster = await startMosquittoCluster();
  const page = await bench.page();
  const topic = `bench/failover/${Date.now().toString(36)}`;
  const nodeOf = (url) => cluster.urls.indexOf(url);
  try {
    bench.print(
      `two mosquitto nodes bridged both ways; <mqtt-connection url="node0 node1"> (default reconnect-period 1000);`,
      `a counter every ${STREAM_EVERY} ms from a Node-side client on the node not in use, through the bridge`
    );
    await mountValue(page, cluster.urls, topic);
    let stream = cluster.stream(1, topic, { every: STREAM_EVERY });
    await shownAfter(page, 0, 0);
    const connected = [];
    const firstValue = [];
    for (let run = 1; run <= FAILOVER_RUNS; run++) {
      const inUse = nodeOf(await page.evaluate(() => window.conn.connectedUrl));
      const other = 1 - inUse;
      const lastSent = stream.last;
      const killed = Date.now();
      await cluster.stop(inUse);
      const shown = await shownAfter(page, killed, lastSent);
      const connect = await page.evaluate((killed) => window.connects.find(({ at }) => at >= killed), killed);
      connected.push(connect.at - killed);
      firstValue.push(shown.at - killed);
      bench.print(
        `run ${String(run).padStart(2)}: killed node ${inUse} (in use) → connected to node ${nodeOf(connect.url)} after ${connect.at - killed} ms, first new value (${shown.value}) shown after ${shown.at - killed} ms`
      );
      // The killed node comes back; the counter moves to it (the page now uses the other node).
      const restarted = Date.now();
      await cluster.start(inUse);
      const bridged = Date.now() - restarted;
      await stream.stop();
      stream = cluster.stream(inUse, topic, { every: STREAM_EVERY, from: stream.last + 1 });
      await shownAfter(page, 0, stream.last);
      if (run === 1) bench.print(`        (node ${inUse} restarted, bridge whole again after ${bridged} ms)`);
      if (nodeOf(await page.evaluate(() => window.conn.connectedUrl)) !== other)
        throw new Error('the page moved again');
    }
    bench.print('', `connected after      ${spread(connected)}`, `first new value after ${spread(firstValue)}`);
    await stream.stop();
  } finally {
    await page.browserContext().close();
    await cluster.close();
  }
}

// ---------------------------------------------------------------------------------------------
// dead-urls

/** An endpoint where no broker answers: every WebSocket handshake gets 503; `attempts` holds their times. */
async function startRefusing() {
  const attempts = [];
  const server = createServer((_req, res) => res.writeHead(503).end());
  server.on('upgrade', (_req, socket) => {
    attempts.push(Date.now());
    socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${server.address().port}/mqtt`;
  return { url, attempts, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Cuts attempts ({ at, url }, in time order) into rounds of `size`: each round tries every url once. */
function rounds(attempts, size) {
  const cut = [];
  for (let i = 0; i < attempts.length; i += size) cut.push(attempts.slice(i, i + size));
  return cut;
}

async function deadUrls(bench) {
  const refusers = [await startRefusing(), await startRefusing(), await startRefusing()];
  const page = await bench.page();
  const period = 500;
  const max = 2000;
  try {
    bench.print(
      `three urls answering every WebSocket handshake with 503; reconnect-period ${period}, reconnect-max-period ${max}, ${DEAD_SECONDS} s`,
      `(the kit's pause after round n: between half of and all of min(${period} × 2^(n - 1), ${max}) ms)`
    );
    const started = await page.evaluate(
      (urls, period, max) => {
        const conn = document.createElement('mqtt-connection');
        Object.assign(conn, { url: urls.join(' '), reconnectPeriod: period, reconnectMaxPeriod: max });
        window.errors = 0;
        conn.addEventListener('mqtt-error', () => window.errors++);
        window.conn = conn;
        document.body.append(conn);
        return Date.now();
      },
      refusers.map((refuser) => refuser.url),
      period,
      max
    );
    await sleep(DEAD_SECONDS * 1000);
    const errors = await page.evaluate(async () => {
      window.conn.remove();
      return window.errors;
    });
    const attempts = refusers
      .flatMap((refuser, index) => refuser.attempts.map((at) => ({ at: at - started, url: index + 1 })))
      .sort((a, b) => a.at - b.at);
    refusers.forEach((refuser, index) =>
      bench.print(
        `url ${index + 1}: ${refuser.attempts.length} attempts, at ${refuser.attempts.map((at) => at - started).join(', ')} ms`
      )
    );
    bench.print(`mqtt-error events: ${errors}`);
    const cut = rounds(attempts, refusers.length);
    cut.forEach((round, index) => {
      const next = cut[index + 1];
      const pause = next ? `, then ${next[0].at - round.at(-1).at} ms pause` : '';
      bench.print(
        `round ${String(index + 1).padStart(2)}: ${round.length} attempts (urls ${round.map(({ url }) => url).join(' ')}) in ${round.at(-1).at - round[0].at} ms, from ${round[0].at} ms${pause}`
      );
    });
    bench.print(
      'Chromium delays each WebSocket a renderer opens by 1-5 s × 2^min(pending + failed / (succeeded + 1), 16) / 65536',
      '(network::WebSocketPerProcessThrottler, failures counted for 2 to 4 minutes): after about ten failed handshakes',
      'the attempts of one round are spaced out by the browser, not by the kit.'
    );
  } finally {
    await page.browserContext().close();
    await Promise.all(refusers.map((refuser) => refuser.close()));
  }
}

// ---------------------------------------------------------------------------------------------
// Running the scenarios

const SCENARIOS = [
  { name: 'failover', title: `kill -9 the node in use, ${FAILOVER_RUNS} runs`, run: failover },
  { name: 'dead-urls', title: 'attempts per round with every url dead', run: deadUrls },
  { name: 'renewal', title: 'credentials that expire, renewed without an outage', run: renewal },
];

const names = process.argv.slice(2);
const unknown = names.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
if (unknown.length) {
  console.error(`unknown scenario ${unknown.join(', ')}; there are: ${SCENARIOS.map(({ name }) => name).join(', ')}`);
  process.exit(2);
}
if (!existsSync(BUNDLE)) {
  console.error('dist/mqtt-elements.min.js is missing: run npm run build first.');
  process.exit(1);
}

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench: connections</title>
<script type="module" src="/mqtt-elements.min.js"></script></head><body></body></html>`;
const files = createServer((req, res) => {
  if (req.url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
  if (req.url === '/mqtt-elements.min.js')
    return res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(BUNDLE));
  res.writeHead(404).end();
});
await new Promise((resolve) => files.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${files.address().port}`;
const browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });

const bench = {
  /** Prints lines of the current section. */
  print: (...lines) => lines.forEach((line) => console.log(line && `  ${line}`)),
  /**
   * A new page with the bundle loaded and the elements defined, in a browser context of its own (its
   * own renderer: Chromium's WebSocket throttling counts per renderer). Close it with
   * `page.browserContext().close()`.
   */
  async page() {
    const page = await (await browser.createBrowserContext()).newPage();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => customElements.get('mqtt-connection') && customElements.get('mqtt-value'));
    return page;
  },
};

console.log(
  `mqtt-elements connections bench: dist/mqtt-elements.min.js built ${statSync(BUNDLE).mtime.toISOString()}, ${await browser.version()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`
);
let failed = false;
for (const scenario of SCENARIOS.filter(({ name }) => names.length === 0 || names.includes(name))) {
  console.log(`\n== ${scenario.name}: ${scenario.title}`);
  try {
    await scenario.run(bench);
  } catch (error) {
    failed = true;
    console.log(`  failed: ${error.stack ?? error}`);
  }
}
await browser.close();
files.close();
process.exitCode = failed ? 1 : 0;
