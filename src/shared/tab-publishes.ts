import { MqttHintedError } from '../session/hinted-error.js';
import type { PublishOptions } from '../session/message.js';
import { errorData, errorFrom, type ErrorData, type TabMessage } from './protocol.js';

/** A publish a tab sent to the worker, until the worker answers. */
export interface TabPublish {
  readonly topic: string;
  readonly payload: string | Uint8Array;
  readonly options: PublishOptions;
  resolve(): void;
  reject(error: unknown): void;
}

interface Pending extends TabPublish {
  /** Whether the worker handed it to the client (it may have reached the broker). */
  sent: boolean;
  /** Removes the listener of `options.signal`. */
  unwatch(): void;
}

/**
 * A tab's publishes that the worker has not answered yet: each one's promise, its `onSend`, and its
 * `AbortSignal` turned into a `withdraw` for the worker. DOM-free.
 */
export class TabPublishes {
  private readonly pending: Map<number, Pending> = new Map();
  private nextId = 0;

  constructor(private readonly post: (message: TabMessage) => void) {}

  /** Sends a publish to the worker; the promise settles with its answer. */
  publish(topic: string, payload: string | Uint8Array, options: PublishOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const pid = ++this.nextId;
      const { signal } = options;
      const withdraw = () => this.post({ t: 'withdraw', pid, reason: errorData(signal!.reason) });
      signal?.addEventListener('abort', withdraw, { once: true });
      const unwatch = () => signal?.removeEventListener('abort', withdraw);
      this.pending.set(pid, { topic, payload, options, resolve, reject, sent: false, unwatch });
      const { qos, retain, properties } = options;
      this.post({ t: 'publish', pid, topic, payload, options: { qos, retain, properties } });
    });
  }

  /** The worker handed publish `pid` to its client. */
  sent(pid: number): void {
    const pending = this.pending.get(pid);
    if (!pending) return;
    pending.sent = true;
    pending.options.onSend?.();
  }

  /** The worker's answer to publish `pid`: done, or failed (withdrawn: the signal's own reason). */
  answered(pid: number, error: ErrorData | undefined): void {
    const pending = this.take(pid);
    if (!pending) return;
    const { signal } = pending.options;
    if (!error) pending.resolve();
    else pending.reject(signal?.aborted ? signal.reason : errorFrom(error));
  }

  /** Takes every publish not answered (the worker never answered: to be published elsewhere). */
  takeAll(): TabPublish[] {
    return [...this.pending.keys()].map((pid) => this.take(pid)!);
  }

  /**
   * The tab left the worker: what the worker had not sent, it withdrew; what it had sent may have
   * reached the broker. Each promise says which.
   */
  rejectAll(): void {
    for (const pid of [...this.pending.keys()]) {
      const pending = this.take(pid)!;
      pending.reject(
        new MqttHintedError(
          pending.sent
            ? 'The shared connection was closed before the broker acknowledged the message: it may have reached the broker.'
            : 'The shared connection was closed before the message was sent: the broker never got it.',
          'Publish again once connected.'
        )
      );
    }
  }

  private take(pid: number): Pending | undefined {
    const pending = this.pending.get(pid);
    this.pending.delete(pid);
    pending?.unwatch();
    return pending;
  }
}
