/**
 * The SharedWorker of `<mqtt-connection shared>` (built to dist/mqtt-elements-worker.js): one
 * {@link SharedHub} for every tab of the origin. A tab is known to be gone when the Web Lock it holds
 * while it lives is released: the browser does that when the tab closes, navigates away or crashes.
 */
import { SharedHub, type HubPort } from './hub.js';

interface SharedWorkerScope {
  onconnect: ((event: MessageEvent) => void) | null;
}

const locks = (globalThis.navigator as Navigator | undefined)?.locks;
const hub = new SharedHub(locks ? (lock, gone) => void locks.request(lock, () => gone()) : undefined);

(globalThis as unknown as SharedWorkerScope).onconnect = (event) => {
  const port = event.ports[0];
  if (!port) return;
  hub.connect(port as unknown as HubPort);
  port.start();
};
