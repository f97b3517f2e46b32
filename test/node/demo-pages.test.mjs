// The demo's one-tag pages as a visitor sees them. demo/discovery.html: one <mqtt-discovery> tag,
// and the devices that demo/discovery-devices.mjs simulates from test/fixtures/discovery
// (zigbee2mqtt, Tasmota, ESPHome) describing themselves on the demo broker: the cards, a command
// confirmed by its device, axe. demo/explorer.html: one <mqtt-tree> of everything on the demo
// broker: its rows, the keys, axe. Each saves a screenshot in build/screenshots/ (the README's
// copies in docs/ are rewritten by npm run screenshot). Needs the build (dist/) and Chromium.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { axeViolations, openPage, root, startServer } from './demo-server.mjs';

let server;
let browser;

/** Saves the page as build/screenshots/`name`; with npm run screenshot, the README's copy in docs/ too. */
async function screenshot(page, name) {
  mkdirSync(new URL('build/screenshots/', root), { recursive: true });
  const file = new URL(`build/screenshots/${name}`, root);
  await page.screenshot({ path: file.pathname, fullPage: true });
  if (process.env.UPDATE_README_SCREENSHOT) copyFileSync(file, new URL(`docs/${name}`, root));
}

before(async () => {
  server = await startServer(['--port', '0', '--mqtt-port', '0']);
  browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the discovery page builds a card per simulated device, and a switch waits for its device', async () => {
  // Ready once every entity of the six devices shows its value or state.
  const ready = () => {
    const discovery = document.querySelector('mqtt-discovery');
    const values = [...(discovery?.shadowRoot?.querySelectorAll('mqtt-value') ?? [])];
    return (
      discovery.shadowRoot.querySelectorAll('[part="card"]').length === 6 &&
      values.every((el) => el.shadowRoot?.querySelector('[part="value"]')?.textContent !== el.placeholder)
    );
  };
  const { page, errors } = await openPage(browser, server.dashboard, '/demo/discovery.html', { ready });
  const cards = await page.$eval('mqtt-discovery', (el) =>
    [...el.shadowRoot.querySelectorAll('[part="device-name"]')].map((heading) => heading.textContent)
  );
  assert.deepEqual(cards, [
    'Living room sensor',
    'Front door',
    'Kitchen plug',
    'Hall bulb',
    'Heater plug',
    'greenhouse',
  ]);
  // The heater plug: off, then on once the simulated Tasmota confirms, and its power follows.
  const plug = async () =>
    page.evaluateHandle(() => {
      const discovery = document.querySelector('mqtt-discovery');
      const row = [...discovery.shadowRoot.querySelectorAll('[part="entity"]')].find(
        (entity) => entity.querySelector('[part="name"]').textContent === 'Heater plug'
      );
      return row.querySelector('input');
    });
  assert.equal(await (await plug()).evaluate((input) => input.checked), false);
  await (await plug()).click();
  await page.waitForFunction(
    () => {
      const discovery = document.querySelector('mqtt-discovery');
      const rows = [...discovery.shadowRoot.querySelectorAll('[part="entity"]')];
      const named = (name) => rows.find((row) => row.querySelector('[part="name"]').textContent === name);
      const power = named('Power').querySelector('mqtt-value').shadowRoot.querySelector('[part="value"]');
      return named('Heater plug').querySelector('input').checked && Number.parseFloat(power.textContent) > 0;
    },
    { timeout: 10000, polling: 100 }
  );
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'discovery.png');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the explorer page shows every topic of the demo broker as a tree that the keys walk', async () => {
  const ready = () => {
    const tree = document.querySelector('mqtt-tree');
    return (tree?.size ?? 0) >= 40 && tree.shadowRoot.querySelectorAll('[role="treeitem"]').length > 3;
  };
  const { page, errors } = await openPage(browser, server.dashboard, '/demo/explorer.html', { ready });
  const rows = () =>
    page.$eval('mqtt-tree', (tree) =>
      [...tree.shadowRoot.querySelectorAll('[role="treeitem"]')].map(
        (row) => row.querySelector('[part="name"]').textContent
      )
    );
  // The first levels: the dashboard's devices, the discovery configs and the discovery devices' own.
  for (const top of ['home', 'homeassistant', 'zigbee2mqtt', 'greenhouse'])
    assert.ok((await rows()).includes(top), top);
  // From home/kitchen (set from script: it opens home), the keys open kitchen, go to its first
  // child and select it.
  const picked = page.evaluate(() => {
    const tree = document.querySelector('mqtt-tree');
    tree.selected = 'home/kitchen';
    return new Promise((resolve) =>
      tree.addEventListener('mqtt-select', (e) => resolve(e.detail.topic), { once: true })
    );
  });
  await page.evaluate(() => document.querySelector('mqtt-tree').shadowRoot.querySelector('[part="tree"]').focus());
  for (const key of ['ArrowRight', 'ArrowRight', 'Enter']) await page.keyboard.press(key);
  assert.equal(await picked, 'home/kitchen/climate');
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'explorer.png');
  assert.deepEqual(errors, []);
  await page.close();
});
