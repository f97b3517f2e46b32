// The README's broker and page examples, run as written: the mosquitto.conf of "Mosquitto with a
// password" (on free ports, with a password file made by mosquitto_passwd), the login page of "User
// name and password", and the command-control CSS of "Command and state controls", whose offline
// and timeout marks must both show. Needs mosquitto (MOSQUITTO_PATH or /usr/sbin/mosquitto), the
// build (dist/) and Chromium (CHROME_PATH or /usr/bin/chromium).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import puppeteer from 'puppeteer-core';
import { freePort, waitForPort } from '../../scripts/mosquitto.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { MOSQUITTO, MOSQUITTO_PASSWD } from '../../scripts/mosquitto.mjs';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const ACCOUNT = { username: 'alice', password: 'correct horse' };

/** The first fenced block of `lang` after `heading` (an exact line of README.md). */
function example(heading, lang, containing = '') {
  let at = readme.indexOf(`\n${heading}\n`);
  assert.ok(at >= 0, `README.md has ${heading}`);
  for (;;) {
    const start = readme.indexOf('\n```' + lang + '\n', at);
    assert.ok(start >= 0, `a \`\`\`${lang} block after ${heading}`);
    const from = start + lang.length + 5;
    const block = readme.slice(from, readme.indexOf('\n```', from) + 1);
    if (block.includes(containing)) return block;
    at = from;
  }
}

/** `connected`, or the error MQTT.js gave; the client is closed either way. */
function attempt(url, options = {}) {
  const client = mqtt.connect(url, { ...options, reconnectPeriod: 0, connectTimeout: 5000 });
  return new Promise((resolve) => {
    client.once('connect', () => resolve('connected'));
    client.once('error', (error) => resolve(error.message));
  }).finally(() => client.end(true));
}

let dir;
let broker;
let ports;
let http;
let browser;

