// The demo as a visitor sees it: `node demo/server.mjs` (what npm start runs after the build) on free
// ports, opened in headless Chromium with real waits (virtual time would not wait for the
// WebSocket). Checks that values, the gauge, charts and the log show data rather than placeholders,
// that a command goes pending and is confirmed by the simulated device, that the boiler's restart
// asks first (Cancel sends nothing), that axe finds no accessibility violation, and saves a
// screenshot (build/screenshots/demo.png; the README's copy, docs/dashboard.png, is rewritten by npm
// run screenshot). Then `persist`: the server stopped and started again with --no-broker on the same
// ports, a reload shows the remembered values as stale, and the broker's return makes them live.
// Needs the build (dist/) and Chromium (CHROME_PATH or /usr/bin/chromium).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { axeViolations, openPage, readings, root, sleep, startServer } from './demo-server.mjs';

const SCREENSHOT = new URL('build/screenshots/demo.png', root);
let server;
let browser;
let dashboard;

before(async () => {
  server = await startServer(['--port', '0', '--mqtt-port', '0']);
  dashboard = server.dashboard;
  browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens `path` (of `base`, in `context`; by default the suite's) once its values, charts and log show data. */
const openWithData = (path, { base = dashboard, context = browser, ...options } = {}) =>
  openPage(context, base, path, options);

test('the dashboard shows live values, a gauge, charts and a log, and answers a command', async () => {
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
  // The power meter's dial: a meter showing the reading, within its scale.
  const gauge = await page.$eval('mqtt-gauge', (el) =>
    Object.fromEntries(['role', 'aria-valuenow', 'aria-valuemax', 'aria-valuetext'].map((a) => [a, el.getAttribute(a)]))
  );
  assert.deepEqual([gauge.role, gauge['aria-valuemax']], ['meter', '3000']);
  assert.ok(Number(gauge['aria-valuenow']) > 0 && Number(gauge['aria-valuenow']) <= 3000, JSON.stringify(gauge));
  assert.match(gauge['aria-valuetext'], /^[\d,]+ W$/, 'the watts as shown, with the unit');

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

test("the boiler's restart asks first, sends nothing on Cancel, and is done only when the boiler says so", async () => {
  const { page, errors } = await openWithData('/demo/');
  // What reaches the broker: every command on home/boiler/set.
  const watcher = await mqtt.connectAsync(`ws://localhost:${server.ports.mqtt}/mqtt`);
  const sent = [];
  watcher.on('message', (topic, payload) => sent.push(payload.toString()));
  await watcher.subscribeAsync('home/boiler/set');
  try {
    const boiler = 'mqtt-publish[topic="home/boiler/set"]';
    const dialog = (boiler) => {
      const el = document.querySelector(boiler);
      const open = el.shadowRoot.querySelector('dialog')?.open ?? false;
      return { open, focused: el.shadowRoot.activeElement?.getAttribute('part') ?? null };
    };
    await page.click(`${boiler} button`);
    assert.deepEqual(await page.evaluate(dialog, boiler), { open: true, focused: 'cancel' }, 'asks, Cancel focused');
    assert.deepEqual(await axeViolations(page), [], 'no accessibility violations with the question open');
    await page.click(`${boiler} >>> [part=cancel]`);
    assert.deepEqual(await page.evaluate(dialog, boiler), { open: false, focused: null }, 'closed by Cancel');
    await page.click(`${boiler} button`);
    await page.keyboard.press('Escape');
    assert.equal((await page.evaluate(dialog, boiler)).open, false, 'closed by Escape');
    await sleep(600);
    assert.deepEqual(sent, [], 'Cancel and Escape sent nothing');
    assert.equal(await page.$eval(boiler, (el) => el.matches(':state(pending)')), false);

    // OK: sent, and pending until the boiler reports on its state topic (OK and the look at once).
    await page.click(`${boiler} button`);
    const pendingAfterOk = await page.$eval(boiler, async (el) => {
      el.shadowRoot.querySelector('[part=ok]').click();
      await new Promise((resolve) => setTimeout(resolve)); // the answer reaches the element in a microtask
      return el.matches(':state(pending)');
    });
    assert.equal(pendingAfterOk, true, 'pending after OK');
    await page.waitForFunction(
      (boiler) => !document.querySelector(boiler).matches(':state(pending)'),
      { timeout: 3000 },
      boiler
    );
    const confirmed = await page.$eval(boiler, (el) => ({ state: el.state, timeout: el.matches(':state(timeout)') }));
    assert.deepEqual(confirmed, { state: 'restarting', timeout: false }, 'confirmed by the boiler');
    // The page shows the boiler's state as it reports it: restarting, then running.
    const shows = (text) => `document.querySelector('mqtt-value[topic="home/boiler/state"]')
      .shadowRoot.querySelector('[part=value]').textContent === '${text}'`;
    await page.waitForFunction(shows('restarting'), { timeout: 1000 });
    await page.waitForFunction(shows('running'), { timeout: 6000 });
    assert.deepEqual(sent, ['restart'], 'one command, after OK');
    assert.deepEqual(errors, []);
  } finally {
    await watcher.endAsync();
    await page.close();
  }
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

test(
  'reload with the broker stopped shows remembered values as stale, then live ones',
  { timeout: 120000 },
  async () => {
    // A server of its own on new ports: a new origin, so nothing remembered from the other tests.
    let demo = await startServer(['--port', '0', '--mqtt-port', '0']);
    const ports = ['--port', demo.ports.http, '--mqtt-port', demo.ports.mqtt];
    const context = await browser.createBrowserContext();
    try {
      const { page } = await openWithData('/demo/', { base: demo.dashboard, context });
      const url = await page.$eval('mqtt-connection', (el) => el.getAttribute('url'));
      await sleep(2000); // persist writes in batches
      await demo.stop();
      await page.waitForFunction(
        () => document.querySelector('mqtt-connection').getAttribute('status') !== 'connected'
      );
      // What the page showed last: what it should remember (given a moment to write it).
      const last = await page.evaluate(readings);
      await sleep(1500);

      demo = await startServer([...ports, '--no-broker']);
      assert.equal(demo.dashboard, new URL('/demo/', page.url()).href, 'the same origin');
      await page.reload();
      assert.equal(await page.$eval('mqtt-connection', (el) => el.getAttribute('url')), url, 'the same broker url');
      const remembered = last.map((reading) => ({ ...reading, stale: true }));
      const shown = `JSON.stringify((${readings})()) === ${JSON.stringify(JSON.stringify(remembered))}`;
      await page.waitForFunction(shown, { timeout: 10000 }).catch(() => {}); // then compared, to say what differs
      assert.deepEqual(await page.evaluate(readings), remembered, 'the remembered values, marked stale');
      assert.notEqual(await page.$eval('mqtt-connection', (el) => el.getAttribute('status')), 'connected');
      // The charts draw the history they remembered.
      const points = await page.$$eval('mqtt-chart', (charts) => charts.map((chart) => chart.series[0]?.points ?? 0));
      assert.ok(points.length > 0 && points.every((n) => n > 0), `chart points after the reload: ${points}`);
      await page.screenshot({ path: new URL('build/screenshots/demo-stale.png', root).pathname, fullPage: true });

      await demo.stop();
      demo = await startServer(ports);
      // The page reconnects by itself (its back-off is at most a few seconds this early).
      await page.waitForFunction(
        () =>
          document.querySelector('mqtt-connection').getAttribute('status') === 'connected' &&
          !document.querySelector('mqtt-value[stale], mqtt-gauge[stale]'),
        { timeout: 45000, polling: 200 }
      );
    } finally {
      await context.close();
      await demo.stop();
    }
  }
);
