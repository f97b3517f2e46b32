import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { MqttConnection, MqttSubscribe, MqttValue } from '../src/index.js';
import {
  brokerPublish,
  brokerUrl,
  connected,
  loadFixture,
  nextFrame,
  sameOriginBrokerUrl,
  sleep,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

/** Payloads that would run code if anything inserted them as HTML or as a url. */
const ATTACKS = [
  '<script>window.pwned = "script"</script>',
  '<img src="x" onerror="window.pwned = \'img\'">',
  '<svg onload="window.pwned = \'svg\'"></svg>',
  '<iframe srcdoc="<script>parent.pwned = 1</script>"></iframe>',
  'javascript:window.pwned = "url"',
  '"><img src=x onerror=window.pwned=1>',
];

declare global {
  interface Window {
    pwned?: unknown;
  }
}

describe('security', () => {
  let url: string;
  before(async () => {
    url = await brokerUrl();
  });

  it('keeps script, handler and markup payloads inert wherever a payload lands', async () => {
    const topic = uniqueTopic('attack');
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}>
        <mqtt-value topic=${topic} type="text"></mqtt-value>
        <mqtt-value topic=${topic} type="text" map='{"x": "y"}' unit="u"></mqtt-value>
        <mqtt-subscribe topic=${topic} type="text" bind="textContent"><p></p></mqtt-subscribe>
        <mqtt-subscribe topic=${topic} type="text" bind="attr:title"><p></p></mqtt-subscribe>
        <mqtt-subscribe topic=${topic} type="text" bind="attr:data-x"><p></p></mqtt-subscribe>
        <mqtt-subscribe topic=${topic} type="text" bind="value"><input /></mqtt-subscribe>
        <mqtt-subscribe topic=${topic} type="boolean" bind="checked"><input type="checkbox" /></mqtt-subscribe>
      </mqtt-connection>`
    );
    const added: Node[] = [];
    const observer = new MutationObserver((records) => {
      for (const record of records)
        for (const node of record.addedNodes) if (node.nodeType === Node.ELEMENT_NODE) added.push(node);
    });
    observer.observe(el, { childList: true, subtree: true });
    for (const value of el.querySelectorAll('mqtt-value'))
      observer.observe(value.shadowRoot!, { childList: true, subtree: true });
    await subscriptionsAtBroker(topic, 1);
    for (const attack of ATTACKS) {
      await brokerPublish({ topic, payload: attack });
      await waitUntil(() => el.querySelector('p')!.textContent === attack, `not shown: ${attack}`);
      await nextFrame();
      for (const value of el.querySelectorAll<MqttValue>('mqtt-value'))
        expect(value.shadowRoot!.textContent).to.contain(attack);
      expect(el.querySelectorAll('p')[1].getAttribute('title')).to.equal(attack);
      expect(el.querySelector('input')!.value).to.equal(attack);
    }
    // Handlers of images and frames would run asynchronously.
    await sleep(200);
    observer.disconnect();
    expect(window.pwned, 'a payload ran').to.equal(undefined);
    expect(
      added.map((node) => (node as Element).localName).filter((name) => name !== 'span'),
      'elements made from payloads'
    ).to.deep.equal([]);
  });

  it('refuses bindings to on* attributes and script urls in href and src', async () => {
    const topic = uniqueTopic('urls');
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}>
        <mqtt-subscribe topic=${topic} type="text" bind="attr:href"><a>link</a></mqtt-subscribe>
        <mqtt-subscribe topic=${topic} type="text" bind="attr:src"><img alt="" /></mqtt-subscribe>
        <mqtt-subscribe topic=${topic} type="text" bind="href"><a>link</a></mqtt-subscribe>
        <mqtt-subscribe topic=${topic} type="text" bind="attr:onclick"><button>b</button></mqtt-subscribe>
        <mqtt-subscribe topic=${topic} type="text" bind="onclick"><button>b</button></mqtt-subscribe>
      </mqtt-connection>`
    );
    const hints: string[] = [];
    el.addEventListener('mqtt-error', (e) => hints.push(e.detail.hint));
    await subscriptionsAtBroker(topic, 1);
    for (const payload of ['javascript:window.pwned=1', ' JavaScript:window.pwned=1', 'java\tscript:window.pwned=1']) {
      await brokerPublish({ topic, payload });
      await waitUntil(() => hints.length >= 5, `not refused: ${payload}`);
      hints.length = 0;
    }
    for (const a of el.querySelectorAll('a')) expect(a.getAttribute('href')).to.equal(null);
    expect(el.querySelector('img')!.getAttribute('src')).to.equal(null);
    for (const button of el.querySelectorAll('button')) {
      expect(button.getAttribute('onclick')).to.equal(null);
      expect(button.onclick).to.equal(null);
      button.click();
    }
    // A harmless url is still bound.
    await brokerPublish({ topic, payload: 'https://example.com/' });
    await waitUntil(() => el.querySelector('a')!.getAttribute('href') === 'https://example.com/');
    expect(window.pwned).to.equal(undefined);
  });

  it('never reflects, logs or sends the password in an event', async () => {
    const secret = `pw-${Math.random().toString(36).slice(2)}`;
    const seen: string[] = [];
    const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
    const originals = methods.map((name) => console[name]);
    methods.forEach((name, i) => {
      console[name] = (...args: unknown[]) => {
        seen.push(args.map((a) => (a instanceof Error ? `${a.message} ${String(a.cause)}` : String(a))).join(' '));
        originals[i].apply(console, args);
      };
    });
    const events: string[] = [];
    const record = (e: Event) => {
      const detail = (e as CustomEvent).detail ?? {};
      events.push(
        JSON.stringify(detail, (_key, value) =>
          value instanceof Error
            ? { message: value.message, cause: String(value.cause), hint: (value as { hint?: string }).hint }
            : value
        )
      );
    };
    const types = ['mqtt-status', 'mqtt-connect', 'mqtt-disconnect', 'mqtt-error'];
    types.forEach((type) => document.addEventListener(type, record));
    try {
      const auth = await brokerUrl('auth');
      const el = document.createElement('mqtt-connection');
      el.url = auth;
      el.username = 'alice';
      el.password = secret;
      el.reconnectPeriod = 0;
      document.body.append(el);
      await waitUntil(() => el.hasAttribute('error'), 'not refused');
      expect(el.outerHTML).not.to.contain(secret);
      el.url = `ws://alice:${secret}@127.0.0.1:9/mqtt`;
      await waitUntil(() => el.error?.includes('127.0.0.1:9'));
      expect(el.error).not.to.contain(secret);
      el.url = auth;
      el.password = 'secret';
      await connected(el);
      el.remove();
      await waitUntil(() => el.client === undefined);
    } finally {
      methods.forEach((name, i) => (console[name] = originals[i]));
      types.forEach((type) => document.removeEventListener(type, record));
    }
    expect(events.length).to.be.at.least(4);
    for (const text of [...seen, ...events]) expect(text).not.to.contain(secret);
  });

  it('keeps the keep-alive timer in a worker where the page allows one', async () => {
    const el = await fixture<MqttConnection>(html`<mqtt-connection url=${url} keepalive="1"></mqtt-connection>`);
    await connected(el);
    // Any packet sent reschedules the ping: once the worker has answered, in the worker.
    const timerId = () => (el.client as unknown as { keepaliveManager: { timerId: number } }).keepaliveManager.timerId;
    const topic = uniqueTopic('ping');
    await waitUntil(async () => {
      await el.publish(topic, 'x');
      return timerId() < 0;
    }, 'the keep-alive never moved to a worker interval');
    let drops = 0;
    el.addEventListener('mqtt-disconnect', () => drops++);
    await sleep(2500);
    expect(drops).to.equal(0);
    await el.disconnect();
  });

  it("works on a page with a strict Content-Security-Policy (default-src 'self')", async () => {
    const { frame, win: page, doc } = await loadFixture('csp.html');
    const win = page as typeof page & { cspViolations: string[] };
    const topic = uniqueTopic('csp');
    const conn = doc.querySelector('mqtt-connection') as MqttConnection;
    for (const sub of doc.querySelectorAll<MqttValue | MqttSubscribe>('mqtt-value, mqtt-subscribe')) sub.topic = topic;
    const publisher = doc.querySelector('mqtt-publish')!;
    publisher.topic = `${topic}/button`;
    const tree = doc.querySelector('mqtt-tree')!;
    const treeTopic = uniqueTopic('csp-tree');
    tree.topic = `${treeTopic}/#`;
    conn.url = sameOriginBrokerUrl();
    // Pings every second: a keep-alive timer that never fires shows as a drop within 1.5 s.
    conn.keepalive = 1;
    conn.connect();
    let drops = 0;
    conn.addEventListener('mqtt-disconnect', () => drops++);
    await waitUntil(() => conn.status === 'connected', `not connected: ${conn.error}`);
    await subscriptionsAtBroker(topic, 1);
    await subscriptionsAtBroker(treeTopic, 1);
    await brokerPublish({ topic: `${treeTopic}/a`, payload: 'one' });
    await brokerPublish({ topic: `${treeTopic}/b`, payload: 'two' });
    await brokerPublish({ topic, payload: '<img src=x onerror="parent.pwned=1">21.5' });
    const value = doc.querySelector('mqtt-value')!;
    await waitUntil(() => value.shadowRoot?.textContent?.includes('21.5'), 'no value shown');
    expect(doc.querySelector('span')!.getAttribute('title')).to.contain('21.5');
    const published = oneEvent(publisher, 'mqtt-publish');
    doc.querySelector('button')!.click();
    expect((await published).detail.payload).to.equal('pressed');
    // Lit's styles apply (adopted style sheets, not inline <style>).
    expect(win.getComputedStyle(value).display).to.equal('inline');
    expect(win.getComputedStyle(value.shadowRoot!.querySelector('[part=unit]')!).marginInlineStart).not.to.equal('');
    // The tree places its rows through the CSSOM, which the policy allows (a style attribute it would refuse).
    const rows = () => Array.from(tree.shadowRoot!.querySelectorAll<HTMLElement>('[role=treeitem]'));
    await waitUntil(() => rows().length === 5, 'the tree shows no rows');
    const tops = rows().map((row) => row.getBoundingClientRect().top);
    expect(new Set(tops).size, 'rows on top of each other').to.equal(5);
    await sleep(3000);
    expect(drops, 'the keep-alive works under the policy').to.equal(0);
    expect(conn.status).to.equal('connected');
    // The one probe that finds out whether blob: workers may run (they may not: plain timers).
    expect(win.cspViolations).to.deep.equal(['worker-src blob']);
    expect((conn.client as unknown as { keepaliveManager: { timerId: number } }).keepaliveManager.timerId).to.be.above(
      0
    );
    expect(window.pwned).to.equal(undefined);
    await conn.disconnect();
    frame.remove();
  });
});
