// A mosquitto broker for tests that need a second, independent implementation or MQTT 5.
// Debian's package: apt-get install -y mosquitto. Started with a generated config on free ports.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MOSQUITTO = process.env.MOSQUITTO_PATH ?? '/usr/sbin/mosquitto';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, deadline) {
  const { connect } = await import('node:net');
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
 * Starts mosquitto with a plain MQTT listener (needed: a config with only a websockets listener
 * exits) and a WebSocket listener. Anonymous access. Returns the ws url and a stop function.
 */
export async function startMosquitto() {
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-elements-mosquitto-'));
  const mqttPort = await freePort();
  const wsPort = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(
    config,
    [
      'persistence false',
      'log_dest stderr',
      'log_type error',
      `listener ${mqttPort} 127.0.0.1`,
      'protocol mqtt',
      'allow_anonymous true',
      `listener ${wsPort}`,
      'protocol websockets',
      'allow_anonymous true',
      '',
    ].join('\n')
  );
  const child = spawn(MOSQUITTO, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const failed = new Promise((_, reject) => {
    child.once('error', (error) => reject(new Error(`Cannot start ${MOSQUITTO}: ${error.message}. Install it: apt-get install -y mosquitto`)));
    child.once('exit', (code) => reject(new Error(`mosquitto exited (${code}): ${stderr}`)));
  });
  await Promise.race([waitForPort(wsPort, Date.now() + 5000), failed]);
  failed.catch(() => {});
  return {
    url: `ws://127.0.0.1:${wsPort}/mqtt`,
    async close() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
