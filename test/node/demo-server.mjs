// What the demo tests share: demo/server.mjs started on ports of its own, pages opened in
// headless Chromium once they show data, what their values show, and axe's verdict on them.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const root = new URL('../../', import.meta.url);
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Starts demo/server.mjs with `args`; resolves once it listens, with its dashboard's url and ports. */
export async function startServer(args) {
  const child = spawn(process.execPath, ['demo/server.mjs', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const out = await new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      if (text.includes('Press Ctrl-C')) resolve(text);
    });
    void exited.then((code) => reject(new Error(`demo/server.mjs exited (${code}): ${text}`)));
  });
  const dashboard = /Dashboard:\s+(\S+)/.exec(out)[1];
  const ports = { http: new URL(dashboard).port, mqtt: /Broker:\s+ws:\/\/localhost:(\d+)/.exec(out)[1] };
  /** Stops it as Ctrl-C does; resolves once it has exited (its ports free again). */
  const stop = () => {
    child.kill('SIGTERM');
    return exited;
  };
  return { dashboard, ports, stop };
}

/** Whether every value and gauge in the page shows data (a gauge: its value as text, not the placeholder). */
export function everyReadingShown() {
  const values = [...document.querySelectorAll('mqtt-value')];
  const gauges = [...document.querySelectorAll('mqtt-gauge')];
  return (
    values.length > 0 &&
    values.every((el) => el.shadowRoot?.querySelector('[part="value"]')?.textContent !== el.placeholder) &&
    gauges.every((el) => (el.getAttribute('aria-valuetext') ?? '–') !== '–')
  );
}

/** What every value and gauge shows, in document order: its text (a gauge's aria-valuetext) and whether stale. */
export function readings() {
  return [...document.querySelectorAll('mqtt-value, mqtt-gauge')].map((el) => ({
    topic: el.getAttribute('topic'),
    text:
      el.localName === 'mqtt-gauge'
        ? el.getAttribute('aria-valuetext')
        : el.shadowRoot?.querySelector('[part="value"]')?.textContent,
    stale: el.hasAttribute('stale'),
  }));
}

/**
 * Opens `path` of `base` in the browser `context`; returns the page once it is `ready` (by default:
 * every value shows data) and its charts and log have data.
 */
export async function openPage(context, base, path, { charts = 0, log = false, ready = everyReadingShown } = {}) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'warning' && errors.push(message.text()));
  await page.setViewport({ width: 1280, height: 720 });
  await page.goto(new URL(path, base).href);
  await page.waitForFunction(ready, { timeout: 30000, polling: 100 });
  await page.waitForFunction(
    (charts, log) => {
      // Six points each (about 10 s), so that the screenshot shows lines rather than dots.
      const plotted =
        [...document.querySelectorAll('mqtt-chart')].filter((el) => el.series?.[0]?.points >= 6).length >= charts;
      const logged = !log || (document.querySelector('mqtt-log')?.size ?? 0) >= 3;
      return plotted && logged && document.querySelector('mqtt-connection')?.getAttribute('status') === 'connected';
    },
    { timeout: 30000, polling: 100 },
    charts,
    log
  );
  return { page, errors };
}

/** axe's violations: every rule, or with `wcagOnly` the WCAG 2.1 A and AA rules (no best practices). */
export async function axeViolations(page, { wcagOnly = false } = {}) {
  await page.addScriptTag({ content: readFileSync(new URL('node_modules/axe-core/axe.min.js', root), 'utf8') });
  return page.evaluate(async (wcagOnly) => {
    const options = wcagOnly ? { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } } : {};
    const { violations } = await window.axe.run(document, options);
    return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, wcagOnly);
}
