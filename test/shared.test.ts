import { expect, waitUntil } from '@open-wc/testing';
import {
  brokerClients,
  brokerPublish,
  brokerStats,
  brokerSubscriptions,
  brokerUrl,
  subscriptionsAtBroker,
  sameOriginBrokerUrl,
  stopBroker,
  uniqueTopic,
} from './helpers.js';
import { holdWorker, Tab, workerStats } from './tabs.js';

// `<mqtt-connection shared>` across real tabs of one origin (scripts/tabs-plugin.mjs), each on the
// built bundle and its SharedWorker, against the `tabs` aedes broker, whose clients are counted.

const BROKER = 'tabs';

async function openTabs(count: number, url: string, topics: string[]): Promise<Tab[]> {
  const tabs: Tab[] = [];
  for (let i = 0; i < count; i++) tabs.push(await Tab.open({ url, topics: topics.join(',') }));
  for (const tab of tabs) await tab.until("window.tab.status() === 'connected'", 'connected');
  return tabs;
}

async function clientsAtBroker(count: number): Promise<void> {
  let clients: string[] = [];
  await waitUntil(
    async () => (clients = await brokerClients(BROKER)).length === count,
    `${count} client(s) at the broker`,
    { timeout: 5000 }
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}: ${clients.join(', ')} ${JSON.stringify(await workerStats())}`);
  });
}

describe('<mqtt-connection shared> across tabs', function () {
  this.timeout(40000);
  let url: string;

  before(async () => {
    url = await brokerUrl(BROKER);
    // This page, in front, is one of the worker's pages, as the tab a user looks at would be. (A
    // worker whose only other page sits frozen in the back/forward cache, as the runner's previous
    // test page does, is frozen too: it would not run until a page that is shown comes back.)
    holdWorker();
  });

  afterEach(async () => {
    await Tab.closeAll();
    await clientsAtBroker(0);
  });

  it('three tabs hold one broker connection, and every value reaches each of them', async () => {
    const topic = uniqueTopic('temperature');
    const tabs = await openTabs(3, url, [topic]);
    expect(await brokerClients(BROKER)).to.have.length(1);
    expect(await brokerSubscriptions(topic, BROKER)).to.have.length(1);
    await brokerPublish({ name: BROKER, topic, payload: '21.5' });
    for (const tab of tabs) await tab.shows(topic, '21.5');
    for (const tab of tabs) {
      const events = await tab.eval<string[]>('window.tab.events');
      expect(events, `tab ${tab.id}`).to.include.members(['status:connected', 'mqtt-connect']);
    }
  });

  it('a new tab shows the last value at once, though it was not retained', async () => {
    const topic = uniqueTopic('humidity');
    const [first] = await openTabs(1, url, [topic]);
    await brokerPublish({ name: BROKER, topic, payload: '48' });
    await first!.shows(topic, '48');
    const second = await Tab.open({ url, topics: topic });
    await second.shows(topic, '48', 1500);
    expect(await brokerClients(BROKER)).to.have.length(1);
  });

  it('publishes from any tab, and closing two tabs leaves the third working', async () => {
    const topic = uniqueTopic('lamp');
    const tabs = await openTabs(3, url, [topic]);
    expect(await tabs[1]!.eval(`window.tab.publish(${JSON.stringify(topic)}, 'on')`)).to.equal('published');
    for (const tab of tabs) await tab.shows(topic, 'on');
    await tabs[0]!.close();
    await tabs[1]!.close();
    await brokerPublish({ name: BROKER, topic, payload: 'off' });
    await tabs[2]!.shows(topic, 'off');
    expect(await brokerClients(BROKER)).to.have.length(1);
    expect(await brokerSubscriptions(topic, BROKER)).to.have.length(1);
  });

  it("killing a tab's renderer releases its subscriptions", async () => {
    const kept = uniqueTopic('kept');
    const dropped = uniqueTopic('dropped');
    const [survivor] = await openTabs(1, url, [kept]);
    const [doomed] = await openTabs(1, url, [dropped]);
    await subscriptionsAtBroker(dropped, 1, BROKER);
    await doomed!.crash();
    await subscriptionsAtBroker(dropped, 0, BROKER);
    await brokerPublish({ name: BROKER, topic: kept, payload: 'still here' });
    await survivor!.shows(kept, 'still here');
    expect(await brokerClients(BROKER)).to.have.length(1);
  });

  it('a tab that is left releases what it held, and takes it up again when the user comes back', async () => {
    const kept = uniqueTopic('front');
    const left = uniqueTopic('left');
    const [front] = await openTabs(1, url, [kept]);
    const [tab] = await openTabs(1, url, [left]);
    await subscriptionsAtBroker(left, 1, BROKER);
    await tab!.goto('/test/fixtures/package.html');
    await subscriptionsAtBroker(left, 0, BROKER);
    await tab!.back();
    await tab!.until('!!window.tab');
    await tab!.until("window.tab.status() === 'connected'", 'connected again');
    // The same page came back from the back/forward cache (its events go on), and joined again.
    const events = await tab!.eval<string[]>('window.tab.events');
    expect(events.slice(-4)).to.deep.equal([
      'status:disconnected',
      'mqtt-disconnect',
      'status:connected',
      'mqtt-connect',
    ]);
    await brokerPublish({ name: BROKER, topic: left, payload: 'back' });
    await tab!.shows(left, 'back');
    await front!.shows(kept, null);
    expect(await brokerClients(BROKER)).to.have.length(1);
  });

  it('a broker restart reconnects once for all tabs', async () => {
    const topic = uniqueTopic('restart');
    const tabs = await openTabs(3, url, [topic]);
    await stopBroker(BROKER);
    for (const tab of tabs) await tab.until("window.tab.status() !== 'connected'", 'lost');
    await brokerUrl(BROKER);
    for (const tab of tabs) await tab.until("window.tab.status() === 'connected'", 'reconnected', 15000);
    const { connects } = await brokerStats(BROKER);
    expect(connects, 'connections accepted by the restarted broker').to.equal(1);
    await brokerPublish({ name: BROKER, topic, payload: 'back' });
    for (const tab of tabs) await tab.shows(topic, 'back');
  });

  it('a page whose Content-Security-Policy refuses workers uses a connection of its own, and says so once', async () => {
    const topic = uniqueTopic('csp');
    const tab = await Tab.open({ url: sameOriginBrokerUrl(), topics: topic }, '/test/fixtures/shared-csp.html');
    await tab.until("window.tab.status() === 'connected'", 'connected on its own');
    await brokerPublish({ topic, payload: 'own' });
    await tab.shows(topic, 'own');
    const warnings = await tab.eval<string[]>('window.tab.warnings');
    const said = warnings.filter((w) => w.includes('<mqtt-connection shared>'));
    expect(said).to.have.length(1);
    expect(said[0]).to.match(/Content Security Policy|could not be loaded/);
  });
});
