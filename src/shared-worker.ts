/**
 * Opens a port to the SharedWorker of `<mqtt-connection shared>`: `url`, else the file built next to
 * this module (dist/mqtt-elements-worker.js, beside the bundle; bundlers that understand
 * `new SharedWorker(new URL(..., import.meta.url), { ... })` copy it along, which needs the call
 * written out as it is here, its options a literal). Throws where there is no SharedWorker, or where
 * the browser refuses the script (another origin's, or a Content-Security-Policy's `worker-src`).
 */
export function openSharedWorker(url?: string | URL): { port: MessagePort; worker: EventTarget } {
  if (typeof SharedWorker === 'undefined') throw new Error('this browser has no SharedWorker');
  const worker = url
    ? new SharedWorker(url, { name: 'mqtt-elements' })
    : new SharedWorker(new URL('./mqtt-elements-worker.js', import.meta.url), { name: 'mqtt-elements' });
  return { port: worker.port, worker };
}
