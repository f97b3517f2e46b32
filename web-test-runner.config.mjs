import { esbuildPlugin } from '@web/dev-server-esbuild';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { a11ySnapshotPlugin } from '@web/test-runner-commands/plugins';
import { startBroker } from './scripts/broker.mjs';
import { authenticateToken, credentialsMiddleware, issueToken, tokenStats } from './scripts/token-broker.mjs';
import { reactEsmPlugin } from './scripts/react-esm.mjs';
import { browserArgs as mosquittoBrowserArgs, mosquittoPlugin } from './scripts/mosquitto-plugin.mjs';
import { rabbitmqPlugin } from './scripts/rabbitmq-plugin.mjs';
import { tabsPlugin } from './scripts/tabs-plugin.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';

/**
 * An endpoint where no broker answers (a proxy in front of a broker that is down): every WebSocket
 * handshake gets 503. It counts the attempts, so that tests can see reconnect back-off. At `/close`
 * it accepts the WebSocket and closes it at once, before any CONNACK (a server that is no broker).
 */
async function startRefuser() {
  const refuser = { attempts: 0, url: '', close: () => new Promise((resolve) => server.close(resolve)) };
  const server = createServer((_req, res) => res.writeHead(503).end());
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    refuser.attempts++;
    if (req.url === '/close') {
      wss.handleUpgrade(req, socket, head, (ws) => ws.close());
      return;
    }
    socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  refuser.url = `ws://127.0.0.1:${server.address().port}/mqtt`;
  return refuser;
}

/**
 * Starts the test brokers and lets browser tests drive them through `executeServerCommand`
 * (see test/helpers.ts): aedes brokers by name (`main` starts with the runner), stopped and
 * restarted on the same port, with a log of what clients published under the prefixes a test asked
 * to record (kept across restarts); the `main` broker also at `/mqtt` on the test page's own origin
 * (for the Content-Security-Policy test); a refusing endpoint that counts attempts; the page's
 * offline mode. (mosquitto has its own plugin: scripts/mosquitto-plugin.mjs.)
 */
