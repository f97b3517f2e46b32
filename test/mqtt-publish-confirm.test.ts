// `confirm` on <mqtt-publish> (issue 15): a modal question before each command, against the real
// test broker; the user's clicks and keys come from the browser (sendMouse, sendKeys).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import type { MqttConnection, MqttMessage, MqttPublish } from '../src/index.js';
import { brokerPublish, brokerUrl, connected, sleep, subscriptionsAtBroker, uniqueTopic } from './helpers.js';

/** A question with markup in it: shown as text. */
const QUESTION = 'Restart the <b>boiler</b>?';

describe('<mqtt-publish confirm>', () => {
  let conn: MqttConnection | undefined;
  let received: string[];
  afterEach(async () => {
    await resetMouse();
    await conn?.disconnect();
    conn = undefined;
  });

  /** A checkbox inside `<mqtt-publish confirm>`, and what the broker sends back on its topic. */
  async function mount() {
    const topic = uniqueTopic('confirm');
    received = [];
    conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${await brokerUrl()}>
        <mqtt-publish topic=${topic} confirm=${QUESTION}>
          <input type="checkbox" />
        </mqtt-publish>
      </mqtt-connection>`
    );
    conn.subscribe(topic, (message: MqttMessage) => received.push(String(message.value)), { type: 'text' });
    await connected(conn);
    await subscriptionsAtBroker(topic, 1);
    const publish = conn.querySelector<MqttPublish>('mqtt-publish')!;
    const box = publish.querySelector('input')!;
    return { topic, publish, box, dialog: () => publish.shadowRoot!.querySelector('dialog')! };
  }

  async function click(el: Element): Promise<void> {
    const { x, y, width, height } = el.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(x + width / 2), Math.round(y + height / 2)] });
  }

  it('asks before sending, with the focus on Cancel; Cancel sends nothing and unchecks the box again', async () => {
    const { publish, box, dialog } = await mount();
    await click(box);
    await waitUntil(() => dialog().open, 'no dialog');
    expect(publish.shadowRoot!.activeElement?.getAttribute('part')).to.equal('cancel');
    // The question is text, never HTML.
    expect(dialog().querySelector('[part=question]')!.textContent).to.equal(QUESTION);
    expect(dialog().querySelector('b')).to.equal(null);
    await click(dialog().querySelector('[part=cancel]')!);
    expect(dialog().open).to.equal(false);
    expect(box.checked, 'back to what it was').to.equal(false);
    await sleep(300);
    expect(received).to.deep.equal([]);
  });

  it('Escape cancels', async () => {
    const { box, dialog } = await mount();
    await click(box);
    await waitUntil(() => dialog().open, 'no dialog');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog().open, 'still open');
    expect(box.checked).to.equal(false);
    await sleep(300);
    expect(received).to.deep.equal([]);
  });

  it('OK sends the command once', async () => {
    const { box, dialog } = await mount();
    await click(box);
    await waitUntil(() => dialog().open, 'no dialog');
    await click(dialog().querySelector('[part=ok]')!);
    await waitUntil(() => received.length > 0, 'nothing sent');
    await sleep(200);
    expect(received).to.deep.equal(['true']);
    expect(box.checked).to.equal(true);
  });

  it('with state-topic, Cancel shows the last confirmed state again', async () => {
    const { publish, box, dialog } = await mount();
    publish.stateTopic = `${publish.topic}/state`;
    await subscriptionsAtBroker(`${publish.topic}/state`, 1);
    await brokerPublish({ topic: `${publish.topic}/state`, payload: 'true' });
    await waitUntil(() => box.checked, 'state not shown');
    await click(box);
    await waitUntil(() => dialog().open, 'no dialog');
    expect(box.checked, 'the click unchecked it').to.equal(false);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => box.checked, 'the confirmed state is not shown again');
    await sleep(300);
    expect(received).to.deep.equal([]);
  });
});
