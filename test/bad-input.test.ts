import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import type { MqttConnection, MqttErrorEvent, MqttPublish, MqttSubscribe, MqttValue } from '../src/index.js';
import {
  brokerUrl,
  captureWarnings,
  connected,
  nextFrame,
  refuserAttempts,
  refuserUrl,
  sleep,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

/**
 * Every bad input gets the same checks: an `mqtt-error` with a hint from the element that got it, a
 * console warning, the `error` attribute, no uncaught exception, and a sibling `<mqtt-value>` and
 * the connection that keep working.
 */
describe('bad input', () => {
  let url: string;
  let uncaught: unknown[];
  let capture: ReturnType<typeof captureWarnings>;
  const onError = (e: ErrorEvent) => uncaught.push(e.error ?? e.message);
  const onRejection = (e: PromiseRejectionEvent) => uncaught.push(e.reason);

  before(async () => {
    url = await brokerUrl();
  });
  beforeEach(() => {
    uncaught = [];
    capture = captureWarnings();
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
  });
  afterEach(() => {
    capture.restore();
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  });

  /** A page with the bad element (given) and a good sibling; resolves once both are set up. */
  async function page(bad: (topic: string) => TemplateResult) {
    const topic = uniqueTopic('bad');
    const siblingTopic = uniqueTopic('sibling');
    const errors: MqttErrorEvent[] = [];
    const connection = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url} @mqtt-error=${(e: MqttErrorEvent) => errors.push(e)}>
        <div class="bad">${bad(topic)}</div>
        <mqtt-value class="sibling" topic=${siblingTopic}></mqtt-value>
      </mqtt-connection>`
    );
    await connected(connection);
    const badEl = connection.querySelector('.bad')!.firstElementChild as HTMLElement & { error?: string };
    return { topic, siblingTopic, errors, connection, badEl };
  }

  /** The checks every bad input must pass, after it was reported. */
  async function stillWorks(p: Awaited<ReturnType<typeof page>>, hint: RegExp) {
    await waitUntil(() => p.errors.length > 0, 'no mqtt-error');
    const event = p.errors[0];
    expect(event.target, 'reported by the element that got it').to.equal(p.badEl);
    expect(event.detail.hint).to.match(hint);
    expect(
      capture.warnings.some((w) => hint.test(w)),
      'a console warning with the hint'
    ).to.be.true;
    expect(p.badEl.getAttribute('error')).to.match(hint);
    expect(p.badEl.error).to.equal(p.badEl.getAttribute('error'));
    const sibling = p.connection.querySelector<MqttValue>('.sibling')!;
    await subscriptionsAtBroker(p.siblingTopic, 1);
    await p.connection.publish(p.siblingTopic, '42');
    await waitUntil(() => sibling.shadowRoot!.textContent!.includes('42'), 'the sibling stopped working');
    expect(p.connection.status).to.equal('connected');
    expect(uncaught, 'an exception reached the page').to.deep.equal([]);
  }

  for (const filter of ['a/#/b', 'a/b+', '#/a', 'a/b#']) {
    it(`invalid filter "${filter}"`, async () => {
      const p = await page(() => html`<mqtt-subscribe topic=${filter}></mqtt-subscribe>`);
      await stillWorks(p, /filter|wildcard|#|\+/);
    });
  }

  it('an empty filter (topic="")', async () => {
    const p = await page(() => html`<mqtt-value topic=""></mqtt-value>`);
    await stillWorks(p, /topic/i);
  });

  it('wildcards in a publish topic', async () => {
    const p = await page(
      (topic) => html`<mqtt-publish topic=${`${topic}/+/set`} payload="on"><button>go</button></mqtt-publish>`
    );
    p.badEl.querySelector('button')!.click();
    await stillWorks(p, /wildcard|\+|#/);
  });

  for (const qos of ['3', '-1', 'high']) {
    it(`out-of-range qos="${qos}" on a subscriber and a publisher`, async () => {
      const p = await page((topic) => html`<mqtt-value topic=${topic} qos=${qos}></mqtt-value>`);
      await stillWorks(p, /qos="0", "1" or "2"/);
      const publisher = document.createElement('mqtt-publish');
      publisher.setAttribute('topic', `${p.topic}/cmd`);
      publisher.setAttribute('qos', qos);
      p.connection.append(publisher);
      const error = oneEvent(publisher, 'mqtt-error');
      await publisher.publish('x');
      expect((await error).detail.hint).to.contain('QoS 0 is used');
      expect(publisher.lastPublished?.qos, 'published at QoS 0 meanwhile').to.equal(0);
    });
  }

  it('an unknown type', async () => {
    const p = await page((topic) => html`<mqtt-value topic=${topic} type="xml"></mqtt-value>`);
    await stillWorks(p, /auto, text, json, number, boolean or bytes/);
    await p.connection.publish(p.topic, '21.5');
    await waitUntil(() => (p.badEl as MqttValue).value === 21.5, 'auto is used meanwhile');
  });

  it('a path into malformed JSON', async () => {
    const p = await page((topic) => html`<mqtt-value topic=${topic} path="climate.celsius"></mqtt-value>`);
    await subscriptionsAtBroker(p.topic, 1);
    await p.connection.publish(p.topic, '{"climate": {"celsius": 21.5}}');
    await waitUntil(() => (p.badEl as MqttValue).value === 21.5);
    await p.connection.publish(p.topic, '{"climate": {"celsius": 2');
    await stillWorks(p, /JSON/);
    expect((p.badEl as MqttValue).value, 'the last good value stays').to.equal(21.5);
    await p.connection.publish(p.topic, '{"climate": {"celsius": 22}}');
    await waitUntil(() => (p.badEl as MqttValue).value === 22);
    expect(p.badEl.hasAttribute('error'), 'a good message clears the error').to.be.false;
  });

  it('a map that is not JSON', async () => {
    const p = await page((topic) => html`<mqtt-value topic=${topic} map="{1: 'On'}"></mqtt-value>`);
    await stillWorks(p, /JSON object/);
  });

  it('digits out of range', async () => {
    const p = await page((topic) => html`<mqtt-value topic=${topic} digits="25"></mqtt-value>`);
    await subscriptionsAtBroker(p.topic, 1);
    await p.connection.publish(p.topic, '3.14159');
    await stillWorks(p, /0 to 20/);
    expect(p.badEl.shadowRoot!.textContent).to.contain('3.14159');
  });

  it('binary payloads: an error for text, the bytes for type="bytes"', async () => {
    const p = await page((topic) => html`<mqtt-value topic=${topic} type="text"></mqtt-value>`);
    const raw = document.createElement('mqtt-subscribe');
    raw.setAttribute('topic', p.topic);
    raw.setAttribute('type', 'bytes');
    p.connection.append(raw);
    await subscriptionsAtBroker(p.topic, 1);
    const bytes = new Uint8Array([0x00, 0xff, 0xfe, 0x80, 0x41]);
    const got = oneEvent(raw, 'mqtt-message');
    await p.connection.publish(p.topic, bytes);
    expect(Array.from((await got).detail.value as Uint8Array)).to.deep.equal(Array.from(bytes));
    await stillWorks(p, /type="bytes"/);
    expect(raw.hasAttribute('error')).to.be.false;
  });

  for (const type of ['auto', 'json', 'text']) {
    it(`bytes that are not UTF-8 for type="${type}"`, async () => {
      const p = await page((topic) => html`<mqtt-subscribe topic=${topic} type=${type}></mqtt-subscribe>`);
      await subscriptionsAtBroker(p.topic, 1);
      const got = oneEvent(p.badEl, 'mqtt-message');
      await p.connection.publish(p.topic, new Uint8Array([0xc3, 0x28]));
      const message = (await got).detail;
      expect(message.value, 'still delivered, without a value').to.equal(undefined);
      expect(Array.from(message.payload)).to.deep.equal([0xc3, 0x28]);
      await stillWorks(p, /type="bytes"/);
    });
  }

  it('a stream of bad payloads: an event each, one console warning', async () => {
    const p = await page((topic) => html`<mqtt-value topic=${topic} path="celsius"></mqtt-value>`);
    await subscriptionsAtBroker(p.topic, 1);
    for (let i = 0; i < 10; i++) await p.connection.publish(p.topic, JSON.stringify({ fahrenheit: 60 + i }));
    await waitUntil(() => p.errors.length === 10, `${p.errors.length} of 10 errors`);
    expect(capture.warnings.filter((w) => w.includes('no field "celsius"'))).to.have.length(1);
    await stillWorks(p, /path attribute/);
  });

  it('keeps a wrong setting in the error attribute until it is fixed, through good messages', async () => {
    const p = await page((topic) => html`<mqtt-value topic=${topic} qos="3" digits="25"></mqtt-value>`);
    const value = p.badEl as MqttValue;
    await subscriptionsAtBroker(p.topic, 1);
    for (const payload of ['1', '2']) {
      await p.connection.publish(p.topic, payload);
      await waitUntil(() => value.value === Number(payload));
    }
    await nextFrame();
    expect(value.error, 'still wrong after good messages').to.match(/digits|qos/);
    value.setAttribute('digits', '1');
    await value.updateComplete;
    expect(value.error).to.contain('qos="3"');
    value.setAttribute('qos', '1');
    await value.updateComplete;
    await waitUntil(() => !value.hasAttribute('error'), `still: ${value.error}`);
  });

  it("keeps a publisher's wrong qos in its error attribute after it publishes", async () => {
    const p = await page((topic) => html`<mqtt-publish topic=${topic} qos="3"></mqtt-publish>`);
    const publisher = p.badEl as MqttPublish;
    await publisher.publish('x');
    expect(publisher.lastPublished?.qos).to.equal(0);
    expect(publisher.error).to.contain('qos="3"');
    publisher.qos = 1;
    await publisher.publish('y');
    expect(publisher.hasAttribute('error')).to.be.false;
    expect(p.errors[0].detail.hint).to.contain('QoS 0 is used meanwhile');
    expect(uncaught).to.deep.equal([]);
  });

  it('no error when the topic attribute is removed (only topic="" is one)', async () => {
    const p = await page((topic) => html`<mqtt-value topic=${topic}></mqtt-value>`);
    await subscriptionsAtBroker(p.topic, 1);
    p.badEl.removeAttribute('topic');
    await subscriptionsAtBroker(p.topic, 0);
    expect(p.errors).to.deep.equal([]);
    expect(p.badEl.hasAttribute('error')).to.be.false;
  });

  for (const [attribute, text, hint] of [
    ['reconnect-max-period', '30s', /milliseconds.*30000 is used meanwhile/],
    ['reconnect-period', '1s', /milliseconds.*1000 is used meanwhile/],
    ['keepalive', 'often', /seconds.*60 is used meanwhile/],
    ['protocol-version', '6', /4 \(MQTT 3.1.1\) or 5/],
    ['connect-timeout', '-5', /milliseconds/],
  ] as const) {
    it(`${attribute}="${text}" on the connection`, async () => {
      const errors: MqttErrorEvent[] = [];
      const el = document.createElement('mqtt-connection');
      el.addEventListener('mqtt-error', (e) => errors.push(e));
      el.setAttribute(attribute, text);
      el.url = url;
      document.body.append(el);
      await connected(el);
      expect(errors.map((e) => e.detail.hint).join()).to.match(hint);
      expect(el.error, 'kept while connected: the attribute is still wrong').to.contain(`${attribute}="${text}"`);
      expect(capture.warnings.some((w) => w.includes(`${attribute}="${text}"`))).to.be.true;
      el.removeAttribute(attribute);
      await waitUntil(() => !el.hasAttribute('error'));
      await connected(el);
      el.remove();
      expect(uncaught).to.deep.equal([]);
    });
  }

  it('reconnect-max-period="30s" still backs off', async () => {
    const refused = await refuserUrl();
    const el = document.createElement('mqtt-connection');
    el.setAttribute('reconnect-period', '100');
    el.setAttribute('reconnect-max-period', '30s');
    el.url = refused;
    document.body.append(el);
    await sleep(1500);
    el.remove();
    // 30 s is used as the max: 100, 200, 400, 800 ms ceilings, not a retry every few ms.
    expect(await refuserAttempts()).to.be.within(3, 8);
  });

  it('a 1 MB payload', async () => {
    const p = await page((topic) => html`<mqtt-value topic=${topic} type="text"></mqtt-value>`);
    await subscriptionsAtBroker(p.topic, 1);
    const big = 'x'.repeat(1024 * 1024 - 1) + 'y';
    await p.connection.publish(p.topic, big, { qos: 1 });
    const value = p.badEl as MqttValue;
    await waitUntil(() => value.value === big, 'the 1 MB payload did not arrive whole', { timeout: 5000 });
    await nextFrame();
    await nextFrame();
    expect(value.shadowRoot!.textContent!.length).to.be.at.least(big.length);
    expect(value.shadowRoot!.querySelectorAll('*').length, 'as one text node').to.equal(1);
  });

  it('an unparseable url', async () => {
    const topic = uniqueTopic('bad-url');
    const connection = await fixture<MqttConnection>(
      html`<mqtt-connection url="ws://[broker/mqtt">
        <mqtt-value topic=${topic}></mqtt-value>
      </mqtt-connection>`
    );
    await waitUntil(() => connection.hasAttribute('error'));
    expect(connection.error).to.contain('cannot be parsed');
    expect(connection.status).to.equal('disconnected');
    expect(capture.warnings.some((w) => w.includes('cannot be parsed'))).to.be.true;
    connection.url = url;
    await connected(connection);
    await subscriptionsAtBroker(topic, 1);
    await connection.publish(topic, '7');
    await waitUntil(() => connection.querySelector<MqttValue>('mqtt-value')!.value === 7);
    expect(uncaught).to.deep.equal([]);
    connection.remove();
  });

  it('a bind that would write code or markup', async () => {
    const p = await page((topic) => html`<mqtt-subscribe topic=${topic} bind="innerHTML"><p></p></mqtt-subscribe>`);
    await subscriptionsAtBroker(p.topic, 1);
    await p.connection.publish(p.topic, '<b>x</b>');
    await stillWorks(p, /textContent/);
    expect((p.badEl as MqttSubscribe).querySelector('b')).to.equal(null);
  });

  it('a publish value that cannot be encoded', async () => {
    const p = await page((topic) => html`<mqtt-publish topic=${topic} type="number"></mqtt-publish>`);
    await (p.badEl as MqttPublish).publish('not a number').catch(() => {});
    await stillWorks(p, /number/);
  });
});

describe('numbers and booleans written as strings (React and Vue set them as properties)', () => {
  const cases = {
    'mqtt-connection': {
      protocolVersion: '5',
      keepalive: '30',
      sessionExpiry: '60',
      connectTimeout: '4000',
      reconnectPeriod: '250',
      reconnectMaxPeriod: '9000',
      willQos: '1',
    },
    'mqtt-value': { qos: '1', digits: '2', low: '-5', high: '30.5', staleAfter: '10' },
    'mqtt-subscribe': { qos: '2', retainHandling: '2' },
    'mqtt-publish': { qos: '1', throttle: '100' },
  } as const;
  for (const [tag, props] of Object.entries(cases)) {
    it(`<${tag}> reads ${Object.keys(props).join(', ')} as numbers`, async () => {
      const el = document.createElement(tag) as HTMLElement &
        Record<string, unknown> & { updateComplete: Promise<unknown> };
      if (tag === 'mqtt-connection') el.setAttribute('manual', '');
      Object.assign(el, props);
      document.body.append(el);
      await el.updateComplete;
      for (const [name, text] of Object.entries(props)) expect(el[name], name).to.equal(Number(text));
      expect(el.hasAttribute('error'), String(el.getAttribute('error'))).to.be.false;
      el.remove();
    });
  }

  it('leaves strings that are no finite number to the checks', async () => {
    const value = document.createElement('mqtt-value');
    Object.assign(value, { digits: 'Infinity' });
    document.body.append(value);
    await value.updateComplete;
    expect(value.digits).to.equal('Infinity');
    expect(value.getAttribute('error')).to.contain('digits="Infinity"');
    value.remove();
  });

  it('reads clean="false" set as a property string as false', async () => {
    const el = document.createElement('mqtt-connection');
    el.setAttribute('manual', '');
    Object.assign(el, { clean: 'false' });
    document.body.append(el);
    await el.updateComplete;
    expect(el.clean).to.equal(false);
    el.remove();
  });
});
