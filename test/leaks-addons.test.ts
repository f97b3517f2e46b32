import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { MqttConnection } from '../src/index.js';
import '../src/discovery.js';
import '../src/tree.js';
import type { MqttSession } from '../src/session/session.js';
import {
  brokerPublish,
  brokerUrl,
  connected,
  countGlobalListeners,
  sleep,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

// The add-ons' elements come and go as the others do: <mqtt-discovery> (whose cards hold values,
// switches and availability subscriptions of their own) and <mqtt-tree>, mounted and removed again
// and again, leave no subscription at the broker and nothing behind in the session.

function insides(connection: MqttConnection) {
  const { session } = connection as unknown as { session: MqttSession };
  return {
    filters: session.filterCount,
    listeners: session.listenerCount,
    statusWatchers: session.statusListenerCount,
  };
}

describe('no leaks in the add-ons', () => {
  it('200 mounts of a discovery dashboard and a tree leave nothing behind', async function () {
    this.timeout(60000);
    const prefix = uniqueTopic('addon-churn');
    const config = (i: number) => ({
      name: `Plug ${i}`,
      stat_t: `${prefix}/plug${i}/state`,
      cmd_t: `${prefix}/plug${i}/set`,
      avty_t: `${prefix}/plug${i}/online`,
      dev: { ids: `plug${i}`, name: `Plug ${i}` },
    });
    for (let i = 0; i < 3; i++) {
      await brokerPublish({
        topic: `${prefix}/switch/plug${i}/config`,
        payload: JSON.stringify(config(i)),
        retain: true,
      });
      await brokerPublish({ topic: `${prefix}/plug${i}/online`, payload: 'online', retain: true });
      await brokerPublish({ topic: `${prefix}/plug${i}/state`, payload: 'ON', retain: true });
    }
    const connection = await fixture<MqttConnection>(
      html`<mqtt-connection url=${await brokerUrl()}></mqtt-connection>`
    );
    await connected(connection);
    const before = insides(connection);
    const globals = countGlobalListeners();
    try {
      for (let round = 0; round < 200; round++) {
        const discovery = document.createElement('mqtt-discovery');
        discovery.prefix = prefix;
        const tree = document.createElement('mqtt-tree');
        tree.topic = `${prefix}/#`;
        connection.append(discovery, tree);
        if (round % 50 === 0) {
          // Long enough to build the cards: 3 switches, each with its state and availability.
          await waitUntil(() => discovery.shadowRoot?.querySelectorAll('input:checked').length === 3, 'no cards', {
            timeout: 5000,
          });
          await waitUntil(() => tree.size >= 9, 'the tree holds nothing');
        } else await sleep(0);
        discovery.remove();
        tree.remove();
      }
      await subscriptionsAtBroker(prefix, 0);
    } finally {
      globals.restore();
    }
    await sleep(50);
    expect(insides(connection)).to.deep.equal(before);
    for (const [key, count] of globals.balance) expect(count, `${key} listeners left behind`).to.equal(0);
    await connection.disconnect();
  });
});