before(async () => {
  ports = { mqtt: await freePort(), ws: await freePort(), http: await freePort() };
  dir = mkdtempSync(join(tmpdir(), 'mqtt-elements-readme-'));
  chmodSync(dir, 0o755);
  const passwd = join(dir, 'passwd');
  const conf = example('### Mosquitto with a password', '');
  for (const line of ['listener 1883', 'listener 9001', 'protocol websockets', 'allow_anonymous false'])
    assert.match(conf, new RegExp(`^${line}$`, 'm'), `the README's mosquitto.conf has ${line}`);
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    conf
      .replace(/^listener 1883$/m, `listener ${ports.mqtt}`)
      .replace(/^listener 9001$/m, `listener ${ports.ws}`)
      .replace(/^password_file .*$/m, `password_file ${passwd}`)
  );
  execFileSync(MOSQUITTO_PASSWD, ['-c', '-b', passwd, ACCOUNT.username, ACCOUNT.password]);
  // As the README says: run as root, mosquitto reads the file as the mosquitto user.
  if (process.getuid?.() === 0) execFileSync('chown', ['mosquitto:mosquitto', passwd]);
  chmodSync(passwd, 0o600);
  let log = '';
  broker = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  broker.stderr.on('data', (chunk) => (log += chunk));
  broker.once('exit', (code) => {
    if (code !== null) log += `\nexited with ${code}`;
  });
  await waitForPort(ports.mqtt, Date.now() + 5000).catch((error) => {
    throw new Error(`${error.message}:\n${log}`);
  });
  await waitForPort(ports.ws, Date.now() + 5000);

  const retained = await mqtt.connectAsync(`mqtt://127.0.0.1:${ports.mqtt}`, ACCOUNT);
  await retained.publishAsync('home/kitchen/climate', JSON.stringify({ celsius: 21.46 }), { retain: true });
  await retained.endAsync();

  const login = example('### User name and password', 'html').replace(
    'ws://localhost:9001',
    `ws://localhost:${ports.ws}`
  );
  const css = example('### Command and state controls', 'css', 'state(timeout)');
  const pages = {
    '/login.html': `<!doctype html><meta charset="utf-8" />${login}`,
    '/control.html': `<!doctype html><meta charset="utf-8" /><style>${css}</style>
      <script type="module" src="mqtt-elements.min.js"></script>
      <mqtt-connection id="c" url="ws://localhost:${ports.ws}" username="${ACCOUNT.username}" password="${ACCOUNT.password}">
        <mqtt-publish topic="home/lamp/set" state-topic="home/lamp/state" confirm-timeout="300">
          <label><input type="checkbox" /> Lamp</label>
        </mqtt-publish>
      </mqtt-connection>`,
  };
  const bundle = readFileSync(new URL('dist/mqtt-elements.min.js', root));
  http = createServer((req, res) => {
    if (req.url === '/mqtt-elements.min.js') res.setHeader('content-type', 'text/javascript').end(bundle);
    else if (pages[req.url]) res.setHeader('content-type', 'text/html; charset=utf-8').end(pages[req.url]);
    else res.writeHead(404).end();
  });
  await new Promise((resolve) => http.listen(ports.http, '127.0.0.1', resolve));
  browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  http?.close();
  if (broker && broker.exitCode === null) {
    const exited = new Promise((resolve) => broker.once('exit', resolve));
    process.kill(broker.pid, 'SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the README's mosquitto.conf: ws://host:9001 without a path, with the password, MQTT 3.1.1 and 5", async () => {
  assert.equal(await attempt(`ws://localhost:${ports.ws}`, ACCOUNT), 'connected');
  assert.equal(await attempt(`ws://localhost:${ports.ws}`, { ...ACCOUNT, protocolVersion: 5 }), 'connected');
  assert.equal(await attempt(`ws://localhost:${ports.ws}/mqtt`, ACCOUNT), 'connected', 'any path works too');
  assert.equal(await attempt(`mqtt://127.0.0.1:${ports.mqtt}`, ACCOUNT), 'connected', 'the plain listener');
  assert.match(await attempt(`ws://localhost:${ports.ws}`, {}), /not authorized/i, 'no anonymous clients');
  assert.match(
    await attempt(`ws://localhost:${ports.ws}`, { ...ACCOUNT, password: 'wrong' }),
    /not authorized/i,
    'a wrong password is refused'
  );
});

test("the README's login page: a refused password shows in error, the right one connects", async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${ports.http}/login.html`);
    const connection = () =>
      page.$eval('#broker', (c) => ({ status: c.status, error: c.getAttribute('error') ?? '', password: c.password }));
    assert.equal((await connection()).status, 'disconnected', '`manual`: nothing before the form is sent');
    await page.type('input[name=username]', ACCOUNT.username);
    await page.type('input[name=password]', 'wrong');
    await page.click('button');
    await page.waitForFunction(() => document.getElementById('broker').hasAttribute('error'), { timeout: 10000 });
    const refused = await connection();
    assert.match(refused.error, /not authorized|user name or password/i);
    assert.equal(refused.status, 'disconnected', 'a refused login is not retried');
    await page.$eval('input[name=password]', (input) => (input.value = ''));
    await page.type('input[name=password]', ACCOUNT.password);
    await page.click('button');
    await page.waitForFunction(() => document.getElementById('broker').status === 'connected', { timeout: 10000 });
    assert.equal((await connection()).error, '', 'the error is cleared on connect');
    await page.waitForFunction(() => /21\.5/.test(document.querySelector('mqtt-value').shadowRoot.textContent), {
      timeout: 5000,
    });
    assert.equal(
      await page.$eval('#broker', (c) => c.hasAttribute('password')),
      false,
      'the password is not reflected'
    );
  } finally {
    await page.close();
  }
});

test("the README's command-control CSS: offline and timeout marks show together", async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${ports.http}/control.html`);
    await page.waitForFunction(() => document.getElementById('c').status === 'connected', { timeout: 10000 });
    const marks = () =>
      page.$eval('label', (label) => [
        getComputedStyle(label, '::before').content,
        getComputedStyle(label, '::after').content,
      ]);
    assert.deepEqual(await marks(), ['none', 'none']);
    await page.click('input');
    // Nobody answers on home/lamp/state: after confirm-timeout (300 ms) the command has timed out.
    await page.waitForFunction(() => document.querySelector('mqtt-publish').matches(':state(timeout)'), {
      timeout: 5000,
    });
    assert.deepEqual(await marks(), ['none', '" (no answer)"']);
    await page.$eval('#c', (c) => c.disconnect());
    await page.waitForFunction(() => document.querySelector('mqtt-publish').hasAttribute('offline'), { timeout: 5000 });
    assert.ok(await page.$eval('mqtt-publish', (p) => p.matches(':state(timeout)')), 'still timed out');
    assert.deepEqual(await marks(), ['"(offline) "', '" (no answer)"'], 'neither mark hides the other');
  } finally {
    await page.close();
  }
});
