// npm run bench:tabs: five tabs of one dashboard, each with its own broker connection against the
// five sharing one (`<mqtt-connection shared>`), in headless Chromium with the built bundle (npm run
// build first) through Debian's mosquitto. It prints figures and asserts nothing.
//
// Each run opens TABS (default 5) tabs of bench/tabs.html, 100 <mqtt-value>s each on the same 100
// topics, waits until each is connected and shows a first message, then publishes MESSAGES (default
// 20 000) round-robin from a Node client over TCP, as fast as it goes, and measures until every value
// of every tab shows its topic's last payload:
// - messages/s: MESSAGES / that time (every tab has every message's value by then);
// - broker deliveries: the PUBLISH packets mosquitto sent out for the run ($SYS counters);
// - CPU s: what Chromium's processes (browser, tabs, the worker, the network service) used;
// - memory: the proportional set size (Pss, /proc/<pid>/smaps_rollup) of all of Chromium's
//   processes with the tabs open after the run, minus the browser's before any tab opened; and the
//   JS heap of the tabs and the worker (CDP), after a GC.
// Variants alternate (shared, own, own, shared, ...) over ROUNDS (default 3); medians [min–max].
// PROFILE=1: also a CPU profile of the run in the worker and the first tab (shared) or the first tab
// (own): the functions with the most self time, where the ms go.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connectAsync } from 'mqtt';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';
import { processCpuSeconds, startMosquittoBench } from './broker-mosquitto.mjs';
import { publishRoundRobin } from './broker-check.mjs';
import { serveFiles } from './serve.mjs';
import { fmt, median, pad, sleep, spread } from './stats.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TABS = Number(process.env.TABS ?? 5);
const TOPICS = 100;
const MESSAGES = Number(process.env.MESSAGES ?? 20000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const topics = Array.from({ length: TOPICS }, (_, i) => `bench/tabs/${i}`);

if (!existsSync(`${root}dist/mqtt-elements-worker.js`)) {
  console.error('dist/mqtt-elements-worker.js is missing: run npm run build first.');
  process.exit(1);
}

/** Chromium's processes: the browser and its children, found by their parent pids. */
function chromiumPids(browserPid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const pids = new Set([browserPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!pids.has(pid) && pids.has(parent)) {
        pids.add(pid);
        grew = true;
      }
    }
  }
  return [...pids];
}

/** MB of proportional set size of `pids`. */
function pssMb(pids) {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

const cpuOf = (pids) => pids.reduce((sum, pid) => sum + (processCpuSeconds(pid) || 0), 0);

/** mosquitto's count of PUBLISH packets sent, from $SYS. */
async function publishesSent(url) {
  const client = await connectAsync(url, { clientId: `bench-sys-${Date.now()}`, reconnectPeriod: 0 });
  const value = await new Promise((resolve) => {
    client.on('message', (_topic, payload) => resolve(Number(String(payload))));
    void client.subscribeAsync('$SYS/broker/publish/messages/sent');
  });
  await client.endAsync();
  return value;
}

/** Starts the V8 sampling profiler in the first tab and the shared worker; resolves to `stop()`. */
async function profile(browser, pages) {
  const targets = [['tab 1', await pages[0].createCDPSession()]];
  for (const target of browser.targets()) {
    if (target.type() === 'shared_worker') targets.push(['worker', await target.createCDPSession()]);
  }
  for (const [, cdp] of targets) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  return async () => {
    for (const [name, cdp] of targets) {
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map();
      const dt = (profile.endTime - profile.startTime) / 1000 / profile.samples.length;
      const byId = new Map(profile.nodes.map((node) => [node.id, node]));
      for (const id of profile.samples) {
        const { functionName, url, lineNumber } = byId.get(id).callFrame;
        const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
        self.set(key, (self.get(key) ?? 0) + dt);
      }
      const total = [...self.values()].reduce((a, b) => a + b, 0);
      const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 10);
      console.log(`  profile, ${name}: ${fmt(total)} ms sampled`);
      for (const [key, ms] of top) console.log(`    ${pad(fmt(ms), 8)} ms  ${key}`);
    }
  };
}

