import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { MqttConnection, MqttErrorEvent } from '../src/index.js';
import {
  checkUrl,
  connackRefused,
  connectionFailed,
  disconnectedByBroker,
  redactUrl,
} from '../src/session/diagnostics.js';
import { brokerUrl, captureWarnings, connected, refuserUrl, sleep } from './helpers.js';
import { startMosquitto } from './mosquitto.js';

describe('diagnostics (DOM-free)', () => {
  it('refuses urls a browser cannot open, saying what to write instead', () => {
    for (const url of ['mqtt://broker.emqx.io:1883', 'tcp://10.0.0.5:1883', 'mqtts://b:8883', 'ssl://b:8883']) {
      const diagnosis = checkUrl(url)!;
      expect(diagnosis.message, url).to.contain('cannot open');
      expect(diagnosis.hint, url).to.match(/wss?:\/\//);
    }
    for (const url of ['broker.emqx.io', 'localhost:8083/mqtt', '192.168.1.10:8083']) {
      expect(checkUrl(url)?.message, url).to.contain('no ws:// or wss:// scheme');
    }
    expect(checkUrl('http://b:8083/mqtt')?.hint).to.contain('ws://');
    expect(checkUrl('https://b:8084/mqtt')?.hint).to.contain('wss://');
    expect(checkUrl('ws://[bad/mqtt')?.message).to.contain('cannot be parsed');
    expect(checkUrl('ws://b:8083/mqtt')).to.equal(undefined);
  });

  it("suggests the user's own host and port as a WebSocket url, the path advice second", () => {
    const hint = checkUrl('mqtt://localhost:9001')!.hint;
    expect(hint).to.contain('use ws://localhost:9001.');
    expect(hint).not.to.contain('8083');
    expect(hint.indexOf('ws://localhost:9001'), 'the url first').to.be.below(hint.indexOf('/mqtt'));
    expect(hint).to.contain('mosquitto needs none');
    expect(checkUrl('localhost:9001')!.hint).to.contain('use ws://localhost:9001.');
    expect(checkUrl('greenhouse.local:8083/mqtt')!.hint).to.contain('use ws://greenhouse.local:8083/mqtt.');
    expect(checkUrl('mqtts://b.example:8884')!.hint).to.contain('use wss://b.example:8884.');
    // A TCP port is no WebSocket port: name the usual ones instead of repeating it.
    const tcp = checkUrl('mqtt://b.example:1883')!.hint;
    expect(tcp).to.contain('ws://b.example:9001').and.to.contain('8083').and.not.to.contain(':1883');
    expect(checkUrl('tcp://user:pw@b.example')!.hint).not.to.contain('pw');
  });

  it('names mosquitto beside EMQX, and a plain port behind wss://', () => {
    const noPath = connectionFailed('ws://b.example:9001').hint;
    expect(noPath).to.contain('mosquitto needs none').and.to.contain('9001');
    const secure = connectionFailed('wss://b.example:9443/mqtt').hint;
    expect(secure).to.contain('certificate').and.to.contain('else use ws://');
    expect(connectionFailed('wss://b.example:9001').hint).to.contain('Port 9001 usually speaks plain WebSocket');
  });

  it('explains mixed content: ws:// from an https: page (loopback excepted)', () => {
    const diagnosis = checkUrl('ws://broker.example:8083/mqtt', 'https:')!;
    expect(diagnosis.message).to.contain('mixed content');
    expect(diagnosis.hint).to.contain('wss://').and.to.contain('8084');
    expect(checkUrl('wss://broker.example:8084/mqtt', 'https:')).to.equal(undefined);
    expect(checkUrl('ws://localhost:8083/mqtt', 'https:')).to.equal(undefined);
  });

  it('explains a failed connection by what the url suggests', () => {
    const noPath = connectionFailed('ws://broker.example:8083');
    expect(noPath.hint).to.contain('no path').and.to.contain('/mqtt');
    const plain = connectionFailed('ws://broker.example:1883/mqtt');
    expect(plain.hint).to.contain('host and port').and.to.contain('8083');
    expect(plain.hint).not.to.contain('no path');
    const secure = connectionFailed('wss://broker.example:8084/mqtt');
    expect(secure.hint).to.contain('certificate');
    expect(connectionFailed('ws://b/mqtt', undefined, 5, true).hint, 'closed before CONNACK').to.contain(
      'protocol-version="4"'
    );
    expect(connectionFailed('ws://b/mqtt', undefined, 5).hint, 'another failure').not.to.contain('protocol-version');
    expect(connectionFailed('ws://b/mqtt', undefined, 4, true).hint).not.to.contain('protocol-version');
  });

  it('explains a wrong port by what usually listens there', () => {
    expect(connectionFailed('ws://b:1883/mqtt').hint).to.contain('MQTT over TCP');
    expect(connectionFailed('wss://b:8883/mqtt').hint).to.contain('MQTT over TCP');
    expect(connectionFailed('ws://b:8084/mqtt').hint).to.contain('Port 8084 usually speaks TLS: use wss://');
    expect(connectionFailed('ws://b:443/mqtt').hint).to.contain('use wss://');
    expect(connectionFailed('wss://b:8083/mqtt').hint).to.contain(
      'Port 8083 usually speaks plain WebSocket: use ws://'
    );
    expect(connectionFailed('wss://b/mqtt').hint, 'the default port 443 is right for wss').not.to.contain(
      'usually speaks'
    );
    expect(connectionFailed('ws://b:8083/mqtt').hint).not.to.contain('usually speaks');
  });

  it('puts every MQTT 3.1.1 CONNACK return code in words', () => {
    const words: Record<number, string> = {
      1: 'protocol version',
      2: 'client id',
      3: 'unavailable',
      4: 'bad user name or password',
      5: 'not authorized',
    };
    for (const [code, text] of Object.entries(words)) {
      const diagnosis = connackRefused(Number(code));
      expect(diagnosis.message).to.contain(text);
      expect(diagnosis.code).to.equal(Number(code));
      expect(diagnosis.hint.length).to.be.above(20);
    }
  });

  it('puts every MQTT 5 CONNACK reason code in words', () => {
    // MQTT 5.0 §3.2.2.2: every reason code a CONNACK can carry.
    const codes = [
      0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a, 0x9b, 0x9c,
      0x9d, 0x9f,
    ];
    const seen = new Set<string>();
    for (const code of codes) {
      const diagnosis = connackRefused(code);
      expect(diagnosis.message, `0x${code.toString(16)}`).not.to.contain('refusal code');
      seen.add(diagnosis.message.replace(/ \(code \d+\)\.$/, ''));
    }
    expect(seen.size, 'each code has its own words').to.equal(codes.length);
    expect(connackRefused(0x86).message).to.contain('bad user name or password');
    expect(connackRefused(0x87).message).to.contain('not authorized');
    expect(connackRefused(0x42).message, 'an unknown code is still quoted').to.contain('code 66');
  });

  it('explains an MQTT 5 DISCONNECT from the broker by its reason code', () => {
    expect(disconnectedByBroker(0x8e).hint).to.contain('same client-id');
    expect(disconnectedByBroker(0x8d).message).to.contain('keep alive timeout');
    expect(disconnectedByBroker(0x8b).hint).to.contain('reconnects on its own');
    expect(disconnectedByBroker(0x87).message, 'codes shared with CONNACK').to.contain('not authorized');
    expect(disconnectedByBroker(0x42).message).to.contain('reason code 66');
  });

  it('tells a client asking for MQTT 5 to use protocol-version="4" when refused for its version', () => {
    for (const code of [1, 0x84]) expect(connackRefused(code, 5).hint).to.contain('protocol-version="4"');
  });

  it('never quotes a password in a url', () => {
    expect(redactUrl('wss://ann:pw@b:8084/mqtt')).to.equal('wss://***@b:8084/mqtt');
    expect(checkUrl('mqtt://ann:pw@b:1883')!.message).not.to.contain('pw');
  });
});

describe('diagnostics from real connections', () => {
  it('tells a client asking for MQTT 5 of a broker that only speaks 3.1.1 to use protocol-version="4"', async () => {
    const url = await brokerUrl();
    const el = document.createElement('mqtt-connection');
    el.url = url;
    el.protocolVersion = 5;
    const error = oneEvent(el, 'mqtt-error');
    document.body.append(el);
    const event: MqttErrorEvent = await error;
    expect(event.detail.hint).to.contain('protocol-version="4"');
    expect(el.getAttribute('error')).to.contain('protocol-version="4"');
    await waitUntil(() => el.status === 'disconnected', 'a refused protocol version is final: no retry loop');
    el.protocolVersion = 4;
    await connected(el);
    el.remove();
  });

  it('explains a server that closes the socket before any CONNACK', async () => {
    const url = (await refuserUrl()).replace(/\/mqtt$/, '/close');
    const el = await fixture<MqttConnection>(html`<mqtt-connection url=${url} reconnect-period="0"></mqtt-connection>`);
    const event: MqttErrorEvent = await oneEvent(el, 'mqtt-error');
    expect(event.detail.error.message).to.contain('closed before the broker accepted it');
    expect(event.detail.hint).to.contain('WebSocket listener');
    el.remove();
  });

  it('explains a wrong port: nothing listens there', async () => {
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection url="ws://127.0.0.1:9/mqtt" reconnect-period="0"></mqtt-connection>`
    );
    const event: MqttErrorEvent = await oneEvent(el, 'mqtt-error');
    expect(event.detail.hint).to.contain('host and port').and.to.contain('8083');
    el.remove();
  });

  it('explains a url without the /mqtt path when the connection fails', async () => {
    const url = (await brokerUrl()).replace(/\/mqtt$/, '');
    const el = await fixture<MqttConnection>(html`<mqtt-connection url=${url} reconnect-period="0"></mqtt-connection>`);
    const event: MqttErrorEvent = await oneEvent(el, 'mqtt-error');
    expect(event.detail.hint).to.contain('no path').and.to.contain('/mqtt');
    el.url = `${url}/mqtt`;
    el.reconnectPeriod = 1000;
    await connected(el);
    expect(el.hasAttribute('error'), 'the error attribute is cleared on connect').to.be.false;
    el.remove();
  });

  it('reports every failed retry but warns once per distinct problem', async () => {
    const { warnings, restore } = captureWarnings();
    try {
      const url = await refuserUrl();
      const el = await fixture<MqttConnection>(
        html`<mqtt-connection url=${url} reconnect-period="50" reconnect-max-period="100"></mqtt-connection>`
      );
      let errors = 0;
      el.addEventListener('mqtt-error', () => errors++);
      await sleep(1000);
      el.remove();
      expect(errors).to.be.at.least(5);
      expect(warnings.filter((w) => w.includes(url))).to.have.length(1);
    } finally {
      restore();
    }
  });
});

describe('diagnostics from mosquitto (MQTT 5)', () => {
  it('explains two pages with one client-id (mosquitto closes the older connection each time)', async () => {
    const { url } = await startMosquitto('anonymous');
    const clientId = `taken-${Date.now()}`;
    const page = () =>
      html`<mqtt-connection
        url=${url}
        protocol-version="5"
        client-id=${clientId}
        reconnect-period="100"
        reconnect-max-period="2000"
      ></mqtt-connection>`;
    const first = await fixture<MqttConnection>(page());
    await connected(first);
    const hints: string[] = [];
    const listen = (e: Event) => hints.push((e as MqttErrorEvent).detail.hint);
    document.addEventListener('mqtt-error', listen);
    try {
      const second = await fixture<MqttConnection>(page());
      await waitUntil(() => hints.some((hint) => hint.includes('same client-id')), 'no client-id hint', {
        timeout: 6000,
      });
      second.remove();
    } finally {
      document.removeEventListener('mqtt-error', listen);
      first.remove();
    }
  });
});
