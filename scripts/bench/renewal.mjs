// The renewal scenario of npm run bench:connections: credentials that expire, renewed without an
// outage. An aedes token broker (scripts/token-broker.mjs: a token is the password; the broker
// refuses expired ones and closes a connection when its token expires, as EMQX does); the page's
// credentials function gets 3 s tokens from Node (page.exposeFunction). For RENEWAL_SECONDS the page
// publishes QoS 1 every 100 ms, counted at the broker, and the broker streams a counter every 5 ms,
// counted in the page. It prints the renewals, what the page saw of them (status changes,
// disconnects, errors) and every count: sent, acknowledged, received, lost, twice.
import { startBroker } from '../broker.mjs';
import { authenticateToken, issueToken, tokenStats } from '../token-broker.mjs';

const LIFETIME = 3000;
const SECONDS = Number(process.env.RENEWAL_SECONDS ?? 15);
const PUBLISH_EVERY = 100;
const STREAM_EVERY = 5;

/** Of `values` (numbers as strings, expected 0..count-1): how many are missing, twice, out of order. */
function tally(values, count) {
  const seen = new Set(values);
  return {
    missing: count - [...seen].filter((value) => Number(value) < count).length,
    twice: values.length - seen.size,
    outOfOrder: values.filter((value, i) => i > 0 && Number(value) < Number(values[i - 1])).length,
  };
}

/** @param {{ print: (...lines: string[]) => void, page: () => Promise<import('puppeteer-core').Page> }} bench */
export async function renewal(bench) {
  const topic = `bench/renewal/${Date.now().toString(36)}`;
  const atBroker = [];
  const broker = await startBroker({
    ipv6: false,
    authenticate: authenticateToken,
    onPublish: (packet) => packet.topic === topic && atBroker.push(packet.payload.toString()),
  });
  const page = await bench.page();
  const closedBefore = tokenStats.expiredClosed;
  try {
    bench.print(
      `aedes token broker, ${LIFETIME / 1000} s tokens from the credentials function, ${SECONDS} s;`,
      `the page publishes QoS 1 every ${PUBLISH_EVERY} ms (counted at the broker); the broker streams a counter every ${STREAM_EVERY} ms (counted in the page)`
    );
    await page.exposeFunction('issueToken', (lifetime) => issueToken(lifetime));
    await page.evaluate(
      async (url, topic, lifetime) => {
        const conn = document.createElement('mqtt-connection');
        conn.url = url;
        const log = { asked: [], events: [], received: [], streamed: [], sent: 0, acknowledged: 0 };
        conn.credentials = async ({ reason }) => {
          log.asked.push({ reason, at: Date.now() });
          const { token, expiresAt } = await window.issueToken(lifetime);
          return { username: 'browser', password: token, expiresAt };
        };
        for (const type of ['mqtt-status', 'mqtt-connect', 'mqtt-disconnect', 'mqtt-error'])
          conn.addEventListener(type, () => log.events.push({ type, at: Date.now() }));
        Object.assign(window, { conn, log });
        document.body.append(conn);
        await new Promise((resolve) => conn.addEventListener('mqtt-connect', resolve, { once: true }));
        conn.subscribe(topic, (message) => log.received.push(new TextDecoder().decode(message.payload)));
        conn.subscribe(`${topic}/stream`, (message) => log.streamed.push(new TextDecoder().decode(message.payload)));
      },
      broker.url,
      topic,
      LIFETIME
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const connectedAt = Date.now();
    // The page publishes; the broker streams, each for SECONDS.
    const publishing = page.evaluate(
      async (topic, seconds, every) => {
        const pending = [];
        for (let i = 0; i < (seconds * 1000) / every; i++) {
          window.log.sent++;
          pending.push(window.conn.publish(topic, String(i), { qos: 1 }).then(() => window.log.acknowledged++));
          await new Promise((resolve) => setTimeout(resolve, every));
        }
        await Promise.allSettled(pending);
      },
      topic,
      SECONDS,
      PUBLISH_EVERY
    );
    let streamed = 0;
    for (const end = Date.now() + SECONDS * 1000; Date.now() < end; streamed++) {
      await broker.publish({ topic: `${topic}/stream`, payload: String(streamed) });
      await new Promise((resolve) => setTimeout(resolve, STREAM_EVERY));
    }
    await publishing;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const log = await page.evaluate(() => window.log);
    const after = log.events.filter(({ at }) => at >= connectedAt);
    const count = (type) => after.filter((event) => event.type === type).length;
    const renewals = log.asked.filter(({ reason }) => reason === 'renew');
    const moves = renewals.map(
      ({ at }) => after.find((event) => event.type === 'mqtt-connect' && event.at >= at)?.at - at
    );
    const qos1 = tally(atBroker, log.sent);
    const echoed = tally(log.received, log.sent);
    const stream = tally(log.streamed, streamed);
    bench.print(
      `renewals: ${renewals.length} (credentials asked: ${log.asked.map(({ reason }) => reason).join(', ')})`,
      `each move, from the renew request to the new connection in use: ${moves.map((ms) => `${ms} ms`).join(', ')}`,
      `after the first connect: mqtt-connect ${count('mqtt-connect')}, mqtt-status ${count('mqtt-status')}, mqtt-disconnect ${count('mqtt-disconnect')}, mqtt-error ${count('mqtt-error')}; status now ${await page.evaluate(() => window.conn.status)}`,
      `connections the broker closed for an expired token: ${tokenStats.expiredClosed - closedBefore}; clients at the broker now: ${broker.clients().length}`,
      `QoS 1 from the page: sent ${log.sent}, acknowledged ${log.acknowledged}, received at the broker ${atBroker.length} (lost ${qos1.missing}, twice ${qos1.twice}, out of order ${qos1.outOfOrder})`,
      `  and back through the page's subscription: ${log.received.length} (lost ${echoed.missing}, twice ${echoed.twice})`,
      `QoS 0 stream from the broker: sent ${streamed}, received ${log.streamed.length} (lost ${stream.missing}, twice ${stream.twice}, out of order ${stream.outOfOrder})`
    );
  } finally {
    await page.browserContext().close();
    await broker.close();
  }
}
