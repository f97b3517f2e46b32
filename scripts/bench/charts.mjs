// npm run bench:charts: what <mqtt-chart> costs (issue 14), in headless Chromium with the built
// bundles (dist/mqtt-elements.min.js and dist/mqtt-elements-chart.min.js: `npm run build` first),
// through mosquitto (scripts/mosquitto.mjs), fed by a Node MQTT.js client on its TCP listener. It
// prints figures and asserts nothing. Targets: under 5% CPU at 5 msg/s, 100 000 points in 100 ms.
// - cpu: bench/charts.html with 10 <mqtt-chart> (one topic each, window 300 s, 1000 points kept)
//   against the same page with 10 <mqtt-subscribe> on the same topics instead (the connection, the
//   subscriptions and the decoding, without charts), fed 5, 100 and 1000 msg/s in all (round-robin
//   over the 10 topics): CPU_WARMUP s of warm-up, then CPU_SECONDS s measured. From the Chrome
//   DevTools Protocol (Performance.getMetrics, deltas over the window / wall time, % of one core):
//   the main thread's busy time (TaskDuration; its Script, Layout + RecalcStyle, TaskOther parts), its CPU
//   time (ThreadTime), the renderer process's CPU time (ProcessTime: every thread, raster too) and
//   the GPU process's (SystemInfo.getProcessInfo; it composites, in software here). In the page:
//   chart draws (uPlot's draw hook), the frames they fell in, and long tasks (PerformanceObserver).
//   Each (rate, variant) on a fresh page, variants alternated, CHARTS_ROUNDS rounds (default 3):
//   medians [min–max].
// - draw: one chart (1200 × 300 px, max-points 100 000, window 3600 s) and N = 10 000 and 100 000
//   points handed at once to the page's MQTT.js client (see bench/charts.html: draw, bracket): the ms
//   of the frame that draws them, from the last point fed to the end of that draw and to the end of
//   the frame's rendering; then one more point (a redraw with N kept), and the chart re-attached (a
//   new plot from N points). DRAW_RUNS fresh pages each (default 5): medians [min–max].
// `npm run bench:charts -- cpu` or `-- draw` runs one part.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAsync } from 'mqtt';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';
import { startMosquitto } from '../mosquitto.mjs';
import { selected } from './select.mjs';
import { fmt, median, pad, sleep, spread } from './stats.mjs';
import { serveFiles } from './serve.mjs';

// `npm run bench` runs this after run.mjs: not when BENCH_SCENARIOS names other parts only.
if (!selected('charts')) process.exit(0);

const root = fileURLToPath(new URL('../..', import.meta.url));
const RATES = [5, 100, 1000];
const CHARTS = 10;
const CPU_WARMUP = Number(process.env.CPU_WARMUP ?? 3);
const CPU_SECONDS = Number(process.env.CPU_SECONDS ?? 10);
const ROUNDS = Number(process.env.CHARTS_ROUNDS ?? 3);
const DRAW_POINTS = [10_000, 100_000];
const DRAW_RUNS = Number(process.env.DRAW_RUNS ?? 5);
const DRAW_WINDOW = 3600;
const parts = process.argv.slice(2).length ? process.argv.slice(2) : ['cpu', 'draw'];

for (const file of ['dist/mqtt-elements.min.js', 'dist/mqtt-elements-chart.min.js'])
  if (!existsSync(join(root, file))) {
    console.error(`${file} is missing: run npm run build first.`);
    process.exit(1);
  }

// ---------------------------------------------------------------------------------------------
// Servers, browser, publisher

const files = await serveFiles(root);
const { origin } = files;
const broker = await startMosquitto();
const publisher = await connectAsync(broker.mqttUrl, { clientId: `bench-charts-${process.pid}` });
const browser = await puppeteer.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'],
});
const browserSession = await browser.target().createCDPSession();

let run = 0;
/**
 * A fresh page of bench/charts.html, connected, with one `tag` element per topic of a new topic
 * space (`count` topics), each having had a message (so every subscription is live). Returns the
 * page, its CDP session (Performance domain enabled) and the topics.
 */
