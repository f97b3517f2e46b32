import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { LitElement } from 'lit';
import type { MqttConnection, MqttMessage, MqttPublish } from '../src/index.js';
import {
  brokerPublish,
  brokerSubscriptions,
  brokerUrl,
  connected,
  countGlobalListeners,
  sleep,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

/** A custom switch of our own: `checked`, and `change` when clicked. */
class StateSwitch extends LitElement {
  static override properties = { checked: { type: Boolean } };
  checked = false;
  override render() {
    return html`<button role="switch" aria-checked=${String(this.checked)} @click=${this.toggle}>switch</button>`;
  }
  private toggle() {
    this.checked = !this.checked;
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }
}
customElements.define('state-switch', StateSwitch);

/** A custom control with a numeric `value` (a dial). */
class StateDial extends LitElement {
  static override properties = { value: { type: Number } };
  value = 0;
  override render() {
    return html`<span role="meter" aria-valuenow=${this.value} aria-valuemin="0" aria-valuemax="100" aria-label="dial"
      >${this.value}</span
    >`;
  }
}
customElements.define('state-dial', StateDial);

const pending = (el: Element) => el.matches(':state(pending)');
const timedOut = (el: Element) => el.matches(':state(timeout)');

/** The point of a range input's thumb at `value` (for sendMouse, in viewport pixels). */
function thumbAt(range: HTMLInputElement, value: number): [number, number] {
  const box = range.getBoundingClientRect();
  const min = Number(range.min || 0);
  const max = Number(range.max || 100);
  const thumb = 16;
  const x = box.left + thumb / 2 + ((value - min) / (max - min)) * (box.width - thumb);
  return [Math.round(x), Math.round(box.top + box.height / 2)];
}

describe('<mqtt-publish state-topic>', () => {
  let url: string;
  let conn: MqttConnection;
  let commands: MqttMessage[];
  let offCommands: (() => void) | undefined;
  let cmd: string;
  let state: string;

  before(async () => {
    url = await brokerUrl();
  });

  beforeEach(() => {
    const base = uniqueTopic('device');
    cmd = `${base}/set`;
    state = `${base}/state`;
  });

  afterEach(async () => {
    offCommands?.();
    offCommands = undefined;
    await resetMouse();
    await conn?.disconnect();
  });

  /** Mounts the markup (given the command and state topics) inside a connection; records commands. */
  async function mount(
    template: (cmd: string, state: string) => unknown,
    stateSubscriptions = 1
  ): Promise<MqttPublish> {
    commands = [];
    conn = await fixture<MqttConnection>(html`<mqtt-connection url=${url}>${template(cmd, state)}</mqtt-connection>`);
    offCommands = conn.subscribe(cmd, (m) => commands.push(m), { type: 'text' });
    await connected(conn);
    await subscriptionsAtBroker(cmd, 1);
    await subscriptionsAtBroker(state, stateSubscriptions);
    return conn.querySelector('mqtt-publish')!;
  }

  /** Plays the device: every command comes back as the state after `delay` ms. */
  function echoCommands(delay = 20): void {
    offCommands?.();
    offCommands = conn.subscribe(
      cmd,
      (m) => {
        commands.push(m);
        setTimeout(() => brokerPublish({ topic: state, payload: m.value as string }), delay);
      },
      { type: 'text' }
    );
  }

  it('shows the retained state at connect in a checkbox, and each new state', async () => {
    await brokerPublish({ topic: state, payload: 'ON', retain: true });
    const el = await mount(
      (c, s) =>
        html`<mqtt-publish topic=${c} state-topic=${s} payload-on="ON" payload-off="OFF"
          ><label><input type="checkbox" /> Lamp</label></mqtt-publish
        >`
    );
    const box = el.querySelector('input')!;
    await waitUntil(() => box.checked, 'the retained state did not check the box');
    expect(el.state).to.equal('ON');
    await brokerPublish({ topic: state, payload: 'OFF' });
    await waitUntil(() => !box.checked, 'OFF did not uncheck the box');
    await brokerPublish({ topic: state, payload: 'true' });
    await waitUntil(() => box.checked, 'true did not check the box');
    expect(el.state).to.equal(true);
    expect(commands).to.have.length(0);
    await brokerPublish({ topic: state, payload: '', retain: true });
  });

  it('shows the state in range, number, select, text inputs and a form', async () => {
    await mount(
      (c, s) =>
        html`<mqtt-publish topic=${c} state-topic=${s} state-path="level"
            ><input type="range" min="0" max="100" value="0"
          /></mqtt-publish>
          <mqtt-publish topic=${c} state-topic=${s} state-path="setpoint"
            ><input type="number" step="0.5"
          /></mqtt-publish>
          <mqtt-publish topic=${c} state-topic=${s} state-path="mode"
            ><select>
              <option>off</option>
              <option>eco</option>
              <option>comfort</option>
            </select></mqtt-publish
          >
          <mqtt-publish topic=${c} state-topic=${s} state-path="note"><input type="text" /></mqtt-publish>
          <mqtt-publish topic=${c} state-topic=${s}>
            <form>
              <input name="setpoint" type="number" /><select name="mode">
                <option>off</option>
                <option>eco</option></select
              ><input name="away" type="checkbox" /><input name="other" value="kept" /><button>Set</button>
            </form>
          </mqtt-publish>`
    );
    await brokerPublish({
      topic: state,
      payload: '{"level": 40, "setpoint": 21.5, "mode": "eco", "note": "hello", "away": true}',
    });
    const [range, number, select, text] = Array.from(
      conn.querySelectorAll<HTMLInputElement & HTMLSelectElement>(':scope > mqtt-publish > :is(input, select)')
    );
    await waitUntil(() => range.value === '40', `range shows ${range.value}`);
    expect(number.value).to.equal('21.5');
    expect(select.value).to.equal('eco');
    expect(text.value).to.equal('hello');
    const form = conn.querySelector('form')!;
    expect((form.elements.namedItem('setpoint') as HTMLInputElement).value).to.equal('21.5');
    expect((form.elements.namedItem('mode') as HTMLSelectElement).value).to.equal('eco');
    expect((form.elements.namedItem('away') as HTMLInputElement).checked).to.be.true;
    expect((form.elements.namedItem('other') as HTMLInputElement).value).to.equal('kept');
    expect(conn.querySelectorAll('mqtt-publish')[0].state).to.equal(40);
    expect(commands).to.have.length(0);
  });

  it('shows the state in custom controls with checked or value', async () => {
    await mount(
      (c, s) =>
        html`<mqtt-publish topic=${c} state-topic=${s} state-path="on"><state-switch></state-switch></mqtt-publish>
          <mqtt-publish topic=${c} state-topic=${s} state-path="level"><state-dial></state-dial></mqtt-publish>`
    );
    const sw = conn.querySelector('state-switch') as StateSwitch;
    const dial = conn.querySelector('state-dial') as StateDial;
    await brokerPublish({ topic: state, payload: '{"on": "on", "level": 63}' });
    await waitUntil(() => sw.checked && dial.value === 63, `switch ${sw.checked}, dial ${dial.value}`);
    await brokerPublish({ topic: state, payload: '{"on": false, "level": 7}' });
    await waitUntil(() => !sw.checked && dial.value === 7, `switch ${sw.checked}, dial ${dial.value}`);
    // Its own click is a command, and waits for its state.
    await sw.updateComplete;
    const el = sw.closest('mqtt-publish')!;
    sw.shadowRoot!.querySelector('button')!.click();
    expect(pending(el)).to.be.true;
    await waitUntil(() => commands.length === 1);
    expect(commands[0].value).to.equal('true');
    await brokerPublish({ topic: state, payload: '{"on": true, "level": 7}' });
    await waitUntil(() => !pending(el), 'the state did not confirm the command');
    expect(sw.checked).to.be.true;
  });

  it('is pending after a command until the state confirms it', async () => {
    const el = await mount(
      (c, s) =>
        html`<mqtt-publish topic=${c} state-topic=${s} payload-on="ON" payload-off="OFF"
          ><label><input type="checkbox" /> Lamp</label></mqtt-publish
        >`
    );
    echoCommands(150);
    expect(pending(el)).to.be.false;
    const box = el.querySelector('input')!;
    box.click();
    expect(box.checked).to.be.true;
    expect(pending(el)).to.be.true;
    await waitUntil(() => commands.length === 1);
    expect(pending(el), 'pending until the state comes').to.be.true;
    await waitUntil(() => !pending(el), 'the echoed state did not confirm');
    expect(timedOut(el)).to.be.false;
    expect(el.state).to.equal('ON');
    expect(box.checked).to.be.true;
  });

  it('times out after confirm-timeout and goes back to the last confirmed state', async () => {
    const el = await mount(
      (c, s) =>
        html`<mqtt-publish topic=${c} state-topic=${s} confirm-timeout="300"
          ><input type="range" min="0" max="100" step="10"
        /></mqtt-publish>`
    );
    const range = el.querySelector('input')!;
    await brokerPublish({ topic: state, payload: '30' });
    await waitUntil(() => range.value === '30');
    range.value = '80';
    const started = performance.now();
    range.dispatchEvent(new Event('change', { bubbles: true }));
    expect(pending(el)).to.be.true;
    await waitUntil(() => timedOut(el), 'no timeout', { timeout: 2000, interval: 10 });
    const waited = performance.now() - started;
    expect(waited).to.be.within(280, 1900);
    expect(pending(el)).to.be.false;
    expect(range.value, 'back to the confirmed state').to.equal('30');
    expect(commands.map((m) => m.value)).to.deep.equal(['80']);
    // The next state clears it.
    await brokerPublish({ topic: state, payload: '50' });
    await waitUntil(() => !timedOut(el) && range.value === '50');
  });

  /** A range whose state is 30, with the pointer pressed on its thumb (a drag begins). */
  async function pressRangeAt30(): Promise<{ el: MqttPublish; range: HTMLInputElement }> {
    const el = await mount(
      (c, s) =>
        html`<mqtt-publish topic=${c} state-topic=${s}
          ><input type="range" min="0" max="100" step="10" style="width: 200px; margin: 0"
        /></mqtt-publish>`
    );
    const range = el.querySelector('input')!;
    await brokerPublish({ topic: state, payload: '30' });
    await waitUntil(() => range.value === '30');
    await sendMouse({ type: 'move', position: thumbAt(range, 30) });
    await sendMouse({ type: 'down' });
    return { el, range };
  }

  it('does not move a range while the pointer holds it, and shows the latest state on release', async () => {
    const { el, range } = await pressRangeAt30();
    await brokerPublish({ topic: state, payload: '70' });
    await brokerPublish({ topic: state, payload: '80' });
    await waitUntil(() => el.state === 80, 'the states did not arrive');
    await sleep(100);
    expect(range.value, 'the held range did not move').to.equal('30');
    await sendMouse({ type: 'up' });
    await waitUntil(() => range.value === '80', `the latest state was not shown after release: ${range.value}`);
    expect(commands, 'no command: the user did not move it').to.have.length(0);
  });

  it('keeps what the user dragged when a command supersedes a state that came meanwhile', async () => {
    const { el, range } = await pressRangeAt30();
    await sendMouse({ type: 'move', position: thumbAt(range, 90) });
    await brokerPublish({ topic: state, payload: '50' });
    await waitUntil(() => el.state === 50);
    await sleep(50);
    expect(range.value).to.equal('90');
    await sendMouse({ type: 'up' });
    await waitUntil(() => commands.length === 1, 'the drag published no command');
    expect(commands[0].value).to.equal('90');
    await sleep(100);
    expect(range.value, 'the older state did not overwrite the command').to.equal('90');
    expect(pending(el)).to.be.true;
  });

  it('does not change a text input while the user types, and shows the state once they leave it', async () => {
    const el = await mount(
      (c, s) =>
        html`<mqtt-publish topic=${c} state-topic=${s}
          ><label>Name <input type="text" /></label
        ></mqtt-publish>`
    );
    const input = el.querySelector('input')!;
    await brokerPublish({ topic: state, payload: 'alpha' });
    await waitUntil(() => input.value === 'alpha');
    input.focus();
    await sendKeys({ type: 'xy' });
    await brokerPublish({ topic: state, payload: 'beta' });
    await waitUntil(() => el.state === 'beta');
    await sleep(50);
    expect(input.value, 'typing is not overwritten').to.equal('alphaxy');
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Backspace' });
    input.blur();
    await waitUntil(() => input.value === 'beta', `the held-back state was not shown: ${input.value}`);
    expect(commands).to.have.length(0);
  });

  it('publishes what the user typed, not the state that came while typing', async () => {
    const el = await mount(
      (c, s) =>
        html`<mqtt-publish topic=${c} state-topic=${s}
          ><label>Name <input type="text" /></label
        ></mqtt-publish>`
    );
    const input = el.querySelector('input')!;
    input.focus();
    await sendKeys({ type: 'mine' });
    await brokerPublish({ topic: state, payload: 'theirs' });
    await waitUntil(() => el.state === 'theirs');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => commands.length === 1);
    expect(commands[0].value).to.equal('mine');
    await sleep(100);
    expect(input.value).to.equal('mine');
  });

  it('stops holding state back when the field being typed in is removed', async () => {
    const el = await mount(
      (c, s) =>
        html`<mqtt-publish topic=${c} state-topic=${s}
          ><label>Name <input type="text" /></label
        ></mqtt-publish>`
    );
    el.querySelector('input')!.focus();
    await sendKeys({ type: 'half' });
    // A framework re-renders the control: the focused field goes (no focusout), a new one comes.
    el.querySelector('label')!.remove();
    const label = document.createElement('label');
    label.innerHTML = 'Name <input type="text">';
    el.append(label);
    await brokerPublish({ topic: state, payload: 'theirs' });
    await waitUntil(() => el.querySelector('input')!.value === 'theirs', 'the state stayed held back');
  });

  it('does not change a select the user opened, and shows the state when it closes', async () => {
    const el = await mount(
      (c, s) =>
        html`<mqtt-publish topic=${c} state-topic=${s}
          ><label
            >Mode
            <select>
              <option>off</option>
              <option>eco</option>
              <option>comfort</option>
            </select></label
          ></mqtt-publish
        >`
    );
    const select = el.querySelector('select')!;
    await brokerPublish({ topic: state, payload: 'eco' });
    await waitUntil(() => select.value === 'eco');
    const box = select.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(box.left + 10), Math.round(box.top + box.height / 2)] });
    expect(select.matches(':open'), 'the picker opened').to.be.true;
    await brokerPublish({ topic: state, payload: 'comfort' });
    await waitUntil(() => el.state === 'comfort');
    await sleep(400);
    expect(select.value, 'the open select did not change').to.equal('eco');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => select.value === 'comfort', `the state was not shown once closed: ${select.value}`);
    expect(commands).to.have.length(0);
  });

  it('keeps a form the user is filling in as it is until they submit it', async () => {
    const el = await mount(
      (c, s) =>
        html`<mqtt-publish topic=${c} state-topic=${s} type="json">
          <form>
            <label>Setpoint <input name="setpoint" type="number" step="0.5" /></label
            ><label>Mode <input name="mode" /></label><button>Set</button>
          </form>
        </mqtt-publish>`
    );
    const form = el.querySelector('form')!;
    const [setpoint, mode] = Array.from(form.querySelectorAll('input'));
    await brokerPublish({ topic: state, payload: '{"setpoint": 20, "mode": "eco"}' });
    await waitUntil(() => setpoint.value === '20' && mode.value === 'eco');
    setpoint.focus();
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ type: '22.5' });
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement).to.equal(mode);
    await brokerPublish({ topic: state, payload: '{"setpoint": 19, "mode": "away"}' });
    await waitUntil(() => (el.state as { setpoint: number }).setpoint === 19);
    await sleep(100);
    expect(setpoint.value, 'moving to the next field is still editing the form').to.equal('22.5');
    expect(mode.value).to.equal('eco');
    form.querySelector('button')!.click();
    await waitUntil(() => commands.length === 1);
    expect(JSON.parse(commands[0].value as string)).to.deep.equal({ setpoint: 22.5, mode: 'eco' });
    expect(pending(el)).to.be.true;
  });

  it('shows a state that came before its control: a control added later, a custom control defined later', async () => {
    await brokerPublish({ topic: state, payload: 'ON', retain: true });
    const el = await mount(
      (c, s) => html`<mqtt-publish topic=${c} state-topic=${s} payload-on="ON" payload-off="OFF"></mqtt-publish>`
    );
    await waitUntil(() => el.state === 'ON', 'no state');
    // As a framework renders the control after the element: it shows the state it missed.
    const label = document.createElement('label');
    label.innerHTML = '<input type="checkbox"> Lamp';
    el.append(label);
    await waitUntil(() => el.querySelector('input')!.checked, 'a control added later did not show the state');
    label.remove();
    const tag = `late-switch-${Math.random().toString(36).slice(2, 8)}`;
    el.append(document.createElement(tag));
    await sleep(20);
    customElements.define(tag, class extends StateSwitch {});
    await waitUntil(
      () => (el.querySelector(tag) as StateSwitch).checked,
      'a custom control defined later did not show the state'
    );
    await brokerPublish({ topic: state, payload: '', retain: true });
  });

  it('is not pending after a command that could not be published', async () => {
    const el = await mount(
      (c, s) => html`<mqtt-publish topic=${`${c}/+`} state-topic=${s}><button>Go</button></mqtt-publish>`
    );
    const error = oneEvent(el, 'mqtt-error');
    el.querySelector('button')!.click();
    expect((await error).detail.hint).to.contain('one exact topic');
    expect(pending(el), 'pending after a refused publish').to.be.false;
    expect(timedOut(el)).to.be.false;
  });

  it('reports a bad confirm-timeout and state-topic with hints, and uses the default', async () => {
    const el = await mount(
      (c) => html`<mqtt-publish topic=${c}><input type="checkbox" aria-label="x" /></mqtt-publish>`,
      0
    );
    const error = oneEvent(el, 'mqtt-error');
    el.setAttribute('confirm-timeout', 'soon');
    expect((await error).detail.hint).to.contain('5000');
    expect(el.error).to.contain('confirm-timeout');
    el.setAttribute('confirm-timeout', '1000');
    await waitUntil(() => !el.hasAttribute('error'));
    const wildcard = oneEvent(el, 'mqtt-error');
    el.stateTopic = `${state}/+`;
    expect((await wildcard).detail.hint).to.contain('exact topic');
    await sleep(100);
    expect(await brokerSubscriptions(state)).to.have.length(0);
    el.stateTopic = state;
    await subscriptionsAtBroker(state, 1);
    await waitUntil(() => !el.hasAttribute('error'));
  });

  it('unsubscribes when state-topic is removed, and a removed element stops waiting', async () => {
    const el = await mount(
      (c, s) =>
        html`<mqtt-publish topic=${c} state-topic=${s} confirm-timeout="200"
          ><input type="checkbox" aria-label="Lamp"
        /></mqtt-publish>`
    );
    el.querySelector('input')!.click();
    expect(pending(el)).to.be.true;
    el.remove();
    expect(pending(el)).to.be.false;
    await sleep(350);
    expect(timedOut(el), 'no timer left behind').to.be.false;
    conn.append(el);
    await subscriptionsAtBroker(state, 1);
    el.removeAttribute('state-topic');
    await subscriptionsAtBroker(state, 0);
    el.querySelector('input')!.click();
    expect(pending(el), 'no state topic: no waiting').to.be.false;
  });

  it('leaves no subscription, listener or timer behind after 300 mounts in the middle of a command and a drag', async () => {
    await mount(() => html``, 0);
    const session = (conn as unknown as { session: { listenerCount: number } }).session;
    const listenersBefore = session.listenerCount;
    const globals = countGlobalListeners();
    const removed: MqttPublish[] = [];
    try {
      for (let round = 0; round < 30; round++) {
        const batch: MqttPublish[] = [];
        for (let i = 0; i < 10; i++) {
          const el = document.createElement('mqtt-publish');
          el.topic = cmd;
          el.stateTopic = `${state}/${i % 3}`;
          el.confirmTimeout = 100;
          el.innerHTML = '<input type="range" aria-label="level" />';
          conn.append(el);
          batch.push(el);
        }
        await batch[9].updateComplete;
        for (const el of batch) {
          const range = el.querySelector('input')!;
          range.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
          range.dispatchEvent(new Event('change', { bubbles: true }));
          el.remove();
        }
        removed.push(...batch);
      }
    } finally {
      globals.restore();
    }
    await subscriptionsAtBroker(state, 0);
    await sleep(250);
    expect(session.listenerCount).to.equal(listenersBefore);
    for (const [key, count] of globals.balance) expect(count, `${key} listeners left behind`).to.equal(0);
    expect(
      removed.filter((el) => el.matches(':state(timeout), :state(pending)')),
      'timers of removed elements fired'
    ).to.have.length(0);
  });
});
