// <mqtt-tree> (issue 16): the live topic tree, against the real test broker; keys come from the
// browser (sendKeys), 10 000 topics from the broker itself.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { MqttConnection, MqttSelectEvent } from '../src/index.js';
import '../src/tree.js';
import type { MqttTree } from '../src/tree.js';
import {
  brokerPublish,
  mosquittoUrl,
  nextFrame,
  onMainBroker,
  sleep,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';
import { mosquittoPublish } from './mosquitto.js';

const box = (el: MqttTree) => el.shadowRoot!.querySelector<HTMLElement>('[part="tree"]')!;
const items = (el: MqttTree) => Array.from(el.shadowRoot!.querySelectorAll<HTMLElement>('[role="treeitem"]'));
const part = (row: Element, name: string) => row.querySelector(`[part="${name}"]`)?.textContent ?? null;
/** The rendered row of the level `name` (the first, if several have that name). */
const row = (el: MqttTree, name: string) => items(el).find((r) => part(r, 'name') === name);
const names = (el: MqttTree) => items(el).map((r) => part(r, 'name'));
/** The name of the row the keys move (`aria-activedescendant`). */
function active(el: MqttTree): string | null {
  const id = box(el).getAttribute('aria-activedescendant');
  return id ? part(el.shadowRoot!.getElementById(id)!, 'name') : null;
}

describe('<mqtt-tree>', () => {
  let url: string;
  let conn: MqttConnection;
  onMainBroker(
    (u) => (url = u),
    () => conn
  );

  /** A tree of `${topic}/#` (three levels, expanded: test, its id, the name), once subscribed. */
  async function mount(
    topic = uniqueTopic('tree'),
    attributes = (t: string) => html`<mqtt-tree topic="${t}/#" locale="en"></mqtt-tree>`
  ): Promise<{ topic: string; el: MqttTree }> {
    conn = await fixture<MqttConnection>(html`<mqtt-connection url=${url}>${attributes(topic)}</mqtt-connection>`);
    await subscriptionsAtBroker(`${topic}/#`, 1);
    return { topic, el: conn.querySelector('mqtt-tree')! };
  }

  it('shows each level with its last value, count, time and retained flag, as text', async () => {
    const topic = uniqueTopic('tree');
    await brokerPublish({ topic: `${topic}/config/mode`, payload: 'eco', retain: true });
    const { el } = await mount(topic);
    await brokerPublish({ topic: `${topic}/home/kitchen`, payload: '20.5' });
    await brokerPublish({ topic: `${topic}/home/kitchen`, payload: '21.5' });
    await brokerPublish({ topic: `${topic}/home/hall`, payload: 'x'.repeat(300) });
    await waitUntil(() => el.size === 3, `holds ${el.size} topics`);
    // The filter's own levels are expanded, the others collapsed, in order.
    await waitUntil(() => names(el).join() === `test,${topic.split('/')[1]},tree,config,home`, names(el).join());
    await waitUntil(() => part(row(el, 'home')!, 'topics') === '2 topics', part(row(el, 'home')!, 'topics')!);
    const home = row(el, 'home')!;
    expect(home.getAttribute('aria-expanded')).to.equal('false');
    expect(part(home, 'count')).to.equal('3');
    el.expand(`${topic}/home`);
    await waitUntil(() => row(el, 'kitchen'), 'not expanded');
    expect(names(el).slice(4)).to.deep.equal(['home', 'hall', 'kitchen']);
    const kitchen = row(el, 'kitchen')!;
    expect(part(kitchen, 'value')).to.equal('21.5');
    expect(part(kitchen, 'count')).to.equal('2');
    expect(part(kitchen, 'time')).to.equal('now');
    expect(part(kitchen, 'retained')).to.equal(null);
    expect(kitchen.textContent!.replace(/\s+/g, ' ').trim()).to.equal('kitchen, 21.5, 2 messages, now');
    // A long payload is cut short.
    expect(part(row(el, 'hall')!, 'value')).to.equal(`${'x'.repeat(100)}…`);
    el.expand(`${topic}/config`);
    await waitUntil(() => row(el, 'mode'), 'config not expanded');
    expect(part(row(el, 'mode')!, 'retained')).to.equal('retained');
    expect(part(row(el, 'mode')!, 'value')).to.equal('eco');
    // "now" becomes "1s ago" with no message: the time follows the clock.
    await waitUntil(() => part(row(el, 'kitchen')!, 'time') === '1s ago', part(row(el, 'kitchen')!, 'time')!, {
      timeout: 3000,
    });
    el.collapse(`${topic}/home`);
    await waitUntil(() => !row(el, 'kitchen'), 'not collapsed');
    await expect(el).to.be.accessible();
  });

  it('is an ARIA tree: levels, set sizes and positions, expanded and selected states', async () => {
    const { topic, el } = await mount();
    await brokerPublish({ topic: `${topic}/a/{i}`, payload: 'v', count: 3 });
    await brokerPublish({ topic: `${topic}/b`, payload: 'v' });
    await waitUntil(() => el.size === 4);
    el.expand(`${topic}/a`);
    el.selected = `${topic}/a/1`;
    await waitUntil(() => row(el, '1'), 'not expanded');
    expect(box(el).getAttribute('role')).to.equal('tree');
    expect(box(el).getAttribute('aria-label')).to.equal(`Topics under ${topic}/#`);
    const attrs = (r: Element) =>
      ['aria-level', 'aria-setsize', 'aria-posinset', 'aria-expanded', 'aria-selected'].map((a) => r.getAttribute(a));
    expect(attrs(row(el, 'tree')!)).to.deep.equal(['3', '1', '1', 'true', null]);
    expect(attrs(row(el, 'a')!)).to.deep.equal(['4', '2', '1', 'true', null]);
    expect(attrs(row(el, '1')!)).to.deep.equal(['5', '3', '2', null, 'true']);
    expect(attrs(row(el, 'b')!)).to.deep.equal(['4', '2', '2', null, null]);
    expect(row(el, '1')!.getAttribute('part')).to.equal('row selected active');
    await expect(el).to.be.accessible();
  });

  it('follows the keyboard model of the WAI-ARIA tree view', async () => {
    const { topic, el } = await mount();
    // tree > [a > [a1, a2], b > [b1 > [deep]], c, apple]
    for (const t of ['a/a1', 'a/a2', 'b/b1/deep', 'c', 'apple'])
      await brokerPublish({ topic: `${topic}/${t}`, payload: t });
    await waitUntil(() => el.size === 5);
    const selections: MqttSelectEvent[] = [];
    el.addEventListener('mqtt-select', (e) => selections.push(e));
    box(el).focus();
    await el.updateComplete;
    // The focus lands on the first row.
    await waitUntil(() => active(el) === 'test', `active: ${active(el)}`);
    const press = async (key: string, expected: string | null) => {
      await sendKeys({ press: key });
      await waitUntil(() => active(el) === expected, `${key}: active ${active(el)}, not ${expected}`);
    };
    await press('End', 'c');
    await press('Home', 'test');
    await press('ArrowDown', topic.split('/')[1]!);
    await press('ArrowDown', 'tree');
    await press('ArrowDown', 'a');
    await press('ArrowUp', 'tree');
    await press('ArrowDown', 'a');
    // Right on a collapsed level expands it, and the focus stays.
    expect(row(el, 'a')!.getAttribute('aria-expanded')).to.equal('false');
    await press('ArrowRight', 'a');
    await waitUntil(() => row(el, 'a')!.getAttribute('aria-expanded') === 'true');
    expect(names(el)).to.include('a1');
    // Right on an expanded level goes to its first child; on a leaf it does nothing.
    await press('ArrowRight', 'a1');
    await press('ArrowRight', 'a1');
    await press('ArrowDown', 'a2');
    // Left on a leaf goes to the parent; on an expanded level collapses it.
    await press('ArrowLeft', 'a');
    await press('ArrowLeft', 'a');
    await waitUntil(() => row(el, 'a')!.getAttribute('aria-expanded') === 'false');
    expect(names(el)).not.to.include('a1');
    // `*` expands every sibling of the active level.
    await press('*', 'a');
    await waitUntil(() => names(el).includes('b1') && names(el).includes('a1'), names(el).join());
    expect(names(el)).not.to.include('deep');
    // Type-ahead: "b" goes to the next name starting with b; "ap" to apple.
    await press('b', 'b');
    await sleep(800);
    await sendKeys({ press: 'a' });
    await sendKeys({ press: 'p' });
    await waitUntil(() => active(el) === 'apple', `active ${active(el)}`);
    // Enter and Space select, and say which topic.
    const selected = oneEvent(el, 'mqtt-select');
    await sendKeys({ press: 'Enter' });
    const event = await selected;
    expect(event.detail.topic).to.equal(`${topic}/apple`);
    expect(event.detail.message?.payload).to.deep.equal(new TextEncoder().encode('apple'));
    expect(el.selected).to.equal(`${topic}/apple`);
    await waitUntil(() => row(el, 'apple')!.getAttribute('aria-selected') === 'true');
    await press('ArrowUp', 'a2');
    await press('End', 'c');
    await sendKeys({ press: 'Space' });
    await waitUntil(() => selections.length === 2);
    expect(selections.map((e) => e.detail.topic)).to.deep.equal([`${topic}/apple`, `${topic}/c`]);
    expect(row(el, 'apple')!.hasAttribute('aria-selected')).to.be.false;
    // Left on the first level collapses it, then stays; the arrows stop at the ends.
    await press('Home', 'test');
    await press('ArrowLeft', 'test');
    await waitUntil(() => items(el).length === 1, names(el).join());
    await press('ArrowLeft', 'test');
    await press('ArrowUp', 'test');
    await press('ArrowRight', 'test');
    await press('End', 'c');
    await press('ArrowDown', 'c');
  });

  it('selects on a click, and expands and collapses on the arrow', async () => {
    const { topic, el } = await mount();
    await brokerPublish({ topic: `${topic}/room/lamp`, payload: 'on' });
    await waitUntil(() => row(el, 'room'));
    const room = row(el, 'room')!;
    room.querySelector<HTMLElement>('[part="toggle"]')!.click();
    await waitUntil(() => row(el, 'lamp'), 'not expanded');
    expect(room.getAttribute('aria-expanded')).to.equal('true');
    const selected = oneEvent(el, 'mqtt-select');
    row(el, 'lamp')!.querySelector<HTMLElement>('[part="value"]')!.click();
    expect((await selected).detail.topic).to.equal(`${topic}/room/lamp`);
    // A level without a message of its own has no message to give.
    const level = oneEvent(el, 'mqtt-select');
    room.querySelector<HTMLElement>('[part="name"]')!.click();
    expect((await level).detail).to.deep.equal({ topic: `${topic}/room`, message: undefined });
    row(el, 'room')!.querySelector<HTMLElement>('[part="toggle"]')!.click();
    await waitUntil(() => !row(el, 'lamp'), 'not collapsed');
  });

  it('shows markup in topics and payloads as text, never as HTML', async () => {
    const { topic, el } = await mount();
    const level = '<img src=x onerror="window.treeHacked=1">';
    await brokerPublish({
      topic: `${topic}/${level}`,
      payload: '<b>bold</b><img src=x onerror="window.treeHacked=2">',
    });
    await waitUntil(() => row(el, level), names(el).join());
    expect(part(row(el, level)!, 'value')).to.equal('<b>bold</b><img src=x onerror="window.treeHacked=2">');
    expect(el.shadowRoot!.querySelector('img, b')).to.equal(null);
    await sleep(50);
    expect((window as { treeHacked?: number }).treeHacked).to.equal(undefined);
  });

  it('holds 10 000 topics, renders a burst once per frame and only the rows in view, and scrolls to the right rows', async () => {
    // Through mosquitto, which takes them in well under a second (and the kit reads them on its fast path).
    const topic = uniqueTopic('tree');
    conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${await mosquittoUrl()}
        ><mqtt-tree topic="${topic}/#" locale="en"></mqtt-tree
      ></mqtt-connection>`
    );
    const el = conn.querySelector('mqtt-tree')!;
    // Subscribed once a message comes through.
    await waitUntil(
      async () => {
        await mosquittoPublish({ topic: `${topic}/ready` });
        return el.size > 0;
      },
      'never subscribed',
      { interval: 100 }
    );
    await sleep(300);
    el.clear();
    const frames: number[] = [];
    const proto = Object.getPrototypeOf(el) as { render(): unknown };
    (el as unknown as { render(): unknown }).render = function render(this: unknown) {
      frames.push(document.timeline.currentTime as number);
      return proto.render.call(this);
    };
    // 100 levels of 100 topics each, all at once.
    for (let p = 0; p < 100; p++)
      await mosquittoPublish({ topic: `${topic}/p${p}/{i}`, payload: `${p}:{i}`, count: 100 });
    await waitUntil(() => el.size === 10_000, `holds ${el.size}`, { timeout: 10000 });
    expect(new Set(frames).size, 'two renders in one frame').to.equal(frames.length);
    expect(frames.length).to.be.lessThan(500);
    el.expandAll();
    await nextFrame();
    await el.updateComplete;
    // 3 + 100 + 10 000 rows; a few dozen in the DOM.
    const rowHeight = row(el, 'test')!.getBoundingClientRect().height;
    expect(box(el).scrollHeight).to.be.closeTo(10_103 * rowHeight, 1);
    expect(items(el).length).to.be.within(5, 100);
    // Rows are p0 > 0..99, p1 > 0..99, ...: row 3 + 101 × 42 + 1 + 57 is p42's 57.
    const index = 3 + 101 * 42 + 1 + 57;
    box(el).scrollTop = index * rowHeight;
    await waitUntil(
      () => row(el, '57')?.getAttribute('aria-level') === '5' && part(row(el, '57')!, 'value') === '42:57'
    );
    const top = box(el).getBoundingClientRect().top;
    const first = items(el).find((r) => Math.abs(r.getBoundingClientRect().top - top) < 2)!;
    expect(part(first, 'value')).to.equal('42:57');
    expect(items(el).length).to.be.within(5, 100);
    // Scrolling by two rows moves the rows that stay in view, and rewrites only two (for the new ones).
    const stays = row(el, '60')!;
    const before = new Map(items(el).map((r) => [r, r.id]));
    box(el).scrollTop += 2 * rowHeight;
    await waitUntil(
      () =>
        part(
          items(el).find((r) => Math.abs(r.getBoundingClientRect().top - top) < 2)!,
          'value'
        ) === '42:59'
    );
    // The rows in view were there already (overscan): the render comes in the frame of the scroll
    // event, after the callback that resolves the first nextFrame().
    await nextFrame();
    await nextFrame();
    await el.updateComplete;
    expect(row(el, '60'), 'a row that stayed was rendered again').to.equal(stays);
    expect(items(el).filter((r) => before.get(r) !== r.id).length).to.equal(2);
    // The keys go to the far end, rendering only what they show.
    box(el).focus();
    await sendKeys({ press: 'End' });
    await waitUntil(() => active(el) === '99' && part(row(el, '99')!, 'value') === '99:99', `active ${active(el)}`);
    expect(items(el).length).to.be.within(5, 100);
    const rendered = frames.length;
    await mosquittoPublish({ topic: `${topic}/p99/99`, payload: 'again {i}', count: 1000 });
    await waitUntil(() => part(row(el, '99')!, 'value') === 'again 999', 'not updated', { timeout: 10000 });
    expect(new Set(frames).size, 'two renders in one frame').to.equal(frames.length);
    expect(frames.length - rendered).to.be.lessThan(100);
    expect(part(row(el, '99')!, 'count')).to.equal('1,001');
  });
});
