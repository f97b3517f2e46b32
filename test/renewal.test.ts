// Renewal of credentials that expire (issue 13), against the test bed's token broker: aedes that
// takes tokens with a lifetime as the password, refuses expired ones, and closes a connection when
// its token expires, as EMQX does. Counts are taken at the broker.
import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { MqttConnection, MqttCredentialsRequest } from '../src/index.js';
import {
  brokerClients,
  brokerPublish,
  brokerUrl,
  connected,
  recordedPublishes,
  recordPublishes,
  sleep,
  stopBroker,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

const issue = (lifetime: number) =>
  executeServerCommand<{ token: string; expiresAt: number }, { lifetime: number }>('token-issue', { lifetime });
const tokenStats = () =>
  executeServerCommand<{ accepted: number; refused: number; expiredClosed: number }, undefined>('token-stats');

/** A connection to the token broker whose credentials function hands out tokens of `lifetime` ms. */
async function tokenConnection(
  lifetime: number,
  answer?: (request: MqttCredentialsRequest) => string | undefined
): Promise<{ conn: MqttConnection; reasons: string[]; events: string[] }> {
  const conn = document.createElement('mqtt-connection');
  conn.url = await brokerUrl('tokens');
  const reasons: string[] = [];
  conn.credentials = async (request) => {
    reasons.push(request.reason);
    const { token, expiresAt } = await issue(lifetime);
    return { username: 'browser', password: answer?.(request) ?? token, expiresAt };
  };
  const events: string[] = [];
  for (const type of ['mqtt-status', 'mqtt-connect', 'mqtt-disconnect', 'mqtt-error']) {
    conn.addEventListener(type, () => events.push(type));
  }
  document.body.append(conn);
  await connected(conn);
  events.length = 0;
  return { conn, reasons, events };
}

const text = (payload: Uint8Array) => new TextDecoder().decode(payload);

describe('renewal of credentials that expire', () => {
  let conn: MqttConnection | undefined;
  afterEach(async () => {
    await conn?.disconnect();
    conn?.remove();
    conn = undefined;
  });

  it('renews 3 s tokens three times in a row while publishing QoS 1 every 100 ms: nothing lost, no outage', async function () {
    this.timeout(30000);
    const topic = uniqueTopic('renew');
    await recordPublishes(topic, 'tokens');
    const before = await tokenStats();
    const opened = await tokenConnection(3000);
    conn = opened.conn;
    const received: string[] = [];
    conn.subscribe(topic, (message) => received.push(text(message.payload)));
    // A retained state: each new connection's subscription gets it again from the broker.
    await brokerPublish({ name: 'tokens', topic: `${topic}/state`, payload: 'on', retain: true });
    const states: string[] = [];
    conn.subscribe(`${topic}/state`, (message) => states.push(text(message.payload)));
    // A stream from the broker, fast enough to be under way while two connections are subscribed.
    const streamed: string[] = [];
    conn.subscribe(`${topic}/stream`, (message) => streamed.push(text(message.payload)));
    await subscriptionsAtBroker(topic, 3, 'tokens');
    const STREAM = 1500;
    const stream = brokerPublish({ name: 'tokens', topic: `${topic}/stream`, payload: '{i}', count: STREAM, every: 5 });
    const sent: string[] = [];
    const acknowledged: Promise<void>[] = [];
    const renewals = () => opened.reasons.filter((reason) => reason === 'renew').length;
    const connects = () => opened.events.filter((type) => type === 'mqtt-connect').length;
    // Until the third renewal has taken over, and a second longer.
    for (let i = 0; connects() < 3 || sent.length < 10; i++) {
      if (i > 150) throw new Error(`only ${renewals()} renewals in 15 s`);
      sent.push(String(i));
      acknowledged.push(conn.publish(topic, String(i), { qos: 1 }));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (let i = 0; i < 10; i++) {
      const payload = `after ${i}`;
      sent.push(payload);
      acknowledged.push(conn.publish(topic, payload, { qos: 1 }));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await Promise.all(acknowledged);
    await stream;
    await waitUntil(() => streamed.includes(String(STREAM - 1)), `streamed ${streamed.length} of ${STREAM}`);
    const twice = streamed.filter((payload, i) => streamed.indexOf(payload) !== i);
    const missing = Array.from({ length: STREAM }, (_, i) => String(i)).filter((i) => !streamed.includes(i));
    expect({ twice, missing }, 'the stream came through each move once').to.deep.equal({ twice: [], missing: [] });
    expect(
      streamed.every((payload, i) => payload === String(i)),
      'in order'
    ).to.equal(true);
    await waitUntil(() => received.length >= sent.length, `received ${received.length} of ${sent.length}`);
    const atBroker = await recordedPublishes(topic, 'tokens');
    const after = await tokenStats();
    expect(renewals()).to.be.at.least(3);
    expect(opened.events, 'a renewal is no outage: only mqtt-connect, for each new connection').to.deep.equal(
      opened.reasons.slice(1).map(() => 'mqtt-connect')
    );
    expect(conn.status).to.equal('connected');
    expect(states, 'the retained state, once: its replays to the new connections are not news').to.deep.equal(['on']);
    expect(atBroker, 'every QoS 1 publish arrived, in order').to.deep.equal(sent);
    expect(received, 'each message came back once: none lost, none twice, in order').to.deep.equal(sent);
    expect(after.expiredClosed - before.expiredClosed, 'the broker never closed a connection for its token').to.equal(
      0
    );
    // The replaced connections were ended: one client left.
    await waitUntil(async () => (await brokerClients('tokens')).length === 1, 'replaced clients still connected');
  });

  it('alternates client ids across a reconnect: a renewal never takes the id in use', async function () {
    this.timeout(20000);
    const opened = await tokenConnection(3000);
    conn = opened.conn;
    conn.clientId = `renew-ids-${Math.random().toString(36).slice(2, 8)}`;
    await conn.disconnect();
    conn.connect();
    await connected(conn);
    const base = conn.clientId;
    // The first renewal moves to `${base}r`; then the broker restarts and the connection comes back.
    await waitUntil(() => conn!.client?.options.clientId === `${base}r`, 'not renewed', { timeout: 5000 });
    await stopBroker('tokens');
    await brokerUrl('tokens');
    await connected(conn, 8000);
    expect(conn.client?.options.clientId, 'a reconnect keeps the id in use').to.equal(`${base}r`);
    // The next renewal takes the other id: had it taken the one in use, the broker would have
    // closed the connection in use (a session takeover).
    opened.events.length = 0;
    await waitUntil(() => conn!.client?.options.clientId === base, 'not renewed after the reconnect', {
      timeout: 5000,
    });
    await sleep(300);
    expect(opened.events.filter((type) => type !== 'mqtt-connect')).to.deep.equal([]);
    expect(conn.status).to.equal('connected');
  });

  it('reports a refused renewal, keeps the connection, and renews with the next credentials', async function () {
    this.timeout(20000);
    const topic = uniqueTopic('renew-refused');
    let renewals = 0;
    const opened = await tokenConnection(8000, ({ reason }) =>
      reason === 'renew' && ++renewals === 1 ? 'refused-token' : undefined
    );
    conn = opened.conn;
    let value = '';
    conn.subscribe(topic, (message) => (value = text(message.payload)));
    await waitUntil(() => opened.events.includes('mqtt-error'), 'a refused renewal is reported', { timeout: 9000 });
    expect(conn.status).to.equal('connected');
    expect(conn.error).to.contain('Renewing the credentials').and.not.to.contain('refused-token');
    await waitUntil(() => opened.events.includes('mqtt-connect'), 'renewed on the second try', { timeout: 4000 });
    expect(opened.events.filter((type) => type !== 'mqtt-error' && type !== 'mqtt-connect')).to.deep.equal([]);
    await conn.publish(topic, 'still here', { qos: 1 });
    await waitUntil(() => value === 'still here', 'subscriptions carried over');
  });
});
