// What a new user hit (issue 12): a password without a user name, two sockets for one connection,
// and hints after an outage that pointed at the setup.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { MqttConnection, MqttErrorEvent } from '../src/index.js';
import { brokerUrl, connected, loadFixture, sleep, stopBroker } from './helpers.js';

/** Counts the WebSockets this page opens until `restore()`. */
function countSockets(): { urls: string[]; restore: () => void } {
  const urls: string[] = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      urls.push(String(url));
    }
  };
  return { urls, restore: () => (window.WebSocket = Native) };
}

describe('a password without a user name', () => {
  it('says to set username, and does not retry a setting that cannot work', async () => {
    const url = await brokerUrl();
    const sockets = countSockets();
    try {
      const el = document.createElement('mqtt-connection');
      el.url = url;
      el.password = 'secret';
      el.reconnectPeriod = 50;
      const statuses: string[] = [];
      el.addEventListener('mqtt-status', (event) => statuses.push(event.detail.status));
      const error = oneEvent(el, 'mqtt-error');
      document.body.append(el);
      const event: MqttErrorEvent = await error;
      expect(event.detail.error.message).to.contain('no username');
      expect(event.detail.hint).to.contain('Set username');
      expect(event.detail.hint).not.to.contain('host and port');
      expect(el.getAttribute('error')).not.to.contain('secret');
      await sleep(500);
      expect(el.status).to.equal('disconnected');
      expect(statuses, 'no attempt, no retry').not.to.include('reconnecting');
      expect(sockets.urls, 'no socket opened for a setting that cannot work').to.have.length(0);
      el.username = 'alice';
      await connected(el);
      el.remove();
    } finally {
      sockets.restore();
    }
  });

  it('treats an empty password without a user name as none', async () => {
    const el = await fixture<MqttConnection>(html`<mqtt-connection url=${await brokerUrl()}></mqtt-connection>`);
    el.password = '';
    await connected(el);
    await el.disconnect();
  });
});

describe('one connection, always', () => {
  it('opens one socket for `manual`, then setting password, then connect()', async () => {
    const url = await brokerUrl();
    const el = await fixture<MqttConnection>(html`<mqtt-connection manual url=${url}></mqtt-connection>`);
    const sockets = countSockets();
    try {
      el.username = 'alice';
      el.password = 'secret';
      el.connect();
      await connected(el);
      await sleep(200);
      expect(sockets.urls).to.deep.equal([url]);
      expect(el.status).to.equal('connected');
      // A setting changed after connect() still reconnects with it.
      el.password = 'another';
      await waitUntil(() => sockets.urls.length === 2, 'a changed password reconnects');
      await connected(el);
    } finally {
      sockets.restore();
      await el.disconnect();
    }
  });

  it('opens one socket when a module script after the bundle sets password (plain HTML)', async () => {
    const { frame, win, doc } = await loadFixture('password-script.html');
    const page = win as typeof win & { socketsOpened: string[] };
    const conn = doc.querySelector('mqtt-connection') as MqttConnection;
    await waitUntil(() => conn.status === 'connected', 'the fixture did not connect', { timeout: 5000 });
    await sleep(200);
    expect(page.socketsOpened).to.have.length(1);
    expect(conn.client?.options.password).to.equal('from-the-backend');
    await conn.disconnect();
    frame.remove();
  });
});

describe('a connection that worked and was lost', () => {
  it('says it was lost and is retrying, not to check the setup', async () => {
    const url = await brokerUrl('lost');
    const el = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url} reconnect-period="100" reconnect-max-period="200"></mqtt-connection>`
    );
    await connected(el);
    const hints: string[] = [];
    el.addEventListener('mqtt-error', (event) => hints.push(event.detail.error.message + ' ' + event.detail.hint));
    await stopBroker('lost');
    await waitUntil(() => hints.length >= 2, 'no failed reconnect reported', { timeout: 5000 });
    for (const hint of hints) {
      expect(hint).to.contain('lost').and.to.contain('reconnecting');
      expect(hint).not.to.contain('no path');
      expect(hint).not.to.contain('EMQX');
    }
    expect(el.getAttribute('error')).to.contain('worked before');
    await brokerUrl('lost');
    await connected(el);
    expect(el.hasAttribute('error')).to.be.false;
    // A new url that never connected gets the setup hints again.
    el.url = url.replace(/\/mqtt$/, '');
    const error: MqttErrorEvent = await oneEvent(el, 'mqtt-error');
    expect(error.detail.hint).to.contain('no path');
    await el.disconnect();
  });
});
