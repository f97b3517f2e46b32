// mosquitto brokers for tests that need a second, independent implementation or MQTT 5.
// Debian's package: apt-get install -y mosquitto (it ships mosquitto_passwd too). Each broker runs
// from a generated config on free ports, with its files in a temp dir removed on close.
// spawnMosquitto and mosquittoConfig are shared with the bridged pair of scripts/mosquitto-cluster.mjs.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';

export const MOSQUITTO = process.env.MOSQUITTO_PATH ?? '/usr/sbin/mosquitto';
export const MOSQUITTO_PASSWD = process.env.MOSQUITTO_PASSWD_PATH ?? '/usr/bin/mosquitto_passwd';

/** The only account of the `password` variant. */
export const USER = { username: 'alice', password: 'secret' };

/** Runs a command line tool, turning a missing one into an error that says how to install it. */
function run(command, args, install) {
  try {
    execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    if (error.code === 'ENOENT') throw new Error(`${command} is missing. Install it: ${install}`);
    throw new Error(`${command} ${args.join(' ')} failed: ${error.stderr || error.message}`);
  }
}

/**
 * A self-signed certificate for `localhost` and 127.0.0.1, valid two days, made with openssl in a
 * new temp dir. `spki` is the base64 SHA-256 of its public key (SubjectPublicKeyInfo, DER): what
 * Chromium's `--ignore-certificate-errors-spki-list` takes. Synchronous: the test config needs the
 * hash before it launches the browser.
 */
export function createCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-elements-cert-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  try {
    run(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      'apt-get install -y openssl'
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const der = new X509Certificate(readFileSync(cert)).publicKey.export({ type: 'spki', format: 'der' });
  return {
    cert,
    key,
    spki: createHash('sha256').update(der).digest('base64'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A TCP port on the loopback interface that nothing listens on now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on `port` (loopback), or throws at `deadline`. */
export async function waitForPort(port, deadline) {
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`mosquitto did not open port ${port}`);
}

/**
 * The config lines every broker of the test bed starts with: run as the current user, no
 * persistence, errors on stderr, `auth` (default: anonymous), a plain MQTT listener on `mqttPort`
 * (needed: a config with only a websockets listener exits) and a WebSocket listener on `wsPort`
 * (mosquitto serves any path, and ignores a bind address there). Lines for the WebSocket listener
 * (certfile, keyfile) and for the rest of the file (a bridge) can follow.
 */
export function mosquittoConfig({ mqttPort, wsPort, auth = ['allow_anonymous true'] }) {
  return [
    // Started as root, mosquitto switches to its own user, which cannot read the key or the
    // password file in our private temp dirs: stay the user who runs the tests.
    `user ${userInfo().username}`,
    'persistence false',
    'log_dest stderr',
    'log_type error',
    ...auth,
    `listener ${mqttPort} 127.0.0.1`,
    'protocol mqtt',
    `listener ${wsPort}`,
    'protocol websockets',
  ];
}

/**
 * Runs mosquitto on the config file `config` (made with {@link mosquittoConfig}, listening on
 * `mqttPort` and `wsPort`) and resolves once its WebSocket listener accepts connections, with a
 * "pacer" client that keeps its WebSocket loop awake (`clientOptions`: what the pacer needs to
 * connect, such as credentials). `name` goes into error messages. Returns `stop(signal)`, which
 * sends `signal` (default SIGTERM) and resolves once the process has exited, and `exited`, true
 * once it has (also when it crashed). Each call starts a new process: a broker stopped with SIGKILL
 * can be started again from the same config on the same ports.
 */
export async function spawnMosquitto(config, { mqttPort, wsPort, name = 'mosquitto', clientOptions = {} }) {
  const child = spawn(MOSQUITTO, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const failed = new Promise((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`Cannot start ${MOSQUITTO}: ${error.message}. Install it: apt-get install -y mosquitto`))
    );
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${stderr}`)));
  });
  failed.catch(() => {});
  let pacer;
  try {
    await Promise.race([waitForPort(wsPort, Date.now() + 5000), failed]);
    // mosquitto 2.0.11 serves its WebSocket clients only when its main loop wakes up, which an idle
    // broker does about every 100 ms (measured: a WebSocket handshake took 200 ms, some PUBACKs
    // 100 ms). A plain MQTT client pinging every 10 ms keeps the loop awake: a connection in 10 ms.
    pacer = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
      ...clientOptions,
      clientId: `pacer-${mqttPort}-${child.pid}`,
      keepalive: 0,
      reconnectPeriod: 0,
    });
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  // A broker that is killed takes the pacer's connection with it.
  pacer.on('error', () => {});
  const pace = setInterval(() => pacer.connected && pacer.sendPing(), 10);
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid,
    get exited() {
      return !running();
    },
    async stop(signal = 'SIGTERM') {
      clearInterval(pace);
      if (signal !== 'SIGKILL') await pacer.endAsync(true).catch(() => {});
      if (running()) child.kill(signal);
      await exited;
      pacer.end(true);
    },
  };
}

/**
 * Starts one mosquitto with a plain MQTT listener and a WebSocket listener at `/mqtt`. Variants:
 * - `anonymous`: `ws://`, anyone may connect;
 * - `password`: `ws://`, only {@link USER} (a password file made with mosquitto_passwd);
 * - `tls`: `wss://localhost`, anonymous, with `certificate` ({ cert, key } file paths; default: a
 *   new one from {@link createCertificate}, which no browser trusts).
 * Returns the url, the credentials to use, and `close()`.
 */
export async function startMosquitto({ variant = 'anonymous', certificate } = {}) {
  if (!['anonymous', 'password', 'tls'].includes(variant)) throw new Error(`unknown mosquitto variant "${variant}"`);
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-elements-mosquitto-'));
  const ownCertificate = variant === 'tls' && !certificate ? createCertificate() : undefined;
  const removeFiles = () => {
    rmSync(dir, { recursive: true, force: true });
    ownCertificate?.remove();
  };
  let broker;
  const mqttPort = await freePort();
  const wsPort = await freePort();
  try {
    const auth = ['allow_anonymous true'];
    if (variant === 'password') {
      const passwords = join(dir, 'passwords');
      run(MOSQUITTO_PASSWD, ['-b', '-c', passwords, USER.username, USER.password], 'apt-get install -y mosquitto');
      auth.splice(0, 1, 'allow_anonymous false', `password_file ${passwords}`);
    }
    const tls =
      variant === 'tls'
        ? [`certfile ${(certificate ?? ownCertificate).cert}`, `keyfile ${(certificate ?? ownCertificate).key}`]
        : [];
    const config = join(dir, 'mosquitto.conf');
    writeFileSync(config, [...mosquittoConfig({ mqttPort, wsPort, auth }), ...tls, ''].join('\n'));
    broker = await spawnMosquitto(config, {
      mqttPort,
      wsPort,
      name: `mosquitto (${variant})`,
      clientOptions: variant === 'password' ? USER : {},
    });
  } catch (error) {
    removeFiles();
    throw error;
  }
  return {
    variant,
    url: variant === 'tls' ? `wss://localhost:${wsPort}/mqtt` : `ws://127.0.0.1:${wsPort}/mqtt`,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    ...(variant === 'password' ? USER : {}),
    async close() {
      await broker.stop();
      removeFiles();
    },
  };
}
