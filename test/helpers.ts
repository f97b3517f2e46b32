// Importing the kit defines its elements for every test file that uses these helpers.
import '../src/index.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { MqttConnection } from '../src/index.js';

/** The ws url of a test broker (aedes, started on demand; `main` runs for the whole suite). */
export async function brokerUrl(name = 'main'): Promise<string> {
  return (await executeServerCommand<{ url: string }, { name: string }>('broker-start', { name })).url;
}

/** Stops a test broker; `brokerUrl(name)` starts it again on the same port. */
export async function stopBroker(name = 'main'): Promise<void> {
  await executeServerCommand('broker-stop', { name });
}

export interface BrokerStats {
  subscribePackets: number;
  unsubscribePackets: number;
  published: number;
  /** Clients the broker accepted (a reconnect counts again). */
  connects: number;
}

/** Packet counters of a test broker since it started. */
export function brokerStats(name = 'main'): Promise<BrokerStats> {
  return executeServerCommand<BrokerStats, { name: string }>('broker-stats', { name });
}

/** The subscriptions a test broker holds whose filter starts with `prefix`. */
export function brokerSubscriptions(
  prefix: string,
  name = 'main'
): Promise<{ clientId: string; filter: string; qos: number }[]> {
  return executeServerCommand('broker-subscriptions', { name, prefix });
}

/**
 * Publishes from the broker itself, `count` times (`{i}` in topic or payload is the index), `every`
 * ms apart (default: at once).
 */
export async function brokerPublish(options: {
  topic: string;
  payload?: string;
  qos?: number;
  retain?: boolean;
  count?: number;
  every?: number;
  name?: string;
}): Promise<void> {
  await executeServerCommand('broker-publish', options);
}

/** A mosquitto broker (MQTT 3.1.1 and 5), started once for the suite. */
export async function mosquittoUrl(): Promise<string> {
  return (await executeServerCommand<{ url: string }, undefined>('mosquitto-start')).url;
}

let counter = 0;
/** A topic prefix no other test uses. */
export function uniqueTopic(name = 't'): string {
  return `test/${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}/${name}`;
}

/** Waits until the connection reports `connected`. */
export async function connected(el: MqttConnection, timeout = 5000): Promise<void> {
  await waitUntil(() => el.status === 'connected', 'not connected', { timeout }).catch((error: Error) => {
    // The status and error at the timeout, not when the wait began.
    throw new Error(`${error.message}: ${el.status}${el.error ? `, ${el.error}` : ''}`);
  });
}

/** Waits until the broker holds exactly `count` subscriptions under `prefix`. */
export async function subscriptionsAtBroker(prefix: string, count: number, name = 'main'): Promise<void> {
  let last: unknown[] = [];
  await waitUntil(
    async () => (last = await brokerSubscriptions(prefix, name)).length === count,
    `expected ${count} subscriptions under ${prefix}`,
    { timeout: 5000, interval: 20 }
  ).catch((error: Error) => {
    throw new Error(`${error.message}; the broker holds ${JSON.stringify(last)}`);
  });
}

/** Resolves after the next animation frame. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts recording the payloads clients publish under `prefix` (kept across broker restarts). */
export async function recordPublishes(prefix: string, name = 'main'): Promise<void> {
  await executeServerCommand('broker-record', { name, prefix });
}

/** The payloads clients published under `prefix` since `recordPublishes(prefix)`, in arrival order. */
export function recordedPublishes(prefix: string, name = 'main'): Promise<string[]> {
  return executeServerCommand('broker-recorded', { name, prefix });
}

/** An endpoint where every WebSocket handshake is refused (503); its attempt counter starts at 0. */
export async function refuserUrl(): Promise<string> {
  return (await executeServerCommand<{ url: string }, undefined>('refuser-start')).url;
}

/** How many handshakes the refusing endpoint saw since `refuserUrl()`. */
export function refuserAttempts(): Promise<number> {
  return executeServerCommand<number, undefined>('refuser-attempts');
}

/**
 * Puts the browser page into Chromium's offline mode for `ms`, starting just after this resolves
 * (no server command can be run while offline). Wait for the `offline` and `online` events.
 */
export async function goOfflineFor(ms: number): Promise<void> {
  await executeServerCommand('page-offline', { ms });
}

/** A real double-click at `[x, y]` (CSS px in the page): Chromium's input makes the `dblclick`. */
export async function doubleClick(position: [number, number]): Promise<void> {
  await executeServerCommand('page-dblclick', { position });
}

/** The `main` broker at `/mqtt` on the test page's own origin (allowed by `connect-src 'self'`). */
export function sameOriginBrokerUrl(): string {
  return `ws://${location.host}/mqtt`;
}

/** Collects console warnings (still printing them) until `restore()`. */
export function captureWarnings(): { warnings: string[]; restore: () => void } {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.join(' '));
    warn.apply(console, args);
  };
  return { warnings, restore: () => (console.warn = warn) };
}

/** Counts listeners added to and removed from `window` and `document` until `restore()`. */
export function countGlobalListeners() {
  const balance = new Map<string, number>();
  const targets: [EventTarget, string][] = [
    [window, 'window'],
    [document, 'document'],
  ];
  const undo = targets.map(([target, name]) => {
    const { addEventListener: add, removeEventListener: remove } = target;
    target.addEventListener = function (this: EventTarget, type: string, ...rest: unknown[]) {
      balance.set(`${name}:${type}`, (balance.get(`${name}:${type}`) ?? 0) + 1);
      return (add as (...args: unknown[]) => void).call(this, type, ...rest);
    };
    target.removeEventListener = function (this: EventTarget, type: string, ...rest: unknown[]) {
      balance.set(`${name}:${type}`, (balance.get(`${name}:${type}`) ?? 0) - 1);
      return (remove as (...args: unknown[]) => void).call(this, type, ...rest);
    };
    return () => Object.assign(target, { addEventListener: add, removeEventListener: remove });
  });
  return { balance, restore: () => undo.forEach((fn) => fn()) };
}

