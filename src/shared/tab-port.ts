import type { TabMessage, WorkerMessage } from './protocol.js';

/** Opens a port to the shared worker, or throws where there is none (or a policy refuses it). */
export type OpenPort = () => { port: MessagePort; worker: EventTarget };

/**
 * A tab's port to the SharedWorker: what the tab says goes out in one batch per task, in order, and
 * `hello` comes first. While the port is open the tab holds a Web Lock named in that `hello`: the
 * browser releases it when the tab closes or crashes, and the worker, waiting for it, learns that the
 * tab is gone. Where a tab has no Web Locks (an insecure context), only a tab that says goodbye is
 * known to have gone.
 */
export class TabPort {
  private outbox: TabMessage[] = [];
  private ready = false;
  private releaseLock: (() => void) | undefined;
  private closed = false;
  /** Whether the worker answered (an error before that is a refusal). */
  private answered = false;

  private constructor(
    private readonly port: MessagePort,
    worker: EventTarget,
    receive: (message: WorkerMessage) => void,
    refused: (reason: string) => void
  ) {
    worker.addEventListener('error', () => {
      if (this.closed || this.answered) return;
      this.close();
      refused('the shared worker could not be loaded');
    });
    port.onmessage = (event: MessageEvent<WorkerMessage[]>) => {
      this.answered = true;
      for (const message of event.data) receive(message);
    };
    const locks = globalThis.navigator?.locks;
    if (!locks) {
      this.start({ t: 'hello' });
      return;
    }
    const lock = `mqtt-elements-tab-${Math.random().toString(36).slice(2)}`;
    void locks.request(lock, () => {
      if (this.closed) return undefined;
      this.start({ t: 'hello', lock });
      return new Promise<void>((resolve) => (this.releaseLock = resolve));
    });
  }

  /** A port from `open`, or undefined (after calling `refused`) where it throws. */
  static open(
    open: OpenPort,
    receive: (message: WorkerMessage) => void,
    refused: (reason: string) => void
  ): TabPort | undefined {
    let opened: ReturnType<OpenPort>;
    try {
      opened = open();
    } catch (error) {
      refused(error instanceof Error ? error.message : String(error));
      return undefined;
    }
    return new TabPort(opened.port, opened.worker, receive, refused);
  }

  post(message: TabMessage): void {
    if (this.closed) return;
    if (this.outbox.push(message) === 1 && this.ready) queueMicrotask(() => this.flush());
  }

  /**
   * Sends what is waiting, closes the port and lets go of the lock (the worker then releases what the
   * tab held).
   */
  close(): void {
    if (this.closed) return;
    this.flush();
    // Closed before its lock came: the worker heard nothing but the port; it is told to forget it.
    if (!this.ready) this.port.postMessage([{ t: 'leave' }]);
    this.closed = true;
    this.outbox = [];
    this.port.onmessage = null;
    this.port.close();
    this.releaseLock?.();
  }

  private start(hello: TabMessage): void {
    this.outbox.unshift(hello);
    this.ready = true;
    this.flush();
  }

  private flush(): void {
    if (this.closed || !this.ready || this.outbox.length === 0) return;
    const batch = this.outbox;
    this.outbox = [];
    this.port.postMessage(batch);
  }
}
