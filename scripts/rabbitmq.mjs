// A private RabbitMQ node (with its MQTT and Web MQTT plugins) for the interop tests: a third,
// independent broker. Debian's package: apt-get install -y rabbitmq-server (3.10.8 on Debian 12:
// MQTT 3.1.1 only, Web MQTT at the path /ws). The node runs from its own temp dir on free ports,
// with its own epmd (the port mapper of Erlang nodes): it neither needs nor disturbs one that runs.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { freePort } from './mosquitto.mjs';

export const RABBITMQ_SERVER = process.env.RABBITMQ_SERVER_PATH ?? '/usr/lib/rabbitmq/bin/rabbitmq-server';
const INSTALL = 'apt-get install -y rabbitmq-server';

/** The node's only account. Anonymous MQTT clients are let in as this user too. */
export const USER = { username: 'alice', password: 'secret' };

/**
 * The process group leader, run by `sh -c`: it starts epmd and RabbitMQ in its group, and ends the
 * whole group when its stdin closes, which happens when the runner stops the node or dies (even by
 * SIGKILL: the kernel closes the pipe). First SIGTERM (RabbitMQ stops in order), then after 5 s
 * SIGKILL; once RabbitMQ has exited (also if it exits on its own), it removes the node's dir and
 * ends what remains by SIGKILL.
 */
const LEADER = `
exec 3<&0
trap : TERM
epmd -port "$ERL_EPMD_PORT" &
i=0
until epmd -port "$ERL_EPMD_PORT" -names >/dev/null 2>&1; do
  i=$((i + 1)); [ "$i" -gt 100 ] && { echo "epmd did not start on port $ERL_EPMD_PORT" >&2; kill -KILL 0; }
  sleep 0.05
done
"$RABBITMQ_SERVER" &
node=$!
{ trap : TERM; read _ <&3; kill -TERM 0; sleep 5; kill -KILL 0; } &
while kill -0 "$node" 2>/dev/null; do wait "$node"; done
cd / && rm -rf "$RABBITMQ_DIR"
kill -KILL 0
`;

/** The uid and gid of the `rabbitmq` user when we are root (RabbitMQ should not run as root). */
function rabbitmqUser() {
  if (process.getuid?.() !== 0) return {};
  try {
    const id = (flag) => Number(execFileSync('id', [flag, 'rabbitmq'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(`There is no rabbitmq user. Install RabbitMQ: ${INSTALL}`);
  }
}

/** Keeps the last `max` characters written to a stream. */
function tail(stream, max = 4000) {
  const kept = { text: '' };
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => (kept.text = (kept.text + chunk).slice(-max)));
  return kept;
}

/** Connects over MQTT until it works: the node is up, Web MQTT listening, and the user exists. */
async function waitForWebMqtt(url, failed, deadline) {
  let last;
  while (Date.now() < deadline) {
    try {
      const client = await Promise.race([
        connectAsync(url, { ...USER, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 2000 }, false),
        failed,
      ]);
      await client.endAsync(true);
      return;
    } catch (error) {
      if (error.fatal) throw error;
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`RabbitMQ did not accept an MQTT connection at ${url}: ${last?.message}`);
}

/**
 * Starts one RabbitMQ node: a unique node name, its own RABBITMQ_* dirs in a new temp dir (owned by
 * the `rabbitmq` user when we are root, as RabbitMQ then runs as it), no AMQP listener, MQTT and
 * Web MQTT on 127.0.0.1. Anonymous MQTT connections are allowed; {@link USER} logs in with its
 * password, any other password is refused. Resolves once a client connected over Web MQTT (about
 * 15 s). Returns the url (`ws://…/ws`), the plain `mqtt://` one, and `close()`.
 */
export async function startRabbitmq({ timeout = 90_000 } = {}) {
  const owner = rabbitmqUser();
  const [epmdPort, distPort, mqttPort, wsPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-elements-rabbitmq-'));
  const node = `mqtt-elements-${randomBytes(4).toString('hex')}@localhost`;
  const removeFiles = () => rmSync(dir, { recursive: true, force: true });
  for (const sub of ['mnesia', 'log']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_mqtt,rabbitmq_web_mqtt].\n');
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
  writeFileSync(
    join(dir, 'rabbitmq.conf'),
    [
      'listeners.tcp = none',
      `mqtt.listeners.tcp.default = 127.0.0.1:${mqttPort}`,
      'web_mqtt.tcp.ip = 127.0.0.1',
      `web_mqtt.tcp.port = ${wsPort}`,
      `default_user = ${USER.username}`,
      `default_pass = ${USER.password}`,
      'mqtt.allow_anonymous = true',
      `mqtt.default_user = ${USER.username}`,
      `mqtt.default_pass = ${USER.password}`,
      'loopback_users = none',
      '',
    ].join('\n')
  );
  if (owner.uid !== undefined) {
    for (const path of ['', 'mnesia', 'log', 'enabled_plugins', 'rabbitmq-env.conf', 'rabbitmq.conf']) {
      chownSync(join(dir, path), owner.uid, owner.gid);
    }
  }
  const env = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    HOME: dir, // where the Erlang cookie goes
    ERL_EPMD_PORT: String(epmdPort),
    RABBITMQ_SERVER,
    RABBITMQ_DIR: dir,
    RABBITMQ_NODENAME: node,
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'), // not /etc/rabbitmq's
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_LOGS: '-', // to stdout, whose end is kept for the error of a failed start
    // Distribution on the loopback only; schedulers that do not spin while idle (2 shared cores).
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS:
      '-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none',
  };
  const leader = spawn('sh', ['-c', LEADER], { cwd: dir, env, detached: true, stdio: 'pipe', ...owner });
  const output = tail(leader.stdout);
  const errors = tail(leader.stderr);
  const exited = new Promise((resolve) => leader.once('exit', resolve));
  const failed = new Promise((_, reject) => {
    const fail = (message) => reject(Object.assign(new Error(message), { fatal: true }));
    leader.once('error', (error) => fail(`Cannot start RabbitMQ: ${error.message}`));
    leader.once('exit', (code, signal) =>
      fail(`RabbitMQ exited (${code ?? signal}). Is it installed (${INSTALL})?\n${errors.text}${output.text}`)
    );
  });
  failed.catch(() => {});

  let closing;
  /** Ends the node's process group (see LEADER), by SIGKILL if it has not ended 10 s later. */
  function close() {
    closing ??= (async () => {
      if (leader.exitCode === null && leader.signalCode === null) {
        leader.stdin.end();
        const late = setTimeout(() => {
          try {
            process.kill(-leader.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 10_000);
        await exited;
        clearTimeout(late);
      }
      removeFiles();
    })();
    return closing;
  }

  const url = `ws://127.0.0.1:${wsPort}/ws`;
  try {
    await waitForWebMqtt(url, failed, Date.now() + timeout);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, mqttUrl: `mqtt://127.0.0.1:${mqttPort}`, node, close };
}
