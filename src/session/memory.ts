import type { RawMessage } from './deliver.js';
import { MqttDiagnosticError } from './diagnostics.js';
import type { HintedError } from './message.js';
import {
  clearTopics,
  loadTopics,
  MAX_TOPICS,
  saveTopics,
  sizeOf,
  type StoredMessage,
  type StoredTopic,
} from './memory-store.js';
import { matches, type ParsedFilter } from './topic.js';

/** How long new messages wait before they are written: one transaction for all that came meanwhile. */
export const WRITE_DELAY = 1000;
/** The most a topic's history may take: a chart of big payloads does not crowd out every other topic. */
const TOPIC_BYTES = 64 * 1024;

export interface MemoryHooks {
  /** What storage had came in: the elements that wait for it can be given it. */
  loaded(): void;
  /** Storage cannot be used (private mode, storage turned off, full): said once; the memory stops. */
  failed(error: HintedError): void;
}

/** The failure of the browser's storage, in words. */
function storageFailed(cause: unknown): MqttDiagnosticError {
  const name = cause instanceof Error ? cause.name : 'Error';
  return new MqttDiagnosticError(
    {
      message: `The browser's storage refused the remembered values (persist): ${name}.`,
      hint:
        'The page works on without them. Private windows, storage turned off for this site and a full disk ' +
        'are the usual causes; remove persist to stop trying.',
    },
    { cause }
  );
}

/**
 * The messages a `persist` connection remembers across page loads: for each topic its elements
 * show, the last message (or the last few, for a chart's history), kept in IndexedDB under the
 * broker's url, as {@link saveTopics} bounds them. Live messages are noted as they come and written
 * once a second (and when the page is hidden). DOM-free but for IndexedDB.
 */
export class Memory {
  /** Remembered and noted messages by topic, least recently noted first; oldest message first. */
  private readonly topics = new Map<string, StoredMessage[]>();
  private readonly unwritten = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private broken = false;
  /** Whether what storage had has come in (or storage failed). */
  loaded = false;

  constructor(
    /** The broker's url (urls, for a cluster) without user info: the key of what is remembered. */
    readonly url: string,
    private readonly hooks: MemoryHooks
  ) {
    loadTopics(url).then(
      (stored) => {
        stored.sort((a, b) => a.savedAt - b.savedAt);
        // What came live while loading is newer than what storage had.
        for (const { topic, messages } of stored) if (!this.topics.has(topic)) this.topics.set(topic, [...messages]);
        this.ready();
      },
      (error: unknown) => {
        this.fail(error);
        this.ready();
      }
    );
  }

  /** A live message on `topic`, whose elements want its last `keep` messages remembered. */
  note(topic: string, raw: RawMessage, keep: number): void {
    if (this.broken) return;
    let messages = this.topics.get(topic);
    if (messages) this.topics.delete(topic);
    else messages = [];
    // A copy: the payload may be a view into a whole WebSocket frame.
    messages.push({ payload: raw.payload.slice(), qos: raw.qos, retain: raw.retain, receivedAt: raw.receivedAt });
    let bytes = sizeOf(topic, messages);
    while (messages.length > 1 && (messages.length > keep || bytes > TOPIC_BYTES)) {
      bytes -= messages.shift()!.payload.byteLength + 32;
    }
    this.topics.set(topic, messages);
    if (this.topics.size > MAX_TOPICS) this.topics.delete(this.topics.keys().next().value!);
    this.unwritten.add(topic);
    this.timer ??= setTimeout(() => void this.write(), WRITE_DELAY);
  }

  /**
   * The remembered messages of each topic that `filter` matches, at most the last `count` of each,
   * oldest first, marked `remembered`.
   */
  recall(filter: ParsedFilter, count: number): RawMessage[][] {
    const found: RawMessage[][] = [];
    for (const [topic, messages] of this.topics) {
      if (!matches(filter.match, topic)) continue;
      found.push(messages.slice(-count).map((message) => ({ ...message, topic, remembered: true })));
    }
    return found;
  }

  /** Writes what was noted since the last write, now. */
  async write(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.broken || this.unwritten.size === 0) return;
    const savedAt = Date.now();
    const written: StoredTopic[] = [];
    for (const topic of this.unwritten) {
      const messages = this.topics.get(topic);
      if (messages) written.push({ url: this.url, topic, messages, bytes: sizeOf(topic, messages), savedAt });
    }
    this.unwritten.clear();
    try {
      await saveTopics(written);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Forgets what is remembered for this url, here and in storage. */
  async forget(): Promise<void> {
    this.topics.clear();
    this.unwritten.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.broken) await forgetUrl(this.url);
  }

  /** Stops noting: what is unwritten is written now. */
  close(): void {
    void this.write();
    this.broken = true;
  }

  private ready(): void {
    this.loaded = true;
    this.hooks.loaded();
  }

  private fail(error: unknown): void {
    if (this.broken) return;
    this.broken = true;
    this.topics.clear();
    this.unwritten.clear();
    this.hooks.failed(storageFailed(error));
  }
}

/** Forgets what is remembered for the broker at `url`; storage that cannot be used holds nothing to forget. */
export async function forgetUrl(url: string): Promise<void> {
  try {
    await clearTopics(url);
  } catch {
    // Nothing was stored.
  }
}