async function open(tag, count, attributes, className, viewport) {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  await page.goto(`${origin}/bench/charts.html`);
  await page.waitForFunction(() => window.charts);
  const base = `bench/charts/${process.pid}-${run++}`;
  const topics = Array.from({ length: count }, (_, i) => `${base}/${i}`);
  await page.evaluate((...args) => window.charts.setup(...args), broker.url, topics, tag, attributes, className);
  const deadline = Date.now() + 10000;
  while ((await page.evaluate(() => window.charts.ready())) < count) {
    if (Date.now() > deadline) throw new Error(`the page did not receive on all ${count} topics`);
    // Not a number: no point in a chart (which reports it and skips it), but `message` is set.
    for (const topic of topics) publisher.publish(topic, 'ready');
    await sleep(100);
  }
  const session = await page.createCDPSession();
  await session.send('Performance.enable');
  return { page, session, topics };
}

/** Publishes `rate` messages/s for `seconds`, round-robin over `topics` (a random walk each). */
async function feed(topics, rate, seconds) {
  const started = Date.now();
  const values = topics.map(() => 20);
  let sent = 0;
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started) * rate) / 1000);
    for (; sent < due; sent++) {
      const i = sent % topics.length;
      values[i] = Math.min(30, Math.max(10, values[i] + (Math.random() - 0.5)));
      publisher.publish(topics[i], values[i].toFixed(2));
    }
    await sleep(Math.min(5, 1000 / rate));
  }
  return sent;
}

/** The page's Performance metrics (by name), the GPU process's CPU seconds and the wall time (s). */
async function snapshot(session) {
  const { metrics } = await session.send('Performance.getMetrics');
  const { processInfo } = await browserSession.send('SystemInfo.getProcessInfo');
  const gpu = processInfo.filter((p) => p.type === 'GPU').reduce((sum, p) => sum + p.cpuTime, 0);
  return {
    ...Object.fromEntries(metrics.map(({ name, value }) => [name, value])),
    gpu,
    wall: performance.now() / 1000,
  };
}

// ---------------------------------------------------------------------------------------------
// cpu

/** One (variant, rate) on a fresh page: % of one core over the window, and the page's counters. */
async function cpu(variant, rate) {
  const tag = variant === 'charts' ? 'mqtt-chart' : 'mqtt-subscribe';
  const { page, session, topics } = await open(tag, CHARTS, { window: '300' }, '', { width: 1280, height: 1100 });
  await feed(topics, rate, CPU_WARMUP);
  await page.evaluate(() => window.charts.reset());
  const before = await snapshot(session);
  const sent = await feed(topics, rate, CPU_SECONDS);
  const after = await snapshot(session);
  const counters = await page.evaluate(() => window.charts.counters());
  await page.close();
  const wall = after.wall - before.wall;
  const share = (name) => ((after[name] - before[name]) / wall) * 100;
  return {
    'msg/s sent': sent / wall,
    'main busy %': share('TaskDuration'),
    'script %': share('ScriptDuration'),
    'layout+style %': share('LayoutDuration') + share('RecalcStyleDuration'),
    'other tasks %': share('TaskOtherDuration'),
    'main CPU %': share('ThreadTime'),
    'renderer CPU %': share('ProcessTime'),
    'GPU proc CPU %': share('gpu'),
    'draws/s (all)': counters.draws / wall,
    'frames drawn/s': counters.frames / wall,
    'long tasks': counters.longTasks,
    'long task ms': counters.longTaskMs,
    'longest task ms': counters.longestTask,
  };
}

