// Production connections (issue 13): several broker urls with failover, and credentials asked for
// before every attempt. Real aedes brokers that are stopped mid-stream; a token broker whose tokens
// expire; credentials urls served by the test server.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { MqttConnection, MqttCredentialsRequest, MqttErrorEvent, MqttValue } from '../src/index.js';
import {
  brokerPublish,
  brokerUrl,
  connected,
  recordedPublishes,
  recordPublishes,
  refuserAttempts,
  refuserUrl,
  sleep,
  stopBroker,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

/** A url where nothing listens. */
const DEAD = 'ws://127.0.0.1:9/mqtt';

describe('several broker urls (a cluster)', () => {
  let conn: MqttConnection | undefined;
  afterEach(async () => {
    await conn?.disconnect();
    conn = undefined;
    await brokerUrl('node-a');
    await brokerUrl('node-b');
  });

  it('moves to the next node at once when the node in use dies: values keep coming, a QoS 1 publish arrives', async () => {
    const [a, b] = [await brokerUrl('node-a'), await brokerUrl('node-b')];
    const topic = uniqueTopic('power');
    await recordPublishes(topic, 'node-b');
    conn = await fixture<MqttConnection>(html`
      <mqtt-connection url="${a} ${b}" reconnect-period="5000">
        <mqtt-value topic=${topic}></mqtt-value>
      </mqtt-connection>
    `);
    const value = conn.querySelector<MqttValue>('mqtt-value')!;
    await connected(conn);
    expect(conn.connectedUrl).to.equal(a);
    expect(conn.getAttribute('connected-url')).to.equal(a);
    await subscriptionsAtBroker(topic, 1, 'node-a');
    await brokerPublish({ name: 'node-a', topic, payload: '1' });
    await waitUntil(() => value.value === 1, 'no value from node a');
    const killed = performance.now();
    await stopBroker('node-a');
    // Published while the connection moves: queued, then sent to node b.
    const sent = conn.publish(`${topic}/cmd`, 'during failover', { qos: 1 });
    await waitUntil(() => conn!.connectedUrl === b, 'did not move to node b', { timeout: 4000 });
    const failover = performance.now() - killed;
    await sent;
    await subscriptionsAtBroker(topic, 1, 'node-b');
    await brokerPublish({ name: 'node-b', topic, payload: '2' });
    await waitUntil(() => value.value === 2, 'no value from node b');
    expect(await recordedPublishes(topic, 'node-b')).to.deep.equal(['during failover']);
    // reconnect-period is 5 s: moving to the other node did not wait for it.
    expect(failover, 'moved at once, not after reconnect-period').to.be.below(3000);
  });

  it('skips a dead first url, reporting it by name', async () => {
    const b = await brokerUrl('node-b');
    const el = document.createElement('mqtt-connection');
    conn = el;
    el.url = `${DEAD} ${b}`;
    const error = oneEvent(el, 'mqtt-error');
    document.body.append(el);
    const event: MqttErrorEvent = await error;
    expect(event.detail.error.message).to.contain('127.0.0.1:9');
    await connected(el);
    expect(el.connectedUrl).to.equal(b);
    el.remove();
  });

  it('with every url dead: one error per url, and a pause only between rounds', async () => {
    const refuser = await refuserUrl();
    conn = await fixture<MqttConnection>(
      html`<mqtt-connection
        url="${refuser} ${DEAD}"
        reconnect-period="400"
        reconnect-max-period="400"
      ></mqtt-connection>`
    );
    const errors: string[] = [];
    conn.addEventListener('mqtt-error', (event) => errors.push(event.detail.error.message));
    await sleep(1500);
    await conn.disconnect();
    const attempts = await refuserAttempts();
    // Rounds start 200-400 ms apart (jitter): 1500 ms holds 4 to 8 of them, one refuser attempt each.
    expect(attempts, 'one attempt at each url per round').to.be.within(3, 9);
    expect(errors.filter((message) => message.includes('127.0.0.1:9')).length).to.be.within(attempts - 1, attempts + 1);
    expect(errors.filter((message) => message.includes(new URL(refuser).host)).length).to.be.at.least(attempts - 1);
  });

  it('starts at a random url with shuffle', async () => {
    const [a, b] = [await brokerUrl('node-a'), await brokerUrl('node-b')];
    const seen = new Set<string>();
    // 20 tries: both urls are seen but once in 2^19 runs.
    for (let i = 0; i < 20 && seen.size < 2; i++) {
      const el = await fixture<MqttConnection>(html`<mqtt-connection shuffle url="${a} ${b}"></mqtt-connection>`);
      await connected(el);
      seen.add(el.connectedUrl!);
      await el.disconnect();
      el.remove();
    }
    expect([...seen].sort()).to.deep.equal([a, b].sort());
  });
});

describe('credentials that change', () => {
  let conn: MqttConnection | undefined;
  afterEach(async () => {
    await conn?.disconnect();
    conn = undefined;
  });

  const token = (lifetime = 60000) =>
    executeServerCommand<{ token: string; expiresAt: number }, { lifetime: number }>('token-issue', { lifetime });

  it('asks the credentials function before the first attempt and each reconnect', async () => {
    const url = await brokerUrl('tokens');
    const requests: MqttCredentialsRequest[] = [];
    conn = document.createElement('mqtt-connection');
    conn.url = url;
    conn.reconnectPeriod = 100;
    conn.credentials = async (request) => {
      requests.push(request);
      return { username: 'browser', password: (await token()).token };
    };
    document.body.append(conn);
    await connected(conn);
    expect(requests).to.deep.equal([{ url, attempt: 1, reason: 'connect' }]);
    await stopBroker('tokens');
    await brokerUrl('tokens');
    await connected(conn);
    expect(requests.at(-1)?.reason).to.equal('reconnect');
    expect(conn.getAttribute('error') ?? '').not.to.contain('token-');
    conn.remove();
  });

  it('asks once more at once when the broker refuses a token, before the refusal is final', async () => {
    const url = await brokerUrl('tokens');
    const reasons: string[] = [];
    conn = document.createElement('mqtt-connection');
    conn.url = url;
    conn.reconnectPeriod = 5000;
    conn.credentials = async ({ reason }) => {
      reasons.push(reason);
      return { username: 'browser', password: reason === 'connect' ? 'expired-token' : (await token()).token };
    };
    let errors = 0;
    conn.addEventListener('mqtt-error', () => errors++);
    document.body.append(conn);
    await connected(conn, 3000);
    expect(reasons).to.deep.equal(['connect', 'refused']);
    expect(errors, 'a refusal that the next credentials fix is no error').to.equal(0);
    conn.remove();
  });

  it('reports a refusal of fresh credentials as final after the second ask', async () => {
    const url = await brokerUrl('tokens');
    const reasons: string[] = [];
    conn = document.createElement('mqtt-connection');
    conn.url = url;
    conn.credentials = ({ reason }) => {
      reasons.push(reason);
      return { username: 'browser', password: 'never-valid' };
    };
    const error = oneEvent(conn, 'mqtt-error');
    document.body.append(conn);
    const event: MqttErrorEvent = await error;
    expect(event.detail.hint).to.contain('password');
    await waitUntil(() => conn!.status === 'disconnected', 'a second refusal is final');
    expect(reasons).to.deep.equal(['connect', 'refused']);
    expect(conn.getAttribute('error')).not.to.contain('never-valid');
    conn.remove();
  });

  it('fetches credentials-url (same origin) before connecting', async () => {
    conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${await brokerUrl('tokens')} credentials-url="/__credentials/token"></mqtt-connection>`
    );
    await connected(conn);
  });

  for (const [kind, expected] of [
    ['unauthorized', 'HTTP 401'],
    ['error', 'HTTP 500'],
    ['html', 'did not answer JSON'],
  ] as const) {
    it(`explains a credentials-url that answers ${expected}, and retries`, async () => {
      const el = document.createElement('mqtt-connection');
      conn = el;
      el.url = await brokerUrl('tokens');
      el.reconnectPeriod = 100;
      el.credentialsUrl = `/__credentials/${kind}`;
      const errors: MqttErrorEvent[] = [];
      el.addEventListener('mqtt-error', (event) => errors.push(event));
      document.body.append(el);
      await waitUntil(() => errors.length >= 2, 'not retried');
      expect(errors[0].detail.error.message).to.contain(`/__credentials/${kind}`).and.to.contain(expected);
      expect(errors[0].detail.hint).not.to.equal('');
      expect(el.status).not.to.equal('connected');
      el.remove();
    });
  }

  it('tells a credentials-url answering JSON without a password from a refusal by the broker', async () => {
    const el = document.createElement('mqtt-connection');
    conn = el;
    el.url = await brokerUrl('tokens');
    el.credentialsUrl = '/__credentials/no-password';
    const error = oneEvent(el, 'mqtt-error');
    document.body.append(el);
    const event: MqttErrorEvent = await error;
    expect(event.detail.error.message).to.contain('refused');
    await waitUntil(() => el.status === 'disconnected', 'refused twice: final');
    el.remove();
  });

  it('explains a credentials function that throws or never answers', async () => {
    const el = document.createElement('mqtt-connection');
    conn = el;
    el.url = await brokerUrl('tokens');
    el.connectTimeout = 300;
    el.reconnectPeriod = 100;
    let calls = 0;
    el.credentials = () => (++calls === 1 ? Promise.reject(new Error('backend unreachable')) : new Promise(() => {}));
    const errors: string[] = [];
    el.addEventListener('mqtt-error', (event) => errors.push(event.detail.error.message));
    document.body.append(el);
    await waitUntil(() => errors.length >= 2, 'no second error', { timeout: 3000 });
    expect(errors[0]).to.contain('backend unreachable');
    expect(errors[1]).to.contain('did not answer within connect-timeout');
    el.remove();
  });
});
