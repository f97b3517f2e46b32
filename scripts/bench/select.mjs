// Which parts of `npm run bench` run: BENCH_SCENARIOS (comma-separated names; default: all). The
// page scenarios of run.mjs are ingest, pageCost, latency, fanOut and churn; charts.mjs is
// `charts` and soak.mjs `soak`.

/** The names BENCH_SCENARIOS selects; undefined: all. */
export const only = process.env.BENCH_SCENARIOS?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);

/** Whether BENCH_SCENARIOS selects `name` (every part when it is unset). */
export function selected(name) {
  return !only || only.includes(name);
}
