import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { MqttConnection, MqttValue } from '../src/index.js';
import {
  brokerPublish,
  mountSubscriber,
  onMainBroker,
  expectBurstRenderedOncePerFrame,
  expectStaleAfter,
  sleep,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

const shown = (el: MqttValue) => el.shadowRoot!.querySelector('[part="value"]')!.textContent;

describe('<mqtt-value>', () => {
  let url: string;
  let conn: MqttConnection;
  onMainBroker(
    (u) => (url = u),
    () => conn
  );

  async function mount(template: (topic: string) => unknown): Promise<{ topic: string; el: MqttValue }> {
    const mounted = await mountSubscriber<MqttValue>(url, 'value', 'mqtt-value', template);
    conn = mounted.conn;
    return mounted;
  }

  it('shows the placeholder, then the value with its digits and unit', async () => {
    const { topic, el } = await mount(
      (t) => html`<mqtt-value topic=${t} path="celsius" digits="1" unit="°C" locale="en"></mqtt-value>`
    );
    expect(shown(el)).to.equal('–');
    expect(el.shadowRoot!.querySelector('[part="unit"]')!.textContent).to.equal('°C');
    await brokerPublish({ topic, payload: '{"celsius":21.349}' });
    await waitUntil(() => shown(el) === '21.3');
    expect(el.value).to.equal(21.349);
    await expect(el).to.be.accessible();
  });

  it("formats numbers for its locale or the page's lang", async () => {
    const { topic, el } = await mount(
      (t) => html`<div lang="de-DE"><mqtt-value topic=${t} digits="2"></mqtt-value></div>`
    );
    await brokerPublish({ topic, payload: '1234.5' });
    await waitUntil(() => shown(el) === '1.234,50');
    el.locale = 'en-US';
    await waitUntil(() => shown(el) === '1,234.50');
  });

  it('reads a page lang written with an underscore (en_US) as en-US, with no error', async () => {
    const warned: unknown[] = [];
    const { topic, el } = await mount(
      (t) => html`<div lang="de_CH"><mqtt-value topic=${t} digits="1"></mqtt-value></div>`
    );
    el.addEventListener('mqtt-error', (e) => warned.push(e.detail.error));
    await brokerPublish({ topic, payload: '1234.5' });
    await waitUntil(() => shown(el) === new Intl.NumberFormat('de-CH', { minimumFractionDigits: 1 }).format(1234.5));
    expect(el.hasAttribute('error'), el.getAttribute('error') ?? '').to.be.false;
    expect(warned).to.deep.equal([]);
  });

  it('reports an invalid locale attribute once and uses the page lang meanwhile', async () => {
    const { topic, el } = await mount(
      (t) => html`<div lang="de-DE"><mqtt-value topic=${t} digits="2" locale="en_!!"></mqtt-value></div>`
    );
    expect(el.getAttribute('error')).to.contain('locale="en_!!" is not a valid locale');
    const errors: unknown[] = [];
    el.addEventListener('mqtt-error', (e) => errors.push(e.detail.error));
    await brokerPublish({ topic, payload: '1234.5' });
    await brokerPublish({ topic, payload: '1234.25' });
    await waitUntil(() => shown(el) === '1.234,25');
    expect(errors, 'not reported again on each message').to.have.length(0);
    el.locale = 'en-US';
    await waitUntil(() => shown(el) === '1,234.25');
    expect(el.hasAttribute('error')).to.be.false;
  });

  it('shows the latest problem that still stands in its error attribute', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t} type="number" digits="x"></mqtt-value>`);
    expect(el.getAttribute('error')).to.contain('digits="x"');
    await brokerPublish({ topic, payload: 'warm' });
    await waitUntil(() => el.getAttribute('error')?.includes('"warm" is not a number'));
    el.map = '{bad';
    await waitUntil(() => el.getAttribute('error')?.includes('map="{bad"'));
    el.digits = 1;
    await el.updateComplete;
    expect(el.getAttribute('error'), 'fixing an older setting leaves the newest problem').to.contain('map="{bad"');
    el.map = undefined;
    await el.updateComplete;
    expect(el.getAttribute('error'), 'then the payload problem, which still stands').to.contain('"warm"');
    await brokerPublish({ topic, payload: '21' });
    await waitUntil(() => !el.hasAttribute('error'), 'a good message clears the payload problem');
  });

  it("finds the page's lang through shadow roots", async () => {
    const tag = `lang-host-${Math.random().toString(36).slice(2, 8)}`;
    const topic = uniqueTopic('lang');
    customElements.define(
      tag,
      class extends HTMLElement {
        connectedCallback() {
          const value = document.createElement('mqtt-value');
          value.topic = topic;
          value.digits = 2;
          this.attachShadow({ mode: 'open' }).append(value);
        }
      }
    );
    conn = await fixture<MqttConnection>(html`<mqtt-connection url=${url}><div lang="de-DE"></div></mqtt-connection>`);
    conn.querySelector('div')!.append(document.createElement(tag));
    await subscriptionsAtBroker(topic, 1);
    await brokerPublish({ topic, payload: '1234.5' });
    const el = conn.querySelector(tag)!.shadowRoot!.querySelector('mqtt-value')!;
    await waitUntil(() => shown(el) === '1.234,50', `shows ${shown(el)}`);
  });

  it("drops the old topic's value when the topic changes", async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t}></mqtt-value>`);
    await brokerPublish({ topic, payload: '11' });
    await waitUntil(() => shown(el) === '11');
    el.topic = `${topic}/other`;
    await waitUntil(() => shown(el) === '–', `shows ${shown(el)}`);
    expect(el.value).to.equal(undefined);
  });

  it('labels values through map, and reports a map that is not JSON', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t} map='{"1":"On","0":"Off"}'></mqtt-value>`);
    await brokerPublish({ topic, payload: '1' });
    await waitUntil(() => shown(el) === 'On');
    await brokerPublish({ topic, payload: 'constructor' });
    await waitUntil(() => shown(el) === 'constructor', `shows ${shown(el)}`);
    const error = oneEvent(el, 'mqtt-error');
    el.map = '{1: On}';
    expect((await error).detail.hint).to.contain('JSON object');
    await brokerPublish({ topic, payload: '0' });
    await waitUntil(() => shown(el) === '0');
  });

  it('shows what transform makes of each value, then its map and digits; a transform that throws is reported', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t} digits="1" map='{"off":"Off"}'></mqtt-value>`);
    el.transform = (celsius) => (typeof celsius === 'number' ? (celsius * 9) / 5 + 32 : String(celsius).toLowerCase());
    await brokerPublish({ topic, payload: '21.5' });
    await waitUntil(() => shown(el) === '70.7', `shows ${shown(el)}`);
    await brokerPublish({ topic, payload: 'OFF' });
    await waitUntil(() => shown(el) === 'Off', `shows ${shown(el)}`);
    const error = oneEvent(el, 'mqtt-error');
    el.transform = () => {
      throw new Error('broken transform');
    };
    expect((await error).detail.error.message).to.equal('broken transform');
    expect(shown(el)).to.equal('OFF');
  });

  it('reflects level against low and high', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t} low="18" high="26"></mqtt-value>`);
    expect(el.hasAttribute('level')).to.be.false;
    for (const [payload, level] of [
      ['17.9', 'low'],
      ['21', 'normal'],
      ['26.5', 'high'],
    ]) {
      await brokerPublish({ topic, payload });
      await waitUntil(() => el.getAttribute('level') === level, `level for ${payload}`);
      expect(el.level).to.equal(level);
    }
  });

  it('sets stale after stale-after seconds without a message', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t} stale-after="0.3"></mqtt-value>`);
    await expectStaleAfter(el, topic, (text) => shown(el) === text);
  });

  it('sets stale when no message comes at all', async () => {
    const { el } = await mount((t) => html`<mqtt-value topic=${t} stale-after="0.2"></mqtt-value>`);
    await waitUntil(() => el.stale, 'never stale', { timeout: 2000 });
    el.staleAfter = 60;
    await waitUntil(() => !el.stale);
  });

  it('shows markup from the broker as inert text', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t}></mqtt-value>`);
    const evil = '<img src=x onerror="window.__valuePwned=1"><script>window.__valuePwned=2</script>';
    await brokerPublish({ topic, payload: evil });
    await waitUntil(() => shown(el) === evil);
    expect(el.shadowRoot!.querySelector('img, script')).to.equal(null);
    await sleep(50);
    expect((window as unknown as { __valuePwned?: number }).__valuePwned).to.equal(undefined);
  });

  it('keeps the last good value when a payload cannot be decoded', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t} type="number"></mqtt-value>`);
    await brokerPublish({ topic, payload: '5' });
    await waitUntil(() => shown(el) === '5');
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      const errors: string[] = [];
      el.addEventListener('mqtt-error', (e) => errors.push(e.detail.error.message));
      await brokerPublish({ topic, payload: 'five' });
      await brokerPublish({ topic, payload: 'six' });
      await waitUntil(() => errors.length === 2);
      expect(errors[0]).to.contain('not a number');
      expect(warnings, 'one console warning per kind of problem, not per message').to.have.length(1);
    } finally {
      console.warn = warn;
    }
    await sleep(50);
    expect(shown(el)).to.equal('5');
  });

  it('renders at most once per frame through a 5000-message burst, ending on the last value', async () => {
    const { topic, el } = await mount((t) => html`<mqtt-value topic=${t}></mqtt-value>`);
    await expectBurstRenderedOncePerFrame(
      el,
      topic,
      () => shown(el) === '4,999' || shown(el) === '4999',
      () => String(shown(el))
    );
  });

  describe('announce', () => {
    const region = (el: MqttValue) => el.shadowRoot!.querySelector<HTMLElement>('[aria-live]');

    /** Records every text the live region takes, and when (in `times`). */
    function recordAnnouncements(el: MqttValue, times: number[] = []): string[] {
      const texts: string[] = [];
      let last = region(el)!.textContent;
      new MutationObserver(() => {
        const text = region(el)?.textContent ?? '';
        if (text !== last) {
          texts.push((last = text));
          times.push(performance.now());
        }
      }).observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true });
      return texts;
    }

    it('has no live region without announce, and the visible value is never one', async () => {
      const { el } = await mount(
        (t) => html`<mqtt-value topic=${t}></mqtt-value><mqtt-value topic=${t} announce></mqtt-value>`
      );
      const announcing = conn.querySelectorAll('mqtt-value')[1];
      await announcing.updateComplete;
      expect(region(el)).to.equal(null);
      expect(el.announce).to.equal(false);
      expect(announcing.announce).to.equal(true);
      const live = region(announcing)!;
      expect(live.getAttribute('aria-live')).to.equal('polite');
      expect(live.textContent, 'silent before the first message').to.equal('');
      const value = announcing.shadowRoot!.querySelector('[part="value"]')!;
      expect(value.closest('[aria-live], [role="status"], [role="log"], [role="alert"]')).to.equal(null);
    });

    it('reads announce set as a string by a framework as the attribute would be', async () => {
      const { el } = await mount((t) => html`<mqtt-value topic=${t}></mqtt-value>`);
      // React and Vue set announce="false" and announce="10" as the strings 'false' and '10'.
      el.announce = 'false' as never;
      await el.updateComplete;
      expect(el.announce).to.equal(false);
      expect(region(el)).to.equal(null);
      el.announce = '10' as never;
      await el.updateComplete;
      expect(el.announce).to.equal(10);
      expect(region(el)).to.not.equal(null);
      expect(el.error).to.equal(undefined);
    });

    it('speaks a burst of 100 messages at most a few times, ending on the last value, and does not repeat it', async () => {
      const { topic, el } = await mount(
        (t) => html`<mqtt-value topic=${t} announce="1" unit="W" locale="en"></mqtt-value>`
      );
      await el.updateComplete;
      const times: number[] = [];
      const texts = recordAnnouncements(el, times);
      const started = performance.now();
      // 100 messages spread over many frames (one server round trip each), so that each renders.
      for (let i = 0; i < 100; i++) await brokerPublish({ topic, payload: String(i) });
      await waitUntil(() => shown(el) === '99', `shows ${shown(el)}`);
      await waitUntil(() => region(el)!.textContent === '99 W', `announced ${JSON.stringify(texts)}`, {
        timeout: 3000,
      });
      expect(performance.now() - started, 'the last value waited for the interval').to.be.greaterThan(900);
      // At most one announcement a second, however long the burst took on a busy machine.
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      expect(
        gaps.every((gap) => gap > 950),
        `gaps ${gaps.join(', ')}`
      ).to.be.true;
      expect(texts.length, `announced ${JSON.stringify(texts)}`).to.be.within(
        1,
        Math.floor((times.at(-1)! - started) / 1000) + 1
      );
      expect(texts.at(-1)).to.equal('99 W');
      // The same value again is not announced again.
      await sleep(1100);
      await brokerPublish({ topic, payload: '99' });
      await sleep(300);
      expect(texts.at(-1)).to.equal('99 W');
      const count = texts.length;
      // A new value after a quiet interval is spoken at once.
      await brokerPublish({ topic, payload: '100' });
      await waitUntil(() => region(el)!.textContent === '100 W', 'a new value was not spoken', { timeout: 500 });
      expect(texts.length).to.equal(count + 1);
    });

    it('reports an announce that is not a number of seconds and uses 5 s', async () => {
      const { el } = await mount((t) => html`<mqtt-value topic=${t}></mqtt-value>`);
      const error = oneEvent(el, 'mqtt-error');
      el.setAttribute('announce', 'often');
      expect((await error).detail.hint).to.contain('5 s');
      await el.updateComplete;
      expect(region(el)).to.not.equal(null);
      el.setAttribute('announce', '2');
      await waitUntil(() => !el.hasAttribute('error'));
      el.removeAttribute('announce');
      await el.updateComplete;
      expect(region(el)).to.equal(null);
    });
  });
});
