// The benchmark's page side. The same scenarios for the kit (kit.html) and for the baseline that the
// MQTT.js guides teach (baseline.html: one client, client.on('message'), textContent per message).
// scripts/bench/run.mjs drives them through window.bench, through any broker: the page itself tells
// when its subscriptions are in place, from the MQTT packets on its own WebSocket (see `wire`).
const kit = location.pathname.endsWith('/kit.html');
let mqtt;
let client;
let connection;

// ---------------------------------------------------------------------------------------------
// The wire: every MQTT packet the page sends and receives, parsed from WebSocket.send and the
// socket's message events (WebSocket.prototype.send is wrapped before either page connects; the
// first send on a socket, its CONNECT, adds the message listener). Both pages are measured the same
// way. It counts SUBSCRIBE and UNSUBSCRIBE packets and incoming PUBLISHes, and keeps the filters that
// the broker acknowledged (SUBACK) and has not yet unsubscribed (UNSUBACK): what the broker holds for
// the page, which no broker-independent API tells.

/** Counters, for the page's whole life; those of incoming messages are reset by `resetPublishes`. */
const wire = {
  framesIn: 0,
  subscribePackets: 0,
  unsubscribePackets: 0,
  publishesIn: 0,
  firstPublishAt: 0,
  lastPublishAt: 0,
};
/** Filters the broker has acknowledged and not unsubscribed. */
const held = new Set();
/** Callbacks run after every SUBACK. */
const onSuback = new Set();
const decoder = new TextDecoder();
const KEEP_OUT = new Set([1, 8, 10]); // CONNECT, SUBSCRIBE, UNSUBSCRIBE: their bodies are read
const KEEP_IN = new Set([9, 11]); // SUBACK, UNSUBACK

/** A streaming MQTT packet splitter: calls `onPacket(type, body)` (body only for types in `keep`). */
function splitter(keep, onPacket) {
  let header = -1;
  let length = 0;
  let shift = 0;
  let left = -1;
  let body = null;
  return (bytes) => {
    for (let i = 0; i < bytes.length;) {
      if (header < 0) {
        header = bytes[i++];
        length = shift = 0;
        left = -1;
        continue;
      }
      if (left < 0) {
        const byte = bytes[i++];
        length += (byte & 0x7f) * 2 ** shift;
        shift += 7;
        if (byte & 0x80) continue;
        left = length;
        body = keep.has(header >> 4) ? new Uint8Array(length) : null;
      } else {
        const n = Math.min(left, bytes.length - i);
        body?.set(bytes.subarray(i, i + n), length - left);
        left -= n;
        i += n;
      }
      if (left === 0) {
        onPacket(header >> 4, body);
        header = -1;
      }
    }
  };
}

const bytesOf = (data) =>
  data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : null;

/** Reads a variable byte integer at `at`; returns [value, offset after it]. */
function varint(body, at) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = body[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return [value, at];
  }
}

/** Hooks up one socket: its packet id → filters of SUBSCRIBE / UNSUBSCRIBE packets awaiting their ack. */
function instrument(socket) {
  let version = 4;
  const pending = new Map();
  /** The packet id, and the offset after it and (MQTT 5) the properties. */
  const start = (body) => {
    const id = (body[0] << 8) | body[1];
    if (version !== 5) return [id, 2];
    const [size, at] = varint(body, 2);
    return [id, at + size];
  };
  const filters = (body, at, options) => {
    const list = [];
    while (at < body.length) {
      const size = (body[at] << 8) | body[at + 1];
      list.push(decoder.decode(body.subarray(at + 2, at + 2 + size)));
      at += 2 + size + options;
    }
    return list;
  };
  const out = splitter(KEEP_OUT, (type, body) => {
    if (type === 1) version = body[2 + ((body[0] << 8) | body[1])];
    if (type === 8 || type === 10) {
      const [id, at] = start(body);
      pending.set(id, filters(body, at, type === 8 ? 1 : 0));
      wire[type === 8 ? 'subscribePackets' : 'unsubscribePackets']++;
    }
  });
  const incoming = splitter(KEEP_IN, (type, body) => {
    if (type === 3) {
      const now = performance.now();
      if (wire.publishesIn++ === 0) wire.firstPublishAt = now;
      wire.lastPublishAt = now;
      return;
    }
    if (type !== 9 && type !== 11) return;
    const [id, at] = start(body);
    const list = pending.get(id) ?? [];
    pending.delete(id);
    list.forEach((filter, i) => (type === 9 && body[at + i] < 0x80 ? held.add(filter) : held.delete(filter)));
    if (type === 9) for (const callback of onSuback) callback();
  });
  socket.addEventListener('message', (event) => {
    wire.framesIn++;
    const bytes = bytesOf(event.data);
    if (bytes) incoming(bytes);
  });
  return (data) => {
    const bytes = bytesOf(data);
    if (bytes) out(bytes);
  };
}

