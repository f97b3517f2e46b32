// The fast path for QoS 0 messages (src/session/fast-path.ts): which WebSocket frames it reads
// itself and which it leaves to MQTT.js, fed with frames as brokers send them. The end-to-end side
// (mosquitto, one packet per frame; aedes, a packet in five frames) runs in every broker test.
import { expect, waitUntil } from '@open-wc/testing';
import type { IPublishPacket } from 'mqtt';
import type { MqttConnection } from '../src/index.js';
import { IncomingFrames } from '../src/session/fast-path.js';
import { connected, sleep, uniqueTopic } from './helpers.js';
import { startMosquitto } from './mosquitto.js';

const utf8 = new TextEncoder();

/** The bytes of a PUBLISH packet (MQTT 3.1.1, or 5 with `properties` as raw property bytes). */
function publish(
  topic: string,
  payload: string,
  { qos = 0, retain = false, properties }: { qos?: number; retain?: boolean; properties?: number[] } = {}
): number[] {
  const name = [...utf8.encode(topic)];
  const body = [name.length >> 8, name.length & 0xff, ...name];
  if (qos > 0) body.push(0, 1);
  if (properties) body.push(properties.length, ...properties);
  body.push(...utf8.encode(payload));
  const length: number[] = [];
  let rest = body.length;
  do {
    length.push((rest & 0x7f) | (rest > 0x7f ? 0x80 : 0));
    rest >>= 7;
  } while (rest > 0);
  return [0x30 | (qos << 1) | (retain ? 1 : 0), ...length, ...body];
}

const frame = (...packets: number[][]) => new Uint8Array(packets.flat()).buffer;

function reader(version = 4, enabled = () => true) {
  const got: string[] = [];
  const frames = new IncomingFrames(
    version,
    (topic: string, payload: Uint8Array, packet: IPublishPacket) =>
      got.push(`${topic}=${new TextDecoder().decode(payload)}${packet.retain ? ' (retained)' : ''}`),
    enabled
  );
  return { frames, got };
}

describe('the fast path for QoS 0 messages', () => {
  it('reads frames of whole QoS 0 PUBLISH packets itself, several in one frame too', () => {
    const { frames, got } = reader();
    expect(frames.frame(frame(publish('a/b', '21.5')))).to.equal(true);
    expect(frames.frame(frame(publish('a/c', 'on', { retain: true }), publish('a/b', '22')))).to.equal(true);
    expect(got).to.deep.equal(['a/b=21.5', 'a/c=on (retained)', 'a/b=22']);
  });

  it('reads a payload longer than 127 bytes (a two-byte length)', () => {
    const { frames, got } = reader();
    expect(frames.frame(frame(publish('big', 'x'.repeat(300))))).to.equal(true);
    expect(got).to.deep.equal([`big=${'x'.repeat(300)}`]);
  });

  it('leaves QoS 1 to MQTT.js, and reads nothing more until MQTT.js has reached it', () => {
    const { frames, got } = reader();
    expect(frames.frame(frame(publish('t', '1', { qos: 1 })))).to.equal(false);
    // MQTT.js still holds the QoS 1 message: a QoS 0 one must not overtake it.
    expect(frames.frame(frame(publish('t', '2')))).to.equal(false);
    frames.received();
    frames.received();
    expect(frames.frame(frame(publish('t', '3')))).to.equal(true);
    expect(got).to.deep.equal(['t=3']);
  });

  it('follows a packet split across frames (as aedes sends them) and never reads its middle as a packet', () => {
    const { frames, got } = reader();
    const packet = publish('split/topic', 'value');
    // The header, the topic, the payload: three frames, one packet for MQTT.js.
    expect(frames.frame(frame(packet.slice(0, 2)))).to.equal(false);
    expect(frames.frame(frame(packet.slice(2, 9)))).to.equal(false);
    // A tail that happens to look like a PUBLISH header is not read as one.
    expect(frames.frame(frame(packet.slice(9)))).to.equal(false);
    frames.received();
    expect(frames.frame(frame(publish('next', 'ok')))).to.equal(true);
    expect(got).to.deep.equal(['next=ok']);
  });

  it('follows a fixed header split inside its remaining length', () => {
    const { frames, got } = reader();
    const packet = publish('long', 'y'.repeat(200));
    expect(frames.frame(frame(packet.slice(0, 2)))).to.equal(false);
    expect(frames.frame(frame(packet.slice(2)))).to.equal(false);
    frames.received();
    expect(frames.frame(frame(publish('after', '1')))).to.equal(true);
    expect(got).to.deep.equal(['after=1']);
  });

  it('leaves a frame to MQTT.js whole when one of its packets is not a QoS 0 PUBLISH', () => {
    const { frames, got } = reader();
    const pingresp = [0xd0, 0x00];
    expect(frames.frame(frame(publish('t', 'a'), pingresp))).to.equal(false);
    // Two packets for MQTT.js: until it has reached both, frames go to it too.
    frames.received();
    expect(frames.frame(frame(publish('t', 'b')))).to.equal(false);
    frames.received();
    frames.received();
    expect(frames.frame(frame(publish('t', 'c')))).to.equal(true);
    expect(got).to.deep.equal(['t=c']);
  });

  it('MQTT 5: reads a PUBLISH without properties, leaves one with properties (aliases, user properties) to MQTT.js', () => {
    const { frames, got } = reader(5);
    expect(frames.frame(frame(publish('v5', 'plain', { properties: [] })))).to.equal(true);
    const userProperty = [0x26, 0, 1, 0x6b, 0, 1, 0x76];
    expect(frames.frame(frame(publish('v5', 'with', { properties: userProperty })))).to.equal(false);
    expect(got).to.deep.equal(['v5=plain']);
  });

  it('reads nothing while code listens to the client itself, but keeps following the frames', () => {
    let listening = true;
    const { frames, got } = reader(4, () => !listening);
    expect(frames.frame(frame(publish('t', '1')))).to.equal(false);
    listening = false;
    // MQTT.js has not reached the first message yet.
    expect(frames.frame(frame(publish('t', '2')))).to.equal(false);
    frames.received();
    frames.received();
    expect(frames.frame(frame(publish('t', '3')))).to.equal(true);
    expect(got).to.deep.equal(['t=3']);
  });

  it('gives up on frames it cannot read as bytes', () => {
    const { frames } = reader();
    expect(frames.frame('text')).to.equal(false);
    expect(frames.frame(frame(publish('t', '1')))).to.equal(false);
  });
});