async function cpuPart() {
  const figures = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [r, rate] of RATES.entries()) {
      const order = (round + r) % 2 === 0 ? ['charts', 'none'] : ['none', 'charts'];
      for (const variant of order) {
        const result = await cpu(variant, rate);
        const slot = ((figures[rate] ??= {})[variant] ??= {});
        for (const [metric, value] of Object.entries(result)) (slot[metric] ??= []).push(value);
      }
    }
    process.stderr.write(`cpu: round ${round + 1}/${ROUNDS} done\n`);
  }
  console.log(
    `\ncpu: ${CHARTS} <mqtt-chart> (window 300 s) vs ${CHARTS} <mqtt-subscribe> on the same topics; ${CPU_WARMUP} s warm-up, ${CPU_SECONDS} s measured;`
  );
  console.log(`${ROUNDS} rounds, variants alternated, a fresh page each; % of one core; medians [min–max]`);
  const metrics = Object.keys(figures[RATES[0]].charts);
  for (const rate of RATES) {
    console.log(`\n${rate} msg/s in all (${rate / CHARTS} per topic)`);
    console.log(`${pad('metric', 18)}${pad('10 charts', 24)}${pad('no charts', 24)}charts − none (medians)`);
    for (const metric of metrics) {
      const [with_, without] = [figures[rate].charts[metric], figures[rate].none[metric]];
      console.log(
        `${pad(metric, 18)}${pad(spread(with_), 24)}${pad(spread(without), 24)}${fmt(median(with_) - median(without))}`
      );
    }
  }
  console.log('\nsummary: rate → main-thread busy % with charts / without, renderer process CPU % with / without');
  for (const rate of RATES) {
    const m = (variant, metric) => fmt(median(figures[rate][variant][metric]));
    console.log(
      `${pad(`${rate} msg/s`, 12)}main busy ${m('charts', 'main busy %')} / ${m('none', 'main busy %')}   renderer CPU ${m('charts', 'renderer CPU %')} / ${m('none', 'renderer CPU %')}   chart draws/s ${m('charts', 'draws/s (all)')} in ${m('charts', 'frames drawn/s')} frames/s`
    );
  }
}

// ---------------------------------------------------------------------------------------------
// draw

async function drawPart() {
  const rows = {};
  const push = (name, value) => (rows[name] ??= []).push(value);
  for (const n of DRAW_POINTS) {
    let invalid = 0;
    for (let done = 0; done < DRAW_RUNS;) {
      const { page } = await open('mqtt-chart', 1, { window: String(DRAW_WINDOW), 'max-points': '100000' }, 'one', {
        width: 1240,
        height: 400,
      });
      const first = await page.evaluate((count, w) => window.charts.draw(count, w), n, DRAW_WINDOW);
      const redraw = await page.evaluate(() => window.charts.redraw());
      const rebuild = await page.evaluate(() => window.charts.rebuild());
      await page.close();
      if (!first.valid || !redraw.valid || !rebuild.valid || first.points !== n) {
        // The chart drew outside the bracket (a frame it had asked for already), or points were lost.
        if (++invalid > DRAW_RUNS) throw new Error(`draw ${n}: too many invalid runs (${JSON.stringify(first)})`);
        continue;
      }
      done++;
      push(`${n} feed ms`, first.feed);
      push(`${n} draw ms`, first.draw);
      push(`${n} to drawn ms`, first.toDrawn);
      push(`${n} to painted ms`, first.toPainted);
      push(`${n} redraw ms`, redraw.draw);
      push(`${n} new plot ms`, rebuild.draw);
    }
    if (invalid) console.log(`draw ${n}: ${invalid} run(s) discarded (drawn outside the bracket) and run again`);
  }
  console.log(`\ndraw: one chart 1200 × 300 px, N points at once; ${DRAW_RUNS} fresh pages each; medians [min–max] ms`);
  console.log('  feed       handing the N messages to the page (the kit decodes each into the ring; no drawing)');
  console.log(
    "  draw       the chart's work in the frame after them: ring → columns, uPlot scales, axes, path, canvas"
  );
  console.log('  to drawn   last point fed → end of that draw (includes waiting for the frame)');
  console.log('  to painted last point fed → end of that frame (style, layout, paint)');
  console.log('  redraw     one more point with N kept: the frame that redraws');
  console.log('  new plot   the chart re-attached: a new uPlot made and drawn from the N points kept');
  console.log(
    `${pad('N', 10)}${['feed', 'draw', 'to drawn', 'to painted', 'redraw', 'new plot'].map((h) => pad(h, 22)).join('')}`
  );
  for (const n of DRAW_POINTS) {
    const cells = ['feed', 'draw', 'to drawn', 'to painted', 'redraw', 'new plot'].map((h) =>
      pad(spread(rows[`${n} ${h} ms`]), 22)
    );
    console.log(`${pad(n, 10)}${cells.join('')}`);
  }
}

// ---------------------------------------------------------------------------------------------

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`load average at start: ${load()} (${cpus().length} cores; other work on the machine adds noise)`);
try {
  if (parts.includes('cpu')) await cpuPart();
  if (parts.includes('draw')) await drawPart();
  const chromium = await browser.version();
  console.log(`\n${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${chromium}, mosquitto`);
  console.log(`load average at the end: ${load()}`);
} finally {
  await browser.close();
  await publisher.endAsync();
  await broker.close();
  files.close();
}