const sockets = new WeakMap();
// Instrumented as they are made, so that the wire's message listener comes before any other (the
// kit reads some frames itself and stops them from reaching later listeners).
const NativeWebSocket = WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    sockets.set(this, instrument(this));
  }
};
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
  if (!sockets.has(this)) sockets.set(this, instrument(this));
  sockets.get(this)(data);
  return send.call(this, data);
};

/** Resolves once the broker has acknowledged a subscription to every one of `topics`. */
function whenSubscribed(topics) {
  return new Promise((resolve) => {
    const check = () => {
      if (!topics.every((topic) => held.has(topic))) return;
      onSuback.delete(check);
      resolve(true);
    };
    onSuback.add(check);
    check();
  });
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/** Main-thread time in long tasks (> 50 ms), from a PerformanceObserver. */
let longTasks = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks += entry.duration;
}).observe({ type: 'longtask', buffered: true });

/** DOM writes: text and child changes seen by a MutationObserver on every shown value. */
let writes = 0;
const observer = new MutationObserver((records) => (writes += records.length));
const watch = (node) => observer.observe(node, { childList: true, characterData: true, subtree: true });

async function connect(url) {
  if (kit) {
    await customElements.whenDefined('mqtt-connection');
    connection = document.createElement('mqtt-connection');
    connection.url = url;
    document.body.append(connection);
    await new Promise((resolve) => connection.addEventListener('mqtt-connect', resolve, { once: true }));
  } else {
    mqtt ??= (await import('/node_modules/mqtt/dist/mqtt.esm.js')).default;
    client = mqtt.connect(url);
    await new Promise((resolve) => client.once('connect', resolve));
    // The guides' pattern: one handler, a lookup, textContent set per message.
    client.on('message', (topic, payload) => {
      const span = spans.get(topic);
      if (span) span.textContent = payload.toString();
      onShown?.(topic, payload);
    });
  }
}

const spans = new Map();
let onShown;

/** `count` shown values on `topics`; resolves once they are all subscribed. */
async function mount(topics) {
  const root = document.createElement('div');
  document.body.append(root);
  const shown = [];
  for (const topic of topics) {
    if (kit) {
      const value = document.createElement('mqtt-value');
      value.topic = topic;
      value.type = 'text';
      (connection ?? document.body).append(value);
      shown.push(value);
    } else {
      const span = document.createElement('span');
      root.append(span);
      spans.set(topic, span);
      shown.push(span);
    }
  }
  if (!kit) await client.subscribeAsync(topics);
  else await Promise.all(shown.map((value) => value.updateComplete));
  return shown;
}

function textOf(node) {
  return (kit ? node.shadowRoot?.querySelector('[part=value]')?.textContent : node.textContent) ?? '';
}

