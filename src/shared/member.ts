import type { TabMessage, WorkerMessage } from './protocol.js';
import type { Shared } from './hub.js';

/** The worker's end of one tab's port. */
export interface HubPort {
  postMessage(message: WorkerMessage[]): void;
  onmessage: ((event: MessageEvent<TabMessage[]>) => void) | null;
  close(): void;
}

/** How the hub learns that a tab is gone: `gone` is called once the tab holding `lock` has vanished. */
export type WatchLock = (lock: string, gone: () => void) => void;

/** One tab's `<mqtt-connection shared>`: its port, and what it holds in its session. */
export class Member {
  shared: Shared | undefined;
  readonly listeners: Map<number, () => void> = new Map();
  /** What it published that the broker has not acknowledged; `sent`: handed to the client. */
  readonly publishes: Map<number, { controller: AbortController; sent: boolean }> = new Map();
  /** Whether it gave a `credentials` function. */
  asks = false;
  private outbox: WorkerMessage[] = [];

  constructor(readonly port: HubPort) {}

  /**
   * Sends `message` with the others that come before the next task, in order. A message from the
   * broker comes in a task of its own (one WebSocket frame), and a `postMessage` costs far more than
   * cloning one more message into it: the batch waits for the tasks already queued (a timeout of 0),
   * so that a burst goes to each tab in a few calls instead of one per message.
   */
  send(message: WorkerMessage, now = false): void {
    const first = this.outbox.push(message) === 1;
    if (now) this.flush();
    else if (first) setTimeout(() => this.flush());
  }

  private flush(): void {
    if (this.outbox.length === 0) return;
    const batch = this.outbox;
    this.outbox = [];
    this.port.postMessage(batch);
  }
}

/** `message` as it crosses the port: its payload copied out of the socket's larger buffer. */
export function portable<T extends { payload: Uint8Array }>(message: T): T {
  const { payload } = message;
  return payload.byteLength === payload.buffer.byteLength ? message : { ...message, payload: payload.slice() };
}
