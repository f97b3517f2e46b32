// An embedded MQTT broker for the tests, the demo and the benchmark: aedes behind `ws`, on loopback.
import { Aedes } from 'aedes';
import { createServer } from 'node:http';
import { WebSocketServer, createWebSocketStream } from 'ws';

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

/**
 * Starts aedes with a WebSocket listener at `path` on 127.0.0.1 (and on ::1 at the same port, so
 * that `localhost` works whichever address the browser tries first).
 * Counts SUBSCRIBE and UNSUBSCRIBE packets, and lists the subscriptions it holds.
 */
export async function startBroker({
  port = 0,
  path = '/mqtt',
  hostname = '127.0.0.1',
  ipv6 = true,
  authenticate,
  onPublish,
} = {}) {
  const broker = await Aedes.createBroker(authenticate ? { authenticate } : {});
  // `connects`: clients the broker accepted (a reconnect counts again).
  const stats = { subscribePackets: 0, unsubscribePackets: 0, published: 0, connects: 0 };
  broker.on('client', () => stats.connects++);
  broker.on('subscribe', () => stats.subscribePackets++);
  broker.on('unsubscribe', () => stats.unsubscribePackets++);
  broker.on('publish', (packet, client) => {
    if (!client) return;
    stats.published++;
    onPublish?.(packet, client);
  });

  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set();
  wss.on('connection', (ws, req) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    broker.handle(createWebSocketStream(ws), req);
  });
  const servers = [];
  const onUpgrade = (req, socket, head) => {
    if (new URL(req.url, 'http://x').pathname !== path) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  const make = () => {
    const server = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end(`MQTT over WebSocket is served at ${path}\n`);
    });
    server.on('upgrade', onUpgrade);
    servers.push(server);
    return server;
  };
  const actualPort = await listen(make(), port, hostname);
  if (ipv6 && hostname === '127.0.0.1') {
    await listen(make(), actualPort, '::1').catch(() => servers.pop()?.close());
  }

  return {
    broker,
    stats,
    port: actualPort,
    url: `ws://${hostname === '::1' ? '[::1]' : hostname}:${actualPort}${path}`,
    /** Subscriptions the broker holds, optionally only those whose filter starts with `prefix`. */
    subscriptions(prefix = '') {
      const result = [];
      for (const client of Object.values(broker.clients)) {
        for (const [filter, sub] of Object.entries(client.subscriptions ?? {})) {
          if (filter.startsWith(prefix)) result.push({ clientId: client.id, filter, qos: sub.qos });
        }
      }
      return result;
    },
    /** Publishes from the broker itself. */
    publish({ topic, payload, qos = 0, retain = false }) {
      return new Promise((resolve, reject) => {
        broker.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain, dup: false }, (err) =>
          err ? reject(err) : resolve()
        );
      });
    },
    /** Hands an HTTP upgrade request from another server (same-origin tests) to this broker. */
    upgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    /** Stops reading from every open connection, leaving it open: sockets that look up but are dead. */
    freeze() {
      for (const ws of sockets) ws.pause();
    },
    /** Client ids connected now. */
    clients() {
      return Object.keys(broker.clients);
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(() => resolve()))));
      wss.close();
      await new Promise((resolve) => broker.close(() => resolve()));
    },
  };
}
