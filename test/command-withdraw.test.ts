// A command that "timed out" never runs later (issue 12, item 3): a page drives pumps and locks, so a
// command the page has shown as failed must not reach the device after a reconnect.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { MqttConnection, MqttErrorEvent, MqttPublish } from '../src/index.js';
import {
  brokerPublish,
  brokerUrl,
  connected,
  freezeBroker,
  recordedPublishes,
  recordPublishes,
  sleep,
  stopBroker,
  subscriptionsAtBroker,
  uniqueTopic,
} from './helpers.js';

const BROKER = 'commands';
const pending = (el: Element) => el.matches(':state(pending)');
const timedOut = (el: Element) => el.matches(':state(timeout)');

describe('<mqtt-publish state-topic> across an outage', () => {
  let conn: MqttConnection;
  let pump: MqttPublish;
  let box: HTMLInputElement;
  let cmd: string;

  /** A pump switch on the `commands` broker whose state is off (retained), its commands recorded. */
  async function mountPump(confirmTimeout: number, qos = 1): Promise<void> {
    const url = await brokerUrl(BROKER);
    cmd = uniqueTopic('pump/set');
    const state = `${cmd}/state`;
    await recordPublishes(cmd, BROKER);
    conn = await fixture<MqttConnection>(html`
      <mqtt-connection url=${url} reconnect-period="100" reconnect-max-period="200">
        <mqtt-publish topic=${cmd} state-topic=${state} confirm-timeout=${confirmTimeout} qos=${qos}>
          <input type="checkbox" />
        </mqtt-publish>
      </mqtt-connection>
    `);
    pump = conn.querySelector('mqtt-publish')!;
    box = pump.querySelector('input')!;
    await connected(conn);
    await subscriptionsAtBroker(state, 1, BROKER);
    await brokerPublish({ name: BROKER, topic: state, payload: 'false', qos: 1, retain: true });
    await waitUntil(() => pump.state === false, 'the off state did not arrive');
  }

  /** Stops the broker and waits until the page knows it is offline. */
  async function outage(): Promise<void> {
    await stopBroker(BROKER);
    await waitUntil(() => pump.hasAttribute('offline'), 'the switch did not go offline');
  }

  afterEach(async () => {
    await brokerUrl(BROKER);
    await conn?.disconnect();
  });

  it('withdraws a command that could not be sent within confirm-timeout: it never reaches the device', async () => {
    await mountPump(400);
    await outage();
    const withdrawn = oneEvent(pump, 'mqtt-error');
    box.click();
    expect(pending(pump), 'queued: pending').to.be.true;
    expect(pump.hasAttribute('offline')).to.be.true;
    const error: MqttErrorEvent = await withdrawn;
    expect(error.detail.error.message).to.contain('withdrawn').and.to.contain('will not get it');
    expect(timedOut(pump)).to.be.true;
    expect(box.checked, 'back to the confirmed state').to.be.false;
    await brokerUrl(BROKER);
    await connected(conn);
    await sleep(500);
    expect(await recordedPublishes(cmd, BROKER), 'nothing sent after the reconnect').to.deep.equal([]);
    expect(box.checked).to.be.false;
  });

  it('starts the confirmation wait when the command is sent, and a retained state confirms nothing', async () => {
    await mountPump(1500);
    await outage();
    const clicked = performance.now();
    box.click();
    await sleep(1000);
    expect(pending(pump), 'still waiting to be sent').to.be.true;
    await brokerUrl(BROKER);
    await connected(conn);
    await waitUntil(async () => (await recordedPublishes(cmd, BROKER)).length === 1, 'the command was not sent');
    expect(await recordedPublishes(cmd, BROKER)).to.deep.equal(['true']);
    // The retained "off" state came again with the resubscription: no confirmation of the command.
    await sleep(Math.max(0, clicked + 1900 - performance.now()));
    expect(pending(pump), 'past confirm-timeout from the click, within it from the send').to.be.true;
    expect(timedOut(pump)).to.be.false;
    expect(box.checked, 'the control shows the command while it waits').to.be.true;
    await brokerPublish({ name: BROKER, topic: `${cmd}/state`, payload: 'true', qos: 1, retain: true });
    await waitUntil(() => !pending(pump), 'the state did not confirm the command');
    expect(box.checked).to.be.true;
    expect(timedOut(pump)).to.be.false;
  });

  it('replaces an older queued command with a newer one: only the last is sent', async () => {
    await mountPump(3000);
    await outage();
    let errors = 0;
    pump.addEventListener('mqtt-error', () => errors++);
    box.click(); // on
    box.click(); // off
    box.click(); // on
    await brokerUrl(BROKER);
    await connected(conn);
    await waitUntil(async () => (await recordedPublishes(cmd, BROKER)).length > 0, 'nothing was sent');
    await sleep(300);
    expect(await recordedPublishes(cmd, BROKER)).to.deep.equal(['true']);
    expect(errors, 'a replaced command is no error').to.equal(0);
  });

  it('takes back a QoS 1 command the broker never acknowledged: the reconnect does not send it again', async () => {
    await mountPump(400);
    // The broker stops reading: the command is written, but no PUBACK comes.
    await freezeBroker(BROKER);
    const withdrawn = oneEvent(pump, 'mqtt-error');
    box.click();
    const error: MqttErrorEvent = await withdrawn;
    expect(error.detail.error.message).to.contain('not acknowledged');
    expect(box.checked).to.be.false;
    await stopBroker(BROKER);
    await brokerUrl(BROKER);
    await connected(conn);
    await sleep(500);
    expect(await recordedPublishes(cmd, BROKER), 'not sent again after the reconnect').to.deep.equal([]);
  });
});
