import type { QoS } from './message.js';

/** One remembered message: what a page needs to show it again. */
export interface StoredMessage {
  readonly payload: Uint8Array;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly receivedAt: number;
}

/** The remembered messages of one topic of one broker, oldest first. */
export interface StoredTopic {
  readonly url: string;
  readonly topic: string;
  readonly messages: readonly StoredMessage[];
  /** What it takes in storage, roughly: payload bytes, and a few dozen for each message and the topic. */
  readonly bytes: number;
  /** `Date.now()` when it was last written: the least recently written topics are dropped first. */
  readonly savedAt: number;
}

/** The bounds of what an origin remembers, across its brokers. */
export const MAX_TOPICS = 1000;
export const MAX_BYTES = 1 << 20;

const DATABASE = 'mqtt-elements';
const TOPICS = 'topics';
const TOTALS = 'totals';
/** The key of the one record of {@link TOTALS}: how many bytes {@link TOPICS} takes. */
const BYTES = 'bytes';

let database: Promise<IDBDatabase> | undefined;

/** What a stored topic takes, roughly. */
export function sizeOf(topic: string, messages: readonly StoredMessage[]): number {
  let bytes = 64 + topic.length * 2;
  for (const message of messages) bytes += message.payload.byteLength + 32;
  return bytes;
}

function opened(): Promise<IDBDatabase> {
  return (database ??= new Promise<IDBDatabase>((resolve, reject) => {
    // Throws where storage is denied outright (an opaque origin, a sandboxed frame).
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore(TOPICS, { keyPath: ['url', 'topic'] }).createIndex('savedAt', 'savedAt');
      db.createObjectStore(TOTALS);
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading later gets its way; this page opens again when it next needs to.
      db.onversionchange = () => {
        db.close();
        database = undefined;
      };
      resolve(db);
    };
    request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'));
    request.onblocked = () => reject(new Error('the database is held by another tab'));
  }).catch((error: unknown) => {
    database = undefined;
    throw error;
  }));
}

/** Runs `work` in one transaction over both stores; resolves when it has committed. */
async function transaction(mode: IDBTransactionMode, work: (topics: IDBObjectStore, totals: IDBObjectStore) => void) {
  const db = await opened();
  return new Promise<void>((resolve, reject) => {
    const tx = db.transaction([TOPICS, TOTALS], mode);
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('the transaction was aborted'));
    work(tx.objectStore(TOPICS), tx.objectStore(TOTALS));
  });
}

/** Every topic of `url` (a key range over the first half of the compound key). */
function range(url: string): IDBKeyRange {
  // Arrays sort after strings: [url, []] is above every [url, topic].
  return IDBKeyRange.bound([url], [url, []]);
}

/** What the origin remembers of the broker at `url`. */
export async function loadTopics(url: string): Promise<StoredTopic[]> {
  let found: StoredTopic[] = [];
  await transaction('readonly', (topics) => {
    const request = topics.getAll(range(url));
    request.onsuccess = () => (found = request.result as StoredTopic[]);
  });
  return found;
}

/**
 * Writes `written` in one transaction, then drops the least recently written topics (of any broker)
 * while the origin holds more than {@link MAX_TOPICS} topics or {@link MAX_BYTES}. The byte total is
 * kept in a record of its own, read and written in the same transaction, so that tabs that write at
 * once keep it right.
 */
export function saveTopics(written: readonly StoredTopic[]): Promise<void> {
  return transaction('readwrite', (topics, totals) => {
    let bytes = 0;
    const read = totals.get(BYTES);
    read.onsuccess = () => {
      bytes = typeof read.result === 'number' ? read.result : 0;
      let left = written.length;
      for (const topic of written) {
        const old = topics.get([topic.url, topic.topic]);
        old.onsuccess = () => {
          bytes += topic.bytes - ((old.result as StoredTopic | undefined)?.bytes ?? 0);
          topics.put(topic);
          if (--left === 0) bound();
        };
      }
      if (left === 0) bound();
    };
    const bound = () => {
      const count = topics.count();
      count.onsuccess = () => {
        let over = count.result - MAX_TOPICS;
        if (over <= 0 && bytes <= MAX_BYTES) return void totals.put(bytes, BYTES);
        const cursor = topics.index('savedAt').openCursor();
        cursor.onsuccess = () => {
          const oldest = cursor.result;
          if (oldest && (over > 0 || bytes > MAX_BYTES)) {
            bytes -= (oldest.value as StoredTopic).bytes;
            over--;
            oldest.delete();
            oldest.continue();
          } else totals.put(Math.max(0, bytes), BYTES);
        };
      };
    };
  });
}

/** Forgets every topic of `url`. */
export function clearTopics(url: string): Promise<void> {
  return transaction('readwrite', (topics, totals) => {
    let freed = 0;
    const cursor = topics.openCursor(range(url));
    cursor.onsuccess = () => {
      const found = cursor.result;
      if (found) {
        freed += (found.value as StoredTopic).bytes;
        found.delete();
        found.continue();
        return;
      }
      const read = totals.get(BYTES);
      read.onsuccess = () => totals.put(Math.max(0, (Number(read.result) || 0) - freed), BYTES);
    };
  });
}