describe('the fast path against mosquitto (one packet per WebSocket frame)', () => {
  let conn: MqttConnection | undefined;
  afterEach(async () => {
    await conn?.disconnect();
    conn?.remove();
    conn = undefined;
  });

  async function connectTo(url: string): Promise<MqttConnection> {
    conn = document.createElement('mqtt-connection');
    conn.url = url;
    document.body.append(conn);
    await connected(conn);
    return conn;
  }

  it('keeps the order of a topic whose messages alternate QoS 0 and QoS 1', async () => {
    const { url } = await startMosquitto();
    const el = await connectTo(url);
    const topic = uniqueTopic('order');
    const got: string[] = [];
    el.subscribe(topic, (message) => got.push(new TextDecoder().decode(message.payload)), { qos: 1 });
    await sleep(200);
    const sent = Array.from({ length: 300 }, (_, i) => String(i));
    // One after the other: MQTT.js stores a QoS 1 publish before it sends it, so a QoS 0 one made
    // right after could reach the broker first.
    for (const [i, payload] of sent.entries()) await el.publish(topic, payload, { qos: i % 3 === 0 ? 1 : 0 });
    await waitUntil(() => got.length >= sent.length, `got ${got.length} of ${sent.length}`);
    expect(got).to.deep.equal(sent);
  });

  it("still gives code that listens to the client's own message event every message", async () => {
    const { url } = await startMosquitto();
    const el = await connectTo(url);
    const topic = uniqueTopic('listened');
    const fromClient: string[] = [];
    const fromKit: string[] = [];
    el.subscribe(topic, (message) => fromKit.push(new TextDecoder().decode(message.payload)));
    el.client!.on('message', (_topic, payload) => fromClient.push(new TextDecoder().decode(payload)));
    await sleep(200);
    for (let i = 0; i < 50; i++) void el.publish(topic, String(i));
    await waitUntil(
      () => fromKit.length >= 50 && fromClient.length >= 50,
      `kit ${fromKit.length}, client ${fromClient.length}`
    );
    expect(fromClient).to.deep.equal(fromKit);
  });
});
