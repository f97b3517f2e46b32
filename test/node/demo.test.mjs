// The demo as a visitor sees it: `node demo/server.mjs` (what npm start runs after the build) on free
// ports, opened in headless Chromium with real waits (virtual time would not wait for the
// WebSocket). Checks that values, charts and the log show data rather than placeholders, that a
// command goes pending and is confirmed by the simulated device, that axe finds no accessibility
// violation, and saves a screenshot (build/screenshots/demo.png; the README's copy,
// docs/dashboard.png, is rewritten by npm run screenshot). Needs the build (dist/) and Chromium
// (CHROME_PATH or /usr/bin/chromium).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

const root = new URL('../../', import.meta.url);
const SCREENSHOT = new URL('build/screenshots/demo.png', root);
let server;
let browser;
let dashboard;

before(async () => {
  server = spawn(process.execPath, ['demo/server.mjs', '--port', '0', '--mqtt-port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  dashboard = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const url = /Dashboard:\s+(\S+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    server.once('exit', (code) => reject(new Error(`demo/server.mjs exited (${code}): ${out}`)));
  });
  browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

/** Opens `path` and returns the page once every value, chart and log shows data. */
async function openWithData(path, { charts = 0, log = false } = {}) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'warning' && errors.push(message.text()));
  await page.setViewport({ width: 1280, height: 720 });
  await page.goto(new URL(path, dashboard).href);
  await page.waitForFunction(
    (charts, log) => {
      const values = [...document.querySelectorAll('mqtt-value')];
      const shown = values.every(
        (el) => el.shadowRoot?.querySelector('[part="value"]')?.textContent !== el.placeholder
      );
      // Six points each (about 10 s), so that the screenshot shows lines rather than dots.
      const plotted =
        [...document.querySelectorAll('mqtt-chart')].filter((el) => el.series?.[0]?.points >= 6).length >= charts;
      const logged = !log || (document.querySelector('mqtt-log')?.size ?? 0) >= 3;
      return (
        values.length > 0 &&
        shown &&
        plotted &&
        logged &&
        document.querySelector('mqtt-connection')?.getAttribute('status') === 'connected'
      );
    },
    { timeout: 30000, polling: 100 },
    charts,
    log
  );
  return { page, errors };
}

/** axe's violations: every rule, or with `wcagOnly` the WCAG 2.1 A and AA rules (no best practices). */
async function axeViolations(page, { wcagOnly = false } = {}) {
  await page.addScriptTag({ content: readFileSync(new URL('node_modules/axe-core/axe.min.js', root), 'utf8') });
  return page.evaluate(async (wcagOnly) => {
    const options = wcagOnly ? { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } } : {};
    const { violations } = await window.axe.run(document, options);
    return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, wcagOnly);
}

test('the dashboard shows live values, charts and a log, and answers a command', async () => {
  const { page, errors } = await openWithData('/demo/', { charts: 4, log: true });
  const texts = await page.evaluate(() =>
    [...document.querySelectorAll('mqtt-value')].map((el) => el.shadowRoot.querySelector('[part="value"]').textContent)
  );
  assert.ok(
    texts.every((text) => text && text !== '–'),
    `every value shows data: ${texts.join(' | ')}`
  );
  assert.ok(
    texts.some((text) => /^\d+\.\d$/.test(text)),
    `temperatures have one digit: ${texts.join(' | ')}`
  );

  // The lamp's state came from its state topic (retained 'on').
  assert.equal(await page.$eval('mqtt-publish[topic="home/lamp/set"] input', (input) => input.checked), true);
  // A command: pending until the device confirms on the state topic.
  const fan = 'mqtt-publish[topic="home/fan/set"]';
  const before = await page.$eval(`${fan} input`, (input) => input.checked);
  // Clicked and checked in one task: the device confirms after 250 ms, which a slow machine could
  // let pass between a click and a later look.
  const pendingAfterClick = await page.$eval(fan, (el) => {
    el.querySelector('input').click();
    return el.matches(':state(pending)');
  });
  assert.equal(pendingAfterClick, true, 'pending after the click');
  await page.waitForFunction((fan) => !document.querySelector(fan).matches(':state(pending)'), { timeout: 3000 }, fan);
  assert.equal(await page.$eval(fan, (el) => el.matches(':state(timeout)')), false, 'confirmed, not timed out');
  assert.equal(await page.$eval(`${fan} input`, (input) => input.checked), !before);
  await page.click(`${fan} input`); // back as it was
  await page.waitForFunction((fan) => !document.querySelector(fan).matches(':state(pending)'), { timeout: 3000 }, fan);

  assert.deepEqual(await axeViolations(page), [], 'no accessibility violations');
  // A problem with the connection shows in words, by CSS on its error attribute (after the screenshot).
  const problem = await page.evaluate(async () => {
    const connection = document.querySelector('mqtt-connection');
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return { before: getComputedStyle(connection, '::before').content };
  });
  assert.equal(problem.before, 'none', 'no problem shown while connected');
  mkdirSync(new URL('.', SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT.pathname, fullPage: true });
  // npm run screenshot: the README's copy too.
  if (process.env.UPDATE_README_SCREENSHOT) copyFileSync(SCREENSHOT, new URL('docs/dashboard.png', root));
  const shown = await page.evaluate(() => {
    const connection = document.querySelector('mqtt-connection');
    connection.url = 'mqtt://localhost:1883';
    return new Promise((resolve) => setTimeout(() => resolve(getComputedStyle(connection, '::before').content), 100));
  });
  assert.match(shown, /uses mqtt:\/\/.*ws:\/\//, 'the problem is shown in words');
  assert.deepEqual(
    errors.filter((text) => !text.includes('mqtt://')),
    [],
    'no page errors or kit warnings but the one caused'
  );
  await page.close();
});

test('the minimal page from the README shows values and the lamp', async () => {
  const { page, errors } = await openWithData('/demo/minimal.html');
  assert.equal(await page.$eval('mqtt-publish input', (input) => input.checked), true);
  // A hello world has no <main> or <h1>: WCAG rules only, not axe's best practices.
  assert.deepEqual(await axeViolations(page, { wcagOnly: true }), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the README shows the demo pages as they are', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const blocks = [...readme.matchAll(/```html\n([\s\S]*?)```/g)].map((match) => match[1]);
  const minimal = readFileSync(new URL('demo/minimal.html', root), 'utf8');
  assert.ok(blocks.includes(minimal), 'README quotes demo/minimal.html in full');
  // The dashboard's markup, from <mqtt-connection> to its end, without the file's indentation.
  const html = readFileSync(new URL('demo/index.html', root), 'utf8');
  const markup = /^( *)<mqtt-connection[\s\S]*?^\1<\/mqtt-connection>$/m.exec(html);
  const dedented = markup[0].replace(new RegExp(`^${markup[1]}`, 'gm'), '');
  assert.ok(blocks.includes(`${dedented}\n`), 'README quotes the markup of demo/index.html');
});
