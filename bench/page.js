// The benchmark's page side. The same scenarios for the kit (kit.html) and for the baseline that the
// MQTT.js guides teach (baseline.html: one client, client.on('message'), textContent per message).
// scripts/bench/run.mjs drives them through window.bench.
const kit = location.pathname.endsWith('/kit.html');
let mqtt;
let client;
let connection;

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
  ingestDone(lastPayloads) {
    return window.shown.every((node, i) => textOf(node) === lastPayloads[i]);
  },
  counters: () => ({ longTasks, writes }),
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
    return true;
  },
  /** Fan-out: mounts `topics` and resolves with the ms until all are subscribed (SUBACK for the baseline). */
  async fanOut(topics) {
    const started = performance.now();
    const shown = await mount(topics);
    window.fanOutElements = shown;
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
