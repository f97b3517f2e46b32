// The report of npm run bench (scripts/bench/run.mjs): the table per metric and broker, the broker
// checks, the sizes, and the JSON file bench/results/<commit>.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fmt, median, pad, spread } from './stats.mjs';

/** Figures that are checks, not costs: no kit/baseline ratio. */
const NO_RATIO = new Set([
  'messages lost',
  'WS frames/message',
  'subscriptions left',
  'published/s',
  'received at page/s',
  'clock offset ms',
]);

const thousands = (n) => Math.round(n).toLocaleString('en-US').replace(/,/g, ' ');

/**
 * One row per metric and broker: medians and ranges of kit and baseline, and their ratio.
 * @param {Record<string, { kit: Record<string, number[]>, baseline: Record<string, number[]> }>} figures
 *   per broker, per variant, per metric: one value per round
 * @returns {object[]} rows `{ broker, metric, kit, kitRange, baseline, baselineRange, ratio }`
 */
export function tableRows(figures) {
  const metrics = [...new Set(Object.values(figures).flatMap(({ kit }) => Object.keys(kit)))];
  const rows = [];
  for (const metric of metrics) {
    for (const [broker, { kit: kits, baseline: bases }] of Object.entries(figures)) {
      const kit = kits[metric] ?? [];
      const base = bases[metric] ?? [];
      const ratio = NO_RATIO.has(metric) || !median(base) ? NaN : median(kit) / median(base);
      rows.push({
        broker,
        metric,
        kit: median(kit),
        kitRange: [Math.min(...kit), Math.max(...kit)],
        baseline: median(base),
        baselineRange: [Math.min(...base), Math.max(...base)],
        ratio,
      });
    }
  }
  return rows;
}

/**
 * Prints the table of {@link tableRows}.
 * @param {ReturnType<typeof tableRows>} rows
 * @param {Record<string, object>} figures the same figures (for the ranges as measured)
 * @param {number} rounds
 */
export function printTable(rows, figures, rounds) {
  console.log(
    `\nmqtt-elements benchmark: ${rounds} round${rounds === 1 ? '' : 's'}, kit and baseline alternated in each, for each broker; medians [min–max]`
  );
  console.log(`${pad('metric', 20)}${pad('broker', 11)}${pad('kit', 26)}${pad('plain MQTT.js', 26)}kit/baseline`);
  let previous;
  for (const row of rows) {
    const { kit, baseline } = figures[row.broker];
    console.log(
      `${pad(row.metric === previous ? '' : row.metric, 20)}${pad(row.broker, 11)}${pad(spread(kit[row.metric]), 26)}${pad(spread(baseline[row.metric]), 26)}${Number.isNaN(row.ratio) ? '–' : `${row.ratio.toFixed(2)}×`}`
    );
    previous = row.metric;
  }
}

/**
 * Prints, per broker, whether it can deliver faster than the pages take messages: its delivery rate
 * to plain Node clients, its CPU share during the kit's ingest, and the achieved latency pacing.
 * @param {Record<string, { note: string, checks: Record<string, number[]> }>} brokers per broker
 * @param {Record<string, object>} figures the table's figures
 * @returns {Record<string, object>} the same as medians, for the JSON file
 */
export function printBrokerChecks(brokers, figures) {
  console.log('\nis the broker the bottleneck? (medians over the rounds)');
  const out = {};
  for (const [name, { note, checks }] of Object.entries(brokers)) {
    const kit = figures[name].kit;
    const rates = Object.entries(checks).map(([via, values]) => `${thousands(median(values))} msg/s ${via}`);
    out[name] = {
      cpuNote: note,
      ...Object.fromEntries(Object.entries(checks).map(([via, values]) => [`delivery msg/s ${via}`, median(values)])),
      'CPU % during kit ingest': median(kit['broker CPU %'] ?? []),
      'kit ingest messages/s': median(kit['messages/s'] ?? []),
    };
    console.log(
      `${name}: delivers ${rates.join(', ')} to a plain Node MQTT.js client; ${fmt(out[name]['CPU % during kit ingest'])}% of a core during the kit's ingest (${note}), when the kit took ${thousands(out[name]['kit ingest messages/s'])} msg/s in ${fmt(median(kit['WS frames/message'] ?? []))} WebSocket frames per message`
    );
    if (kit['published/s'])
      console.log(
        `${' '.repeat(name.length)}  latency run: published ${fmt(median(kit['published/s']))}/s, the kit's page received ${fmt(median(kit['received at page/s']))}/s (baseline: ${fmt(median(figures[name].baseline['received at page/s']))}/s); page clock − Node clock ${fmt(median(kit['clock offset ms']))} ms`
      );
  }
  return out;
}

/**
 * The sizes of the bundles (min and gzip -9), printed.
 * @param {string} root the repo
 * @returns {Record<string, { min: number, gzip: number }>}
 */
export function printSizes(root) {
  const size = (file) => {
    const bytes = readFileSync(join(root, file));
    return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  const sizes = {
    "kit's own code (build/kit.min.js)": size('build/kit.min.js'),
    'CDN bundle (dist/mqtt-elements.min.js)': size('dist/mqtt-elements.min.js'),
    "MQTT.js's browser build (mqtt/dist/mqtt.esm.js)": size('node_modules/mqtt/dist/mqtt.esm.js'),
  };
  console.log('\nsizes');
  for (const [name, { min, gzip }] of Object.entries(sizes))
    console.log(`${pad(name, 48)}${pad(`${(min / 1024).toFixed(1)} KB min`, 16)}${(gzip / 1024).toFixed(1)} KB gzip`);
  const extra =
    (sizes['CDN bundle (dist/mqtt-elements.min.js)'].gzip -
      sizes["MQTT.js's browser build (mqtt/dist/mqtt.esm.js)"].gzip) /
    1024;
  console.log(`${pad('CDN bundle − MQTT.js', 64)}${extra.toFixed(1)} KB gzip`);
  return sizes;
}

/**
 * Writes the run to bench/results/<commit>.json and prints the machine and the file.
 * @param {string} root the repo
 * @param {string} chromium the browser's executable (for its version)
 * @param {object} run what to write beside commit, date and machine
 * @returns {string} the file written
 */
export function writeResults(root, chromium, run) {
  const git = (args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  let commit = 'unknown';
  try {
    commit = git(['rev-parse', '--short', 'HEAD']);
  } catch {
    // Not a checkout.
  }
  let browser = 'Chromium';
  try {
    browser = execFileSync(chromium, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // Keep the name.
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${browser}`;
  const out = join(root, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  const file = join(out, `${commit}.json`);
  writeFileSync(file, `${JSON.stringify({ commit, date: new Date().toISOString(), machine, ...run }, null, 2)}\n`);
  console.log(`\n${machine}\nfigures: ${file.slice(root.length)}`);
  return file;
}
