/**
 * Opens a port to the SharedWorker of `<mqtt-connection shared>`: `url`, else the file built next to
 * this module (dist/mqtt-elements-worker.js, beside the bundle; bundlers that understand
 * `new SharedWorker(new URL(..., import.meta.url))` copy it along). Throws where there is no
 * SharedWorker, or where the page's Content-Security-Policy refuses it.
 */
export function openSharedWorker(url?: string | URL): { port: MessagePort; worker: EventTarget } {
  if (typeof SharedWorker === 'undefined') throw new Error('this browser has no SharedWorker');
  const options = { name: 'mqtt-elements' };
  const worker = url
    ? new SharedWorker(url, options)
    : new SharedWorker(new URL('./mqtt-elements-worker.js', import.meta.url), options);
  return { port: worker.port, worker };
}
