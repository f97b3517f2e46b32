// demo/discovery.html as a visitor sees it: one <mqtt-discovery> tag, and the devices that
// demo/discovery-devices.mjs simulates from test/fixtures/discovery (zigbee2mqtt, Tasmota, ESPHome)
// describing themselves on the demo broker. Checks the cards, a command confirmed by its device,
// axe, and saves build/screenshots/discovery.png (the README's copy, docs/discovery.png, is
// rewritten by npm run screenshot). Needs the build (dist/) and Chromium.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { axeViolations, openPage, root, startServer } from './demo-server.mjs';

let server;
let browser;

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
  mkdirSync(new URL('build/screenshots/', root), { recursive: true });
  const screenshot = new URL('build/screenshots/discovery.png', root);
  await page.screenshot({ path: screenshot.pathname, fullPage: true });
  // npm run screenshot: the README's copy too.
  if (process.env.UPDATE_README_SCREENSHOT) copyFileSync(screenshot, new URL('docs/discovery.png', root));
  assert.deepEqual(errors, []);
  await page.close();
});
