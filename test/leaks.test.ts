import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { MqttConnection } from '../src/index.js';
import { registrySizes } from '../src/controllers/registry.js';
import type { MqttSession } from '../src/session/session.js';
import {
  brokerClients,
  brokerSubscriptions,
  brokerUrl,
  connected,
  countGlobalListeners,
  sleep,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

/** The insides of a connection that must not grow: its session and its context provider. */
function insides(connection: MqttConnection) {
  const { session, provider } = connection as unknown as {
    session: MqttSession;
    provider: { subscriptions: Map<unknown, unknown> };
  };
  return {
    filters: session.filterCount,
    listeners: session.listenerCount,
    statusWatchers: session.statusListenerCount,
    contextSubscribers: provider.subscriptions.size,
  };
}

describe('no leaks', () => {
  it('10 000 mount/unmount cycles leave no subscription at the broker and no growing internal sets', async function () {
    this.timeout(60000);
    const url = await brokerUrl();
    const prefix = uniqueTopic('churn');
    const connection = await fixture<MqttConnection>(
      html`<mqtt-connection id="churn-connection" url=${url}></mqtt-connection>`
    );
    await connected(connection);
    const before = insides(connection);
    const registryBefore = registrySizes();
    const globals = countGlobalListeners();
    let peakAtBroker = 0;
    try {
      const kinds = ['mqtt-value', 'mqtt-subscribe', 'mqtt-publish', 'mqtt-log'] as const;
      const cycles = 10000;
      const batch = 100;
      for (let round = 0; round < cycles / batch; round++) {
        const mounted: HTMLElement[] = [];
        for (let i = 0; i < batch; i++) {
          const el = document.createElement(kinds[i % kinds.length]);
          // Shared topics, one topic per round, and some that name their connection by id.
          el.setAttribute('topic', i % 10 === 0 ? `${prefix}/round${round}` : `${prefix}/shared${i % 7}`);
          if (i % 4 === 0) {
            el.setAttribute('connection', 'churn-connection');
            document.body.append(el);
          } else {
            connection.append(el);
          }
          mounted.push(el);
        }
        // Every tenth round stays long enough for its SUBSCRIBE to reach the broker.
        if (round % 10 === 0) {
          // Seven shared topics and this round's (the last round's on its way out): eight filters,
          // however many elements.
          const expected = [...Array.from({ length: 7 }, (_, i) => `${prefix}/shared${i}`), `${prefix}/round${round}`]
            .sort()
            .join();
          let held = '';
          await waitUntil(
            async () =>
              (held = (await brokerSubscriptions(prefix))
                .map((s) => s.filter)
                .sort()
                .join()) === expected,
            `the broker holds ${held}`,
            { interval: 10 }
          );
          peakAtBroker = Math.max(peakAtBroker, held.split(',').length);
        } else {
          await (mounted[batch - 1] as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
          await sleep(0);
        }
        for (const el of mounted) el.remove();
      }
      await subscriptionsAtBroker(prefix, 0);
    } finally {
      globals.restore();
    }
    await sleep(50);
    const after = insides(connection);
    console.log(
      `churn: 10000 cycles, up to ${peakAtBroker} filters at the broker at once, then 0; insides before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`
    );
    expect(peakAtBroker, 'the cycles did reach the broker').to.equal(8);
    expect(after).to.deep.equal(before);
    expect(registrySizes()).to.deep.equal(registryBefore);
    for (const [key, count] of globals.balance) expect(count, `${key} listeners left behind`).to.equal(0);
    await connection.disconnect();
  });

  it('a removed <mqtt-connection> ends its client at the broker, and leaves no registry entry', async () => {
    const url = await brokerUrl();
    const clients = () => brokerClients();
    const baseline = (await clients()).length;
    const registryBefore = registrySizes();
    const connections: MqttConnection[] = [];
    for (let i = 0; i < 20; i++) {
      const el = document.createElement('mqtt-connection');
      el.url = url;
      el.id = `gone-${i}`;
      document.body.append(el);
      connections.push(el);
    }
    await waitUntil(() => connections.every((el) => el.status === 'connected'), 'not all connected', {
      timeout: 10000,
    }).catch((error: Error) => {
      throw new Error(
        `${error.message}: ${connections.map((el) => `${el.id} ${el.status} ${el.error ?? ''} ${el.client ? 'client' : 'no client'}`).join('; ')}`
      );
    });
    expect((await clients()).length).to.equal(baseline + 20);
    for (const el of connections) el.remove();
    await waitUntil(async () => (await clients()).length === baseline, 'clients still connected at the broker');
    for (const el of connections) {
      expect(el.client).to.equal(undefined);
      expect(el.status).to.equal('disconnected');
    }
    expect(registrySizes()).to.deep.equal(registryBefore);
  });
});