/** JS heap MB used by the tabs and the shared worker (if any), after a GC in each. */
async function heapMb(browser, pages) {
  let bytes = 0;
  const sessions = await Promise.all(pages.map((page) => page.createCDPSession()));
  for (const target of browser.targets()) {
    if (target.type() === 'shared_worker') sessions.push(await target.createCDPSession());
  }
  for (const cdp of sessions) {
    await cdp.send('HeapProfiler.collectGarbage').catch(() => {});
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    bytes += usedSize;
    await cdp.detach().catch(() => {});
  }
  return bytes / 1024 / 1024;
}

async function run(shared, broker, origin) {
  const browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    await sleep(500);
    const before = pssMb(chromiumPids(browser.process().pid));
    const query = `url=${encodeURIComponent(broker.url)}&topics=${TOPICS}${shared ? '&shared' : ''}`;
    const pages = [];
    for (let i = 0; i < TABS; i++) {
      const page = await browser.newPage();
      await page.goto(`${origin}/bench/tabs.html?${query}`);
      pages.push(page);
    }
    for (const page of pages) await page.waitForFunction("window.bench?.status() === 'connected'", { timeout: 20000 });
    // Subscribed everywhere: a first round of messages shows in every tab.
    for (let shown = false; !shown;) {
      const first = await publishRoundRobin(broker, topics, TOPICS);
      await sleep(200);
      shown = (await Promise.all(pages.map((page) => page.evaluate((last) => window.bench.shows(last), first)))).every(
        Boolean
      );
    }
    await sleep(300);
    const pids = chromiumPids(browser.process().pid);
    const cpu = cpuOf(pids);
    const sentBefore = await publishesSent(broker.clientUrl);
    const stopProfile = process.env.PROFILE ? await profile(browser, pages) : undefined;
    const started = performance.now();
    const last = await publishRoundRobin(broker, topics, MESSAGES);
    for (;;) {
      const done = await Promise.all(pages.map((page) => page.evaluate((last) => window.bench.shows(last), last)));
      if (done.every(Boolean)) break;
      if (performance.now() - started > 120000) throw new Error('the tabs did not get every message within 120 s');
      await sleep(20);
    }
    const seconds = (performance.now() - started) / 1000;
    await stopProfile?.();
    const cpuSeconds = cpuOf(chromiumPids(browser.process().pid)) - cpu;
    // $SYS is published every few seconds: wait for a count that includes the run.
    await sleep(broker.sysInterval ? broker.sysInterval * 1000 + 500 : 0);
    const deliveries = (await publishesSent(broker.clientUrl)) - sentBefore;
    const heap = await heapMb(browser, pages);
    const memory = pssMb(chromiumPids(browser.process().pid)) - before;
    return { rate: MESSAGES / seconds, deliveries, cpuSeconds, memory, heap };
  } finally {
    await browser.close();
  }
}

const broker = await startMosquittoBench({ sysInterval: 1 });
const files = await serveFiles(root);
const results = { shared: [], own: [] };
try {
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['shared', 'own'] : ['own', 'shared'];
    for (const variant of order) {
      const result = await run(variant === 'shared', broker, files.origin);
      results[variant].push(result);
      console.log(
        `round ${round + 1} ${pad(variant, 6)} ${fmt(result.rate)} msg/s, ${result.deliveries} deliveries, ` +
          `${fmt(result.cpuSeconds)} CPU s, ${fmt(result.memory)} MB Pss, ${fmt(result.heap)} MB heap`
      );
    }
  }
} finally {
  await broker.close();
  files.close();
}

const rows = [
  ['messages/s (every tab has every value)', 'rate'],
  ['PUBLISH packets the broker sent', 'deliveries'],
  ["CPU s, Chromium's processes", 'cpuSeconds'],
  ['memory MB (Pss, all processes, over the bare browser)', 'memory'],
  ['JS heap MB (tabs + worker, after GC)', 'heap'],
];
console.log(
  `\n${TABS} tabs × ${TOPICS} values, ${MESSAGES} messages through mosquitto, ${ROUNDS} rounds (median [min–max])`
);
console.log(`${pad('', 56)}${pad('shared (1 connection)', 26)}${pad(`own (${TABS} connections)`, 26)}shared/own`);
for (const [label, key] of rows) {
  const shared = results.shared.map((r) => r[key]);
  const own = results.own.map((r) => r[key]);
  console.log(`${pad(label, 56)}${pad(spread(shared), 26)}${pad(spread(own), 26)}${fmt(median(shared) / median(own))}`);
}
