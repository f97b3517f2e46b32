import type { MqttClient } from 'mqtt';
import type { SessionConfig, SessionHooks } from '../session/connection.js';
import type { MqttCredentialsProvider } from '../session/credentials.js';
import type {
  ConnectionStatus,
  HintedError,
  MqttMessage,
  PublishOptions,
  SubscribeOptions,
} from '../session/message.js';
import { MqttHintedError } from '../session/hinted-error.js';
import { parseFilter, validateTopic } from '../session/topic.js';
import {
  errorData,
  errorFrom,
  settingsKey,
  type SharedConfig,
  type SharedStats,
  type TabMessage,
  type WorkerMessage,
} from './protocol.js';
import { TabPort, type OpenPort } from './tab-port.js';
import { TabPublishes, type TabPublish } from './tab-publishes.js';

export type { OpenPort } from './tab-port.js';

interface TabListener {
  readonly filter: string;
  readonly options: SubscribeOptions;
  readonly onMessage: (message: MqttMessage) => void;
}

/**
 * A tab's side of `<mqtt-connection shared>`: the same surface as an {@link MqttSession}, over a port
 * to the SharedWorker that holds the one broker connection of every tab with the same settings (see
 * hub.ts; the port: tab-port.ts). `refused` is called when the worker cannot be had (none, a policy
 * refuses it, it failed to load): the owner then uses a connection of its own.
 */
export class SharedSession {
  private port: TabPort | undefined;
  private joinedKey: string | undefined;
  private persistKey: string | undefined;
  private credentials: MqttCredentialsProvider | undefined;
  private currentStatus: ConnectionStatus = 'disconnected';
  private url: string | undefined;
  private nextId = 0;
  private readonly listeners: Map<number, TabListener> = new Map();
  private readonly publishes = new TabPublishes((message) => this.post(message));
  private readonly requests: Map<number, (value: unknown) => void> = new Map();
  private readonly watchers: Set<(status: ConnectionStatus) => void> = new Set();
  private held = false;
  private heldBack: TabMessage[] = [];

  constructor(
    private readonly openPort: OpenPort,
    private readonly hooks: SessionHooks,
    private readonly refused: (reason: string) => void
  ) {}

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  get connectedUrl(): string | undefined {
    return this.currentStatus === 'connected' ? this.url : undefined;
  }

  /** The client lives in the worker: none in the tab. */
  get client(): MqttClient | undefined {
    return undefined;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  get filterCount(): number {
    return new Set([...this.listeners.values()].map((listener) => listener.filter)).size;
  }

  get statusListenerCount(): number {
    return this.watchers.size;
  }

  open(config: SessionConfig): void {
    const { credentials, ...rest } = config;
    this.credentials = typeof credentials === 'function' ? credentials : undefined;
    const shared: SharedConfig = {
      ...rest,
      ...(typeof credentials === 'function'
        ? { credentials: 'function' }
        : credentials
          ? { credentials: new URL(credentials, document.baseURI).href }
          : {}),
    };
    const key = settingsKey(shared, this.persistKey);
    // The same settings: nothing to do, unless the connection stopped (connect() after it gave up).
    if (key === this.joinedKey && this.port && this.currentStatus !== 'disconnected') return;
    const rejoin = key === this.joinedKey && this.port;
    this.port ??= TabPort.open(this.openPort, (message) => this.receive(message), this.refused);
    if (!this.port) return;
    this.joinedKey = key;
    this.post({ t: 'join', config: shared, ...(this.persistKey ? { persist: this.persistKey } : {}) });
    // A new session of the worker's (another key, or a new port) has none of this tab's listeners.
    if (!rejoin) for (const [sid, listener] of this.listeners) this.postSubscribe(sid, listener);
  }

  /**
   * Leaves the shared connection: says goodbye to the worker (which releases what this tab held, and
   * closes the broker connection if no other tab shares it) and closes the port. Also used when the
   * page is hidden for good or put in the back/forward cache.
   */
  close(): Promise<void> {
    if (this.port) {
      this.post({ t: 'leave' });
      this.disposePort();
    }
    const was = this.currentStatus;
    this.setStatus('disconnected', undefined);
    if (was === 'connected') this.hooks.disconnect?.();
    return Promise.resolve();
  }

  subscribe(filter: string, onMessage: (message: MqttMessage) => void, options: SubscribeOptions = {}): () => void {
    parseFilter(filter);
    const sid = ++this.nextId;
    const listener = { filter, options, onMessage };
    this.listeners.set(sid, listener);
    if (this.port) this.postSubscribe(sid, listener);
    return () => {
      if (!this.listeners.delete(sid) || !this.port) return;
      if (this.held) this.heldBack.push({ t: 'unsubscribe', sid });
      else this.post({ t: 'unsubscribe', sid });
    };
  }

  publish(topic: string, payload: string | Uint8Array, options: PublishOptions = {}): Promise<void> {
    try {
      validateTopic(topic);
    } catch (error) {
      return Promise.reject(error);
    }
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!this.port) {
      return Promise.reject(
        new MqttHintedError('The shared connection is closed: nothing was published.', 'Call connect() first.')
      );
    }
    return this.publishes.publish(topic, payload, options);
  }

  watchStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  persist(key: string | undefined): void {
    this.persistKey = key;
  }

  keep(): void {
    this.post({ t: 'keep' });
  }

  async forget(key = this.persistKey): Promise<void> {
    if (key !== undefined) await this.request({ t: 'forget', rid: 0, key });
  }

  wake(): void {
    this.post({ t: 'wake' });
  }

  hold(held: boolean): void {
    this.held = held;
    if (held) return;
    for (const message of this.heldBack.splice(0)) this.post(message);
  }

  /** Takes the publishes the worker has not answered (it failed to load): to be published elsewhere. */
  takeUnanswered(): TabPublish[] {
    return this.publishes.takeAll();
  }

  /** What the worker holds (for tests and leak checks). */
  stats(): Promise<SharedStats> {
    return this.request({ t: 'stats', rid: 0 }) as Promise<SharedStats>;
  }

  private disposePort(): void {
    this.port?.close();
    this.port = undefined;
    this.joinedKey = undefined;
    this.heldBack = [];
    for (const resolve of this.requests.values()) resolve(undefined);
    this.requests.clear();
    this.publishes.rejectAll();
  }

  private post(message: TabMessage): void {
    this.port?.post(message);
  }

  private request(message: TabMessage & { rid: number }): Promise<unknown> {
    if (!this.port) return Promise.resolve(undefined);
    const rid = ++this.nextId;
    return new Promise((resolve) => {
      this.requests.set(rid, resolve);
      this.post({ ...message, rid } as TabMessage);
    });
  }

  private postSubscribe(sid: number, { filter, options }: TabListener): void {
    const { onError: _onError, ...portable } = options;
    this.post({ t: 'subscribe', sid, filter, options: portable });
  }

  private setStatus(status: ConnectionStatus, url: string | undefined): void {
    this.url = url;
    const previous = this.currentStatus;
    if (status === previous) return;
    this.currentStatus = status;
    this.hooks.status?.(status, previous);
    for (const watcher of [...this.watchers]) watcher(status);
  }

  private receive(message: WorkerMessage): void {
    switch (message.t) {
      case 'status':
        return this.setStatus(message.status, message.url);
      case 'connect':
        return this.hooks.connect?.(message.connack);
      case 'disconnect':
        return this.hooks.disconnect?.(message.reason);
      case 'error':
        return this.hooks.error?.(errorFrom(message.error) as HintedError);
      case 'message': {
        const listener = this.listeners.get(message.sid);
        try {
          listener?.onMessage(message.message);
        } catch (error) {
          console.error('mqtt-elements: a message listener threw', error);
        }
        return;
      }
      case 'sub-error':
        return this.listeners.get(message.sid)?.options.onError?.(errorFrom(message.error) as HintedError);
      case 'sent':
        return this.publishes.sent(message.pid);
      case 'published':
        return this.publishes.answered(message.pid, message.error);
      case 'credentials':
        return void this.answerCredentials(message.rid, message.request);
      case 'done':
        this.requests.get(message.rid)?.(message.value);
        this.requests.delete(message.rid);
        return;
    }
  }

  private async answerCredentials(rid: number, request: Parameters<MqttCredentialsProvider>[0]): Promise<void> {
    try {
      const credentials = this.credentials ? await this.credentials(request) : undefined;
      this.post({ t: 'credentials-answer', rid, ...(credentials ? { credentials } : {}) });
    } catch (error) {
      this.post({ t: 'credentials-answer', rid, error: errorData(error) });
    }
  }
}