window.bench = {
  /** The page's MQTT.js client (the kit's, through its connection). */
  client: () => (kit ? connection.client : client),
  kit,
  connect,
  /** Ingest: mounts `topics`, resets the counters; `shownAll(last)` tells when every topic shows its last payload. */
  async ingestSetup(topics) {
    window.shown = await mount(topics);
    for (const node of window.shown) watch(kit ? node.shadowRoot : node);
    longTasks = 0;
    writes = 0;
    return true;
  },
  /**
   * The page's own cost per message, MQTT.js's receive path left out: `count` messages emitted on
   * the client's `message` event, round-robin on the mounted `topics`; µs per message. For the kit
   * also the cost of one `mqtt-message` event (made and dispatched from a shown value).
   */
  async pageCost(topics, count) {
    const client = window.bench.client();
    const payloads = topics.map((_, i) => new TextEncoder().encode(String(i * 7)));
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 20)));
    const emit = () => {
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        const k = i % topics.length;
        const packet = { cmd: 'publish', topic: topics[k], payload: payloads[k], qos: 0, retain: false, dup: false };
        client.emit('message', topics[k], payloads[k], packet);
      }
      return ((performance.now() - started) * 1000) / count;
    };
    emit();
    await frame();
    const perMessage = emit();
    await frame();
    if (!kit) return { perMessage };
    const { MqttMessageEvent } = await import('/dist/mqtt-elements.min.js');
    const value = window.shown[0];
    const dispatch = () => {
      const started = performance.now();
      for (let i = 0; i < count; i++) value.dispatchEvent(new MqttMessageEvent(value.message));
      return ((performance.now() - started) * 1000) / count;
    };
    dispatch();
    return { perMessage, event: dispatch() };
  },
  ingestDone(lastPayloads) {
    return window.shown.every((node, i) => textOf(node) === lastPayloads[i]);
  },
  counters: () => ({ longTasks, writes }),
  whenSubscribed,
  /** The wire's counters (see `wire`). */
  wire: () => ({ ...wire }),
  /** Zeroes the counts of incoming WebSocket messages and PUBLISHes, and the PUBLISHes' times. */
  resetPublishes() {
    Object.assign(wire, { framesIn: 0, publishesIn: 0, firstPublishAt: 0, lastPublishAt: 0 });
  },
  /** How many filters starting with `prefix` the broker holds for the page (acknowledged, not unsubscribed). */
  heldUnder: (prefix) => [...held].filter((filter) => filter.startsWith(prefix)).length,
  /** Milliseconds since the time origin on the wall clock: the same clock as Date.now() in Node. */
  now: () => performance.timeOrigin + performance.now(),
  /**
   * Latency: for each new value, the time from its publish (the payload is the publisher's
   * Date.now()) to the end of the first frame that paints it. A loop reads the shown text in a task
   * posted from every animation frame, which runs after that frame's paint: a value written in a
   * task (the baseline) and one written in a frame's rAF callback (the kit) are both counted at the
   * frame that shows them. (A rAF requested after the write would count the kit one frame late.)
   */
  async latencySetup(topic) {
    const [node] = await mount([topic]);
    window.latencies = [];
    let last = textOf(node);
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const text = textOf(node);
      if (text === last) return;
      last = text;
      window.latencies.push(performance.timeOrigin + performance.now() - Number(text));
    };
    const frame = () => {
      channel.port2.postMessage(null);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    this.resetPublishes();
    return true;
  },
  /** Fan-out: mounts `topics` and resolves with the ms until the broker has acknowledged them all (SUBACK). */
  async fanOut(topics) {
    const started = performance.now();
    window.fanOutElements = await mount(topics);
    await whenSubscribed(topics);
    return performance.now() - started;
  },
  /** Churn: `cycles` mount/unmount cycles in batches; resolves with the ms it took. */
  async churn(cycles, prefix) {
    const started = performance.now();
    const batch = 100;
    for (let round = 0; round < cycles / batch; round++) {
      const topics = Array.from({ length: batch }, (_, i) => `${prefix}/${(round * batch + i) % 500}`);
      const shown = await mount(topics);
      await new Promise((resolve) => setTimeout(resolve));
      const parent = shown[0]?.parentElement;
      for (const node of shown) node.remove();
      if (!kit) parent?.remove();
      if (!kit) {
        await client.unsubscribeAsync(topics);
        for (const topic of topics) spans.delete(topic);
      }
    }
    return performance.now() - started;
  },
  heap() {
    window.gc?.();
    return performance.memory?.usedJSHeapSize ?? 0;
  },
};
