import WebSocket from 'ws';
import mqtt from 'mqtt';
import { readFileSync } from 'node:fs';
import { startMosquitto } from './mosquitto.mjs';
const m = await startMosquitto();
async function measure(label) {
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const ws = new WebSocket(m.url, 'mqtt');
    await new Promise((r) => ws.once('open', r));
    const open = performance.now() - t;
    const t1 = performance.now();
    const c = await mqtt.connectAsync(m.url, { protocolVersion: 5, reconnectPeriod: 0 });
    const conn = performance.now() - t1;
    console.log(label, 'ws open', Math.round(open), 'mqtt connect (incl ws)', Math.round(conn));
    ws.close(); await c.endAsync();
  }
}
await measure('plain');
// find tcp port from config
const tcp = mqtt.connect(`mqtt://127.0.0.1:${process.argv[2] ?? 0}`);
await measure('plain2');
await m.close();
