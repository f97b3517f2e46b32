// npm start: the embedded broker (aedes on ws://localhost:8083/mqtt), simulated devices, and the
// demo pages served at a printed http://localhost URL. Ctrl-C stops everything.
//   MQTT_PORT=9001 PORT=8080 npm start     (or: node demo/server.mjs --mqtt-port 9001 --port 8080)
//   node demo/server.mjs --no-broker       the pages alone, on the same ports, as if the broker were
//                                          down: a page with `persist` shows its remembered values
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBroker } from '../scripts/broker.mjs';
import { startDiscoveryDevices } from './discovery-devices.mjs';
import { startSimulator } from './simulator.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
/** The broker port written in the demo pages. */
const DEMO_MQTT_PORT = 8083;
const DEMO_HTTP_PORT = 8000;
const mqttPort = Number(arg('mqtt-port') ?? process.env.MQTT_PORT ?? DEMO_MQTT_PORT);
const httpPort = Number(arg('port') ?? process.env.PORT ?? DEMO_HTTP_PORT);
/** Serve the pages only: no broker, no simulated devices (the pages still name the broker's url). */
const noBroker = process.argv.includes('--no-broker');
if (noBroker && !(mqttPort > 0)) {
  console.error('--no-broker needs the port the pages should name: --mqtt-port 8083 (the default) or another.');
  process.exit(1);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
/** Only these folders are served. */
const SERVED = ['demo', 'dist'];

function serve(req, res) {
  const path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  if (path === '/favicon.ico') {
    // No icon, and no 404 in the console of a page whose console the README asks you to read.
    res.writeHead(204).end();
    return;
  }
  if (path === '/') {
    res.writeHead(302, { location: '/demo/' });
    res.end();
    return;
  }
  let file = normalize(join(root, path));
  const top = file.slice(root.length).split(sep)[0];
  if (!file.startsWith(root) || !SERVED.includes(top)) {
    res.writeHead(404).end('Not found\n');
    return;
  }
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    statSync(file);
  } catch {
    const hint = top === 'dist' ? ' (run npm run build)' : '';
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found${hint}\n`);
    return;
  }
  const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
  if (extname(file) === '.html' && brokerPort !== DEMO_MQTT_PORT) {
    // The pages name the default broker port; on another port, they are served pointing at it.
    res
      .writeHead(200, headers)
      .end(
        readFileSync(file, 'utf8').replaceAll(
          `ws://localhost:${DEMO_MQTT_PORT}/mqtt`,
          `ws://localhost:${brokerPort}/mqtt`
        )
      );
    return;
  }
  res.writeHead(200, headers);
  createReadStream(file).pipe(res);
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server.address().port));
  });
}

let broker;
try {
  broker = noBroker ? undefined : await startBroker({ port: mqttPort });
} catch (error) {
  console.error(
    `Cannot start the MQTT broker on port ${mqttPort}: ${error.message}\nIs another broker running there? Try MQTT_PORT=9001 npm start`
  );
  process.exit(1);
}
/** The broker port the pages name: the broker's, or with --no-broker the one it would have. */
const brokerPort = broker?.port ?? mqttPort;
const stopDevices = broker ? [startSimulator(broker.broker), startDiscoveryDevices(broker.broker)] : [];
const http = createServer(serve);
let port;
try {
  port = await listen(http, httpPort);
} catch {
  port = await listen(http, 0);
  console.log(`  Port ${httpPort} is in use: serving on ${port} instead (PORT=... npm start to choose).`);
  // Remembered values belong to the page's origin, port included.
  if (noBroker) console.log(`  Values remembered by the pages on port ${httpPort} do not show on ${port}.`);
}

const page = `http://localhost:${port}/demo/`;
// The same ports again, so that the page keeps its origin and its broker url (what `persist` keys by).
const ports =
  port === DEMO_HTTP_PORT && brokerPort === DEMO_MQTT_PORT ? '' : ` --port ${port} --mqtt-port ${brokerPort}`;
const again = `node demo/server.mjs${ports}`;
const lines = broker
  ? [
      `Broker:     ws://localhost:${brokerPort}/mqtt  (aedes, with simulated devices publishing under home/, and zigbee2mqtt, Tasmota and ESPHome ones describing themselves under homeassistant/)`,
      `Remembered values: Ctrl-C, then ${again} --no-broker, and reload the dashboard.`,
    ]
  : [
      `Broker:     ws://localhost:${brokerPort}/mqtt  NOT RUNNING (--no-broker): no broker, no devices`,
      `The dashboard shows the values it remembered, marked stale. The broker back: Ctrl-C, then ${again}`,
    ];
if (brokerPort !== DEMO_MQTT_PORT) {
  lines.push(
    `The pages are served pointing at port ${brokerPort}; a copy of them elsewhere still says ${DEMO_MQTT_PORT}.`
  );
}
console.log(`
  mqtt-elements demo
  Dashboard:  ${page}
  Minimal:    ${page}minimal.html
  Discovery:  ${page}discovery.html
  Explorer:   ${page}explorer.html
${lines.map((line) => `  ${line}\n`).join('')}  Press Ctrl-C to stop.
`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  for (const stopDevice of stopDevices) stopDevice();
  http.closeAllConnections?.();
  await Promise.all([new Promise((resolve) => http.close(resolve)), broker?.close()]);
  console.log('Stopped.');
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