/** Hides the test page behind another tab for `ms` (the page sees `visibilitychange` both ways). */
export async function hideFor(ms: number): Promise<void> {
  await executeServerCommand('page-hide', { ms });
}

/** Stops a test broker from reading its open connections, which stay open: dead but not closed. */
export async function freezeBroker(name = 'main'): Promise<void> {
  await executeServerCommand('broker-freeze', { name });
}

/** Loads a page from test/fixtures/ in an iframe and waits until the CDN bundle defined the elements. */
export async function loadFixture(
  name: string
): Promise<{ frame: HTMLIFrameElement; win: Window & typeof globalThis; doc: Document }> {
  const frame = document.createElement('iframe');
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.src = `/test/fixtures/${name}`;
  document.body.append(frame);
  await loaded;
  const win = frame.contentWindow as Window & typeof globalThis;
  await waitUntil(() => win.customElements.get('mqtt-value'), `the bundle defined nothing in ${name}`, {
    timeout: 5000,
  });
  return { frame, win, doc: frame.contentDocument! };
}

/** The client ids connected to a test broker now. */
export function brokerClients(name = 'main'): Promise<string[]> {
  return executeServerCommand<string[], { name: string }>('broker-clients', { name });
}

/**
 * In a fixture page with a `manual` `<mqtt-connection>` around an `<mqtt-value path="celsius"
 * digits="1">`: connects it to the test broker, publishes a value and waits until it is shown.
 */
export async function fixtureShowsValue(doc: Document, name: string): Promise<HTMLElement> {
  const topic = uniqueTopic(name);
  const conn = doc.querySelector('mqtt-connection') as HTMLElement & {
    url: string;
    connect(): void;
    disconnect(): Promise<void>;
  };
  const value = doc.querySelector('mqtt-value') as HTMLElement & { topic: string };
  value.topic = topic;
  conn.url = await brokerUrl();
  conn.connect();
  await subscriptionsAtBroker(topic, 1);
  await brokerPublish({ topic, payload: '{"celsius":19.96}' });
  await waitUntil(() => value.shadowRoot?.textContent?.includes('20.0'), `no value shown in ${name}`);
  await conn.disconnect();
  return value;
}

/**
 * For a describe block whose tests each mount an <mqtt-connection> on the main broker: hands over
 * the broker's url before the tests, and disconnects the test's connection after each.
 */
export function onMainBroker(setUrl: (url: string) => void, connection: () => MqttConnection | undefined): void {
  before(async () => setUrl(await brokerUrl()));
  afterEach(async () => {
    await connection()?.disconnect();
  });
}

/**
 * Mounts `template(topic)` (for a fresh topic named `name`) in an <mqtt-connection> to `url`, and
 * waits until the broker holds its one subscription. Returns the topic, the connection and the
 * first element matching `selector`.
 */
export async function mountSubscriber<E extends Element>(
  url: string,
  name: string,
  selector: string,
  template: (topic: string) => unknown
): Promise<{ topic: string; conn: MqttConnection; el: E }> {
  const topic = uniqueTopic(name);
  const conn = await fixture<MqttConnection>(html`<mqtt-connection url=${url}>${template(topic)}</mqtt-connection>`);
  await subscriptionsAtBroker(topic, 1);
  return { topic, conn, el: conn.querySelector<E>(selector)! };
}

/**
 * Publishes a burst of 5000 messages (0 to 4999) to `topic`, waits until `el` shows the last
 * (`ended`; `showing` says what it shows otherwise) and checks that it got every message and
 * rendered at most once per animation frame meanwhile.
 */
export async function expectBurstRenderedOncePerFrame(
  el: Element,
  topic: string,
  ended: () => boolean,
  showing: () => string
): Promise<void> {
  const frames: number[] = [];
  const host = el as unknown as { render(): unknown };
  const proto = Object.getPrototypeOf(el) as { render(): unknown };
  host.render = function render(this: unknown) {
    frames.push(document.timeline.currentTime as number);
    return proto.render.call(this);
  };
  let events = 0;
  el.addEventListener('mqtt-message', () => events++);
  await brokerPublish({ topic, payload: '{i}', count: 5000 });
  await waitUntil(ended, `shows ${showing()}`, { timeout: 10000 });
  expect(events).to.equal(5000);
  expect(new Set(frames).size, 'two renders in one frame').to.equal(frames.length);
  expect(frames.length).to.be.lessThan(500);
}

/** Checks `stale-after="0.3"` on `el`: set 0.3 s after a message (`shows` the value 1), cleared by the next. */
export async function expectStaleAfter(el: Element, topic: string, shows: (text: string) => boolean): Promise<void> {
  await brokerPublish({ topic, payload: '1' });
  await waitUntil(() => shows('1'));
  expect(el.hasAttribute('stale')).to.be.false;
  await waitUntil(() => el.hasAttribute('stale'), 'never stale', { timeout: 2000 });
  await brokerPublish({ topic, payload: '2' });
  await waitUntil(() => !el.hasAttribute('stale'));
}
