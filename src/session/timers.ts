/**
 * The keep-alive timer given to MQTT.js: intervals run in a small Web Worker where the page allows
 * one (browsers slow down a background tab's own timers, and a late ping makes the broker drop the
 * connection), else on the page's timers. MQTT.js's default worker timer fails silently under a
 * Content-Security-Policy without `worker-src blob:`: no ping is ever sent and the broker drops the
 * connection every 1.5 × keepalive. DOM-free: without `Worker` (Node), the page's timers are used.
 */
import type { Timer } from 'mqtt';

/** Runs intervals for the page: `[id, ms]` starts one, `[id]` stops it; each tick posts its id. */
const WORKER_SOURCE = `const intervals = new Map();
onmessage = ({ data: [id, ms] }) => {
  clearInterval(intervals.get(id));
  intervals.delete(id);
  if (ms !== undefined) intervals.set(id, setInterval(() => postMessage(id), ms));
};
postMessage(0);`;

/** The worker once it has answered; undefined while unknown or where workers are not allowed. */
let worker: Worker | undefined;
let probed = false;
const callbacks = new Map<number, () => void>();
let nextId = 1;

function startWorker(): void {
  if (probed) return;
  probed = true;
  if (typeof Worker === 'undefined' || typeof Blob === 'undefined' || typeof URL?.createObjectURL !== 'function')
    return;
  try {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    const candidate = new Worker(url);
    URL.revokeObjectURL(url);
    candidate.onmessage = ({ data }: MessageEvent<number>) => {
      if (data === 0) worker = candidate;
      else callbacks.get(data)?.();
    };
    // Blocked (a Content-Security-Policy, for instance), or broken later: the page's timers it is.
    candidate.onerror = () => {
      candidate.terminate();
      if (worker === candidate) worker = undefined;
    };
  } catch {
    // Not allowed here.
  }
}

/**
 * Worker intervals get negative ids, the page's own positive ones (both truthy, as MQTT.js
 * expects), so that `clear` knows where each one runs.
 */
export const keepaliveTimer: Timer = {
  set(callback: () => void, ms: number): number {
    startWorker();
    if (!worker) return setInterval(callback, ms) as unknown as number;
    const id = nextId++;
    callbacks.set(id, callback);
    worker.postMessage([id, ms]);
    return -id;
  },
  clear(id: number): void {
    if (id > 0) {
      clearInterval(id);
      return;
    }
    callbacks.delete(-id);
    worker?.postMessage([-id]);
  },
};
