// npm run bench:tree: what <mqtt-tree> costs under load (issue 16), in headless Chromium with the
// built bundle (dist/mqtt-elements.min.js: `npm run build` first), through mosquitto
// (scripts/bench/broker-mosquitto.mjs: aedes tops out near 1 500 msg/s), fed by a Node MQTT.js client
// on its TCP listener. One <mqtt-tree> 700 px high on bench/tree.html. It prints figures and asserts
// nothing. Target (issue 16): responsive with 10 000 topics and 1 000 msg/s, no long task over 100 ms.
// - burst: 10 000 new topics (100 levels of 100) published at once: time until the tree holds them
//   all, the longest task meanwhile, renders and the frames they fell in.
// - expand: expandAll() on the 10 000 topics (10 101 rows): the frame that flattens and renders them.
// - stream: TREE_SECONDS s (default 20) of 1 000 msg/s to random topics among the 10 000, every level
//   expanded, the view scrolled to a random place 4 times a second (a user looking around): messages
//   received per second, renders per second, the longest task, the most rows in the DOM at once, the
//   page's main thread (Chrome DevTools Protocol Performance.getMetrics deltas over wall time, % of one
//   core: TaskDuration busy, ThreadTime CPU, their Script and Layout + RecalcStyle parts), the JS
//   heap after a forced GC before and after.
// - glide: TREE_GLIDE s (default 5) of the same stream while the view scrolls by 3 rows in every
//   frame without pause: frames and renders per second, the longest task, the main thread.
// - growth: TREE_GROWTH s (default 5) of 1 000 msg/s to new topics under the expanded levels: the
//   rows change shape in every frame (each render flattens 10 000+ rows).
// TREE_ROUNDS (default 1) fresh pages: medians [min–max] when more than one.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';
import { startMosquittoBench } from './broker-mosquitto.mjs';
import { serveFiles } from './serve.mjs';
import { sleep, spread } from './stats.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RATE = 1000;
const SECONDS = Number(process.env.TREE_SECONDS ?? 20);
const GROWTH = Number(process.env.TREE_GROWTH ?? 5);
const GLIDE = Number(process.env.TREE_GLIDE ?? 5);
const ROUNDS = Number(process.env.TREE_ROUNDS ?? 1);
const PARENTS = 100;
const CHILDREN = 100;

if (!existsSync(join(root, 'dist/mqtt-elements.min.js'))) {
  console.error('dist/mqtt-elements.min.js is missing: run npm run build first.');
  process.exit(1);
}

const files = await serveFiles(root);
const broker = await startMosquittoBench();
const browser = await puppeteer.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'],
});

/** Publishes `messages` ([topic, payload]) at once, yielding now and then so that the socket drains. */
async function publishAll(messages) {
  for (let i = 0; i < messages.length; i++) {
    broker.publish({ topic: messages[i][0], payload: messages[i][1] });
    if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Publishes `rate` messages/s for `seconds`; `next(n)` gives the n-th message; `tick()` runs every 250 ms. */
async function feed(rate, seconds, next, tick) {
  const started = Date.now();
  let sent = 0;
  let ticked = 0;
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started) * rate) / 1000);
    for (; sent < due; sent++) {
      const [topic, payload] = next(sent);
      broker.publish({ topic, payload });
    }
    if (Date.now() - started >= (ticked + 1) * 250) {
      ticked++;
      await tick?.();
    }
    await sleep(2);
  }
  return sent;
}

async function metrics(session) {
  const { metrics: list } = await session.send('Performance.getMetrics');
  return { ...Object.fromEntries(list.map(({ name, value }) => [name, value])), wall: performance.now() / 1000 };
}

async function waitFor(page, test, what, timeout = 30000, arg = undefined) {
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate(test, arg))) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

