import { expect, waitUntil } from '@open-wc/testing';
import { brokerPublish, brokerUrl, loadFixture, subscriptionsAtBroker, uniqueTopic } from './helpers.js';

// build/pack/app is the scratch project into which `npm test` installs the packed tarball
// (scripts/check-package.mjs runs before the browser tests).
describe('the npm package, installed from its tarball', () => {
  it('runs its ESM entry in a page, with its dependencies resolved from the install', async () => {
    const { frame, doc, win } = await loadFixture('package.html').catch((error: Error) => {
      throw new Error(`${error.message}. Run npm test, or node scripts/check-package.mjs first: it installs the package.`);
    });
    const imported = win.performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(imported.some((name) => name.includes('/build/pack/app/node_modules/lit')), 'lit came from the install').to.be.true;
    const topic = uniqueTopic('package');
    const conn = doc.querySelector('mqtt-connection') as HTMLElement & { url: string; connect(): void; disconnect(): Promise<void> };
    const value = doc.querySelector('mqtt-value') as HTMLElement & { topic: string };
    value.topic = topic;
    conn.url = await brokerUrl();
    conn.connect();
    await subscriptionsAtBroker(topic, 1);
    await brokerPublish({ topic, payload: '{"celsius":19.96}' });
    await waitUntil(() => value.shadowRoot?.textContent?.includes('20.0'), 'no value shown');
    await conn.disconnect();
    frame.remove();
  });
});