function brokerPlugin() {
  /** @type {Map<string, Awaited<ReturnType<typeof startBroker>>>} */
  const brokers = new Map();
  const ports = new Map();
  /** Payloads published by clients, by broker name, for the prefixes being recorded. */
  const records = new Map();
  let refuser;

  async function start(name) {
    const running = brokers.get(name);
    if (running) return running;
    // The `auth` broker accepts alice/secret only, for tests of refused connections.
    // The `tokens` broker takes tokens that expire (scripts/token-broker.mjs).
    const authenticate =
      name === 'tokens'
        ? authenticateToken
        : name === 'auth'
          ? (_client, username, password, done) => {
              if (username === 'alice' && String(password) === 'secret') return done(null, true);
              done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
            }
          : undefined;
    const onPublish = (packet) => {
      for (const [prefix, payloads] of records.get(name) ?? []) {
        if (packet.topic.startsWith(prefix)) payloads.push(packet.payload.toString());
      }
    };
    const broker = await startBroker({ port: ports.get(name) ?? 0, ipv6: false, authenticate, onPublish });
    ports.set(name, broker.port);
    brokers.set(name, broker);
    return broker;
  }

  function get(name = 'main') {
    const broker = brokers.get(name);
    if (!broker) throw new Error(`broker "${name}" is not running`);
    return broker;
  }

  const commands = {
    'broker-start': async ({ name = 'main' } = {}) => ({ url: (await start(name)).url }),
    'broker-stop': async ({ name = 'main' } = {}) => {
      const broker = brokers.get(name);
      brokers.delete(name);
      await broker?.close();
      return true;
    },
    'broker-stats': ({ name } = {}) => ({ ...get(name).stats }),
    'broker-subscriptions': ({ name, prefix = '' } = {}) => get(name).subscriptions(prefix),
    'broker-clients': ({ name } = {}) => get(name).clients(),
    'broker-freeze': ({ name } = {}) => {
      get(name).freeze();
      return true;
    },
    'broker-record': ({ name = 'main', prefix }) => {
      if (!records.has(name)) records.set(name, new Map());
      records.get(name).set(prefix, []);
      return true;
    },
    'broker-recorded': ({ name = 'main', prefix }) => records.get(name)?.get(prefix) ?? [],
    'refuser-start': async () => {
      refuser ??= await startRefuser();
      refuser.attempts = 0;
      return { url: refuser.url };
    },
    'refuser-attempts': () => refuser?.attempts ?? 0,
    'token-issue': ({ lifetime = 60000 } = {}) => issueToken(lifetime),
    'token-stats': () => ({ ...tokenStats }),
    // `every`: ms between two messages (a stream), else all at once.
    'broker-publish': async ({ name, topic, payload = '', qos = 0, retain = false, count = 1, every = 0 } = {}) => {
      const broker = get(name);
      for (let i = 0; i < count; i++) {
        if (every > 0 && i > 0) await new Promise((resolve) => setTimeout(resolve, every));
        const text = typeof payload === 'string' ? payload.replaceAll('{i}', String(i)) : JSON.stringify(payload);
        await broker.publish({ topic: topic.replaceAll('{i}', String(i)), payload: text, qos, retain });
      }
      return count;
    },
  };

  return {
    name: 'mqtt-brokers',
    async serverStart({ server }) {
      await start('main');
      server.on('upgrade', (req, socket, head) => {
        if (new URL(req.url, 'http://x').pathname === '/mqtt') get('main').upgrade(req, socket, head);
      });
    },
    async serverStop() {
      await Promise.all([...brokers.values()].map((broker) => broker.close()));
      await refuser?.close();
    },
    async executeCommand({ command, payload, session }) {
      if (command === 'page-offline') {
        // Chromium's own offline mode (sockets fail, `offline` and then `online` fire), from 50 ms
        // after this command returns for `ms`: the page cannot reach this server while offline.
        const page = session.browser.getPage(session.id);
        setTimeout(async () => {
          await page.setOfflineMode(true);
          setTimeout(() => page.setOfflineMode(false), payload?.ms ?? 300);
        }, 50);
        return true;
      }
      if (command === 'page-hide') {
        // Another tab in front hides the test page for `ms` (visibilitychange fires both ways).
        const page = session.browser.getPage(session.id);
        const other = await page.browser().newPage();
        await other.bringToFront();
        setTimeout(async () => {
          await page.bringToFront();
          await other.close();
        }, payload?.ms ?? 300);
        return true;
      }
      if (command === 'page-dblclick') {
        // A real double-click at `position` (CSS px): two clicks the second of which has clickCount 2,
        // as Chromium's own input makes a `dblclick` (sendMouse's clicks each have clickCount 1).
        const [x, y] = payload.position;
        await session.browser.getPage(session.id).mouse.click(x, y, { count: 2 });
        return true;
      }
      const run = commands[command];
      return run ? await run(payload) : undefined;
    },
  };
}

/** Ends the run with a plain `N passed, N failed, N skipped` line that any CI can read. */
function summaryLine() {
  const count = (suite, totals) => {
    for (const test of suite?.tests ?? []) {
      if (test.skipped) totals.skipped++;
      else if (test.passed) totals.passed++;
      else totals.failed++;
    }
    for (const child of suite?.suites ?? []) count(child, totals);
    return totals;
  };
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        count(session.testResults, totals);
        // A file that failed to load or threw outside a test counts as a failure.
        if (!session.passed && session.errors?.length) totals.failed += session.errors.length;
      }
      setTimeout(() =>
        console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
      );
    },
  };
}

export default {
  reporters: [defaultReporter(), summaryLine()],
  files: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
  nodeResolve: { exportConditions: ['browser', 'production'] },
  middleware: [credentialsMiddleware],
  plugins: [
    reactEsmPlugin(),
    esbuildPlugin({ ts: true, tsx: true, tsconfig: './tsconfig.json', target: 'es2022' }),
    brokerPlugin(),
    mosquittoPlugin(),
    rabbitmqPlugin(),
    tabsPlugin(),
    // The browser's own accessibility tree, for tests of what screen readers are given.
    a11ySnapshotPlugin(),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: [...CHROMIUM_ARGS, ...mosquittoBrowserArgs()],
      },
    }),
  ],
  concurrency: 1,
  testFramework: { config: { timeout: 15000 } },
};