/** A fresh page of bench/tree.html with `tag` subscribed to `base/#` (empty), and its CDP session. */
async function open(tag, base) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  await page.goto(`${files.origin}/bench/tree.html?tag=${tag}`);
  await page.waitForFunction(() => window.tree);
  await page.evaluate((url, filter) => window.tree.setup(url, filter), broker.url, `${base}/#`);
  // Subscribed once a probe comes through; then the tree starts empty.
  const deadline = Date.now() + 10000;
  while ((await page.evaluate(() => window.tree.size())) === 0) {
    if (Date.now() > deadline) throw new Error('the page never received a message');
    broker.publish({ topic: `${base}/ready`, payload: 'ready' });
    await sleep(100);
  }
  await sleep(300);
  await page.evaluate(() => window.tree.clear());
  const session = await page.createCDPSession();
  await session.send('Performance.enable');
  return { page, session };
}

/** 10 000 new topics at once into `page`: ms until it holds them all. */
async function burst(page, topics) {
  const t0 = performance.now();
  await publishAll(topics.map((topic, i) => [topic, `{"n":${i},"v":0}`]));
  await waitFor(page, () => window.tree.size() >= 10000, 'the page never held 10 000 topics');
  return performance.now() - t0;
}

/**
 * SECONDS s of RATE msg/s to random topics among `known`; with `scroll`, the tree scrolled to a
 * random place 4 times a second. The page's figures over that time.
 */
async function stream(page, session, known, scroll) {
  await page.evaluate(() => window.tree.reset());
  const before = await metrics(session);
  let scrolls = 0;
  const sent = await feed(
    RATE,
    SECONDS,
    (n) => {
      const i = Math.floor(Math.random() * known.length);
      return [known[i], `{"n":${i},"v":${n}}`];
    },
    scroll ? () => page.evaluate((f) => window.tree.scrollTo(f), Math.random()).then(() => scrolls++) : undefined
  );
  await sleep(200);
  const after = await metrics(session);
  const counters = await page.evaluate(() => window.tree.counters());
  const wall = after.wall - before.wall;
  const share = (name) => ((after[name] - before[name]) / wall) * 100;
  return {
    'msg/s sent': sent / wall,
    'msg/s received': counters.messages / wall,
    'renders/s': counters.renders / wall,
    'two renders in a frame': counters.doubleRenders,
    'longest task ms': counters.longestTask,
    'slowest update ms': counters.slowestUpdate,
    'long tasks (> 50 ms)': counters.longTasks,
    'main busy %': share('TaskDuration'),
    'main CPU %': share('ThreadTime'),
    'script %': share('ScriptDuration'),
    'layout+style %': share('LayoutDuration') + share('RecalcStyleDuration'),
    'most rows in the DOM': counters.mostRows,
    scrolls,
  };
}

async function round(index) {
  const base = `bench/tree/${process.pid}-${index}`;
  const topics = (prefix) => {
    const list = [];
    for (let p = 0; p < PARENTS; p++) for (let c = 0; c < CHILDREN; c++) list.push(`${prefix}/p${p}/t${c}`);
    return list;
  };
  const out = {};
  // The baseline: the same burst into a page that only counts the messages.
  const baseline = await open('mqtt-subscribe', `${base}-baseline`);
  out['burst: ms until received, no tree'] = await burst(baseline.page, topics(`${base}-baseline`));
  const all = await stream(baseline.page, baseline.session, topics(`${base}-baseline`), false);
  const baselineStream = Object.fromEntries(
    ['msg/s received', 'longest task ms', 'main busy %', 'main CPU %', 'script %', 'layout+style %'].map((k) => [
      k,
      all[k],
    ])
  );
  await baseline.page.close();

  // burst
  const { page, session } = await open('mqtt-tree', base);
  await page.evaluate(() => window.tree.reset());
  let before = await metrics(session);
  out['burst: ms until 10 000 held'] = await burst(page, topics(base));
  let after = await metrics(session);
  let counters = await page.evaluate(() => window.tree.counters());
  out['burst: longest task ms'] = counters.longestTask;
  out['burst: slowest update ms'] = counters.slowestUpdate;
  out['burst: renders / frames'] = `${counters.renders} / ${counters.frames}`;
  out['burst: two renders in a frame'] = counters.doubleRenders;
  out['burst: main busy ms'] = (after.TaskDuration - before.TaskDuration) * 1000;

  // expand
  await page.evaluate(() => window.tree.reset());
  const expand = await page.evaluate(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
    await frame();
    const start = performance.now();
    window.tree.expandAll();
    await frame();
    const rendered = await frame();
    return rendered - start;
  });
  counters = await page.evaluate(() => window.tree.counters());
  out['expand all: ms to the frame after'] = expand;
  out['expand all: longest task ms'] = counters.longestTask;
  out['expand all: update ms'] = counters.slowestUpdate;
  await page.evaluate(() => window.tree.scrollTo(0.5));
  await sleep(100);
  out['scroll check: top row at 50%'] = await page.evaluate(() => window.tree.topRow());

  // stream
  const known = topics(base);
  const heapBefore = await page.evaluate(() => window.tree.heap());
  for (const [name, value] of Object.entries(await stream(page, session, topics(base), true)))
    out[`stream: ${name}`] = value;
  out['heap after GC before stream MB'] = heapBefore / 1e6;
  out['heap after GC after stream MB'] = (await page.evaluate(() => window.tree.heap())) / 1e6;
  out['shadow DOM elements at the end'] = await page.evaluate(() => window.tree.domNodes());
  for (const [name, value] of Object.entries(baselineStream)) out[`no tree, stream: ${name}`] = value;

  // glide
  await page.evaluate(() => window.tree.reset());
  before = await metrics(session);
  await page.evaluate((step) => window.tree.glide(step), 3 * 24);
  await feed(RATE, GLIDE, (n) => {
    const i = Math.floor(Math.random() * known.length);
    return [known[i], `{"n":${i},"v":${n}}`];
  });
  const glided = await page.evaluate(() => window.tree.stopGlide());
  after = await metrics(session);
  counters = await page.evaluate(() => window.tree.counters());
  const glideWall = after.wall - before.wall;
  out['glide: frames/s'] = glided / glideWall;
  out['glide: renders/s'] = counters.renders / glideWall;
  out['glide: longest task ms'] = counters.longestTask;
  out['glide: slowest update ms'] = counters.slowestUpdate;
  out['glide: main busy %'] = ((after.TaskDuration - before.TaskDuration) / glideWall) * 100;
  out['glide: main CPU %'] = ((after.ThreadTime - before.ThreadTime) / glideWall) * 100;

  // growth
  await page.evaluate(() => window.tree.reset());
  before = await metrics(session);
  const grown = await feed(RATE, GROWTH, (n) => [`${base}/p${n % PARENTS}/new${n}`, String(n)]);
  await waitFor(page, (total) => window.tree.size() >= total, 'the new topics', 10000, 10000 + grown).catch(() => {});
  after = await metrics(session);
  counters = await page.evaluate(() => window.tree.counters());
  const growthWall = after.wall - before.wall;
  out['growth: new topics'] = grown;
  out['growth: topics held at the end'] = await page.evaluate(() => window.tree.size());
  out['growth: renders/s'] = counters.renders / growthWall;
  out['growth: longest task ms'] = counters.longestTask;
  out['growth: slowest update ms'] = counters.slowestUpdate;
  out['growth: main busy %'] = ((after.TaskDuration - before.TaskDuration) / growthWall) * 100;
  await page.close();
  return out;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`load average at start: ${load()} (${cpus().length} cores; other work on the machine adds noise)`);
try {
  const results = [];
  for (let i = 0; i < ROUNDS; i++) {
    results.push(await round(i));
    process.stderr.write(`tree: round ${i + 1}/${ROUNDS} done\n`);
  }
  console.log(
    `\n<mqtt-tree>, 700 px high: 10 000 topics (${PARENTS} levels of ${CHILDREN}), then ${RATE} msg/s for ${SECONDS} s, through mosquitto; ${ROUNDS} round(s)`
  );
  for (const name of Object.keys(results[0])) {
    const values = results.map((r) => r[name]);
    console.log(`${name.padEnd(38)}${typeof values[0] === 'number' ? spread(values) : values.join(' | ')}`);
  }
  console.log(`\n${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${await browser.version()}`);
  console.log(`load average at the end: ${load()}`);
} finally {
  await browser.close();
  await broker.close();
  files.close();
}
