import type { ISubscriptionMap } from 'mqtt';
import type { Listener, RawMessage } from './deliver.js';
import type { QoS } from './message.js';
import { FilterTrie } from './topic.js';

/** One filter held by a {@link SubscriptionRegistry}: its listeners, what the broker was asked, its last values. */
export interface Entry {
  /** The filter the broker is sent. */
  readonly filter: string;
  /** The filter topics are matched against (without a `$share/group/` prefix). */
  readonly match: string;
  readonly listeners: Set<Listener>;
  /** The QoS the broker was asked for on this connection; undefined: not subscribed there. */
  sent: QoS | undefined;
  /** The last message per topic received through this filter. */
  readonly last: Map<string, RawMessage>;
  /** The most remembered messages per topic its listeners want (`remember`); 0: none. */
  remember: number;
}

/** What the broker is asked for `entry` at `qos` (the MQTT 5 options of its first listener). */
export function request(entry: Entry, qos: QoS): ISubscriptionMap[string] {
  const first = entry.listeners.values().next().value?.options ?? {};
  return { qos, nl: first.noLocal ?? false, rap: first.retainAsPublished ?? false, rh: first.retainHandling ?? 0 };
}

/**
 * The entries of a registry, found two ways: by the filter the broker is sent, and through a
 * {@link FilterTrie} of the filters topics are matched against (a shared subscription's differs, and
 * several entries can match alike). DOM-free.
 */
export class EntryIndex {
  private readonly byFilter = new Map<string, Entry>();
  private readonly trie = new FilterTrie<Entry[]>();

  get size(): number {
    return this.byFilter.size;
  }

  get(filter: string): Entry | undefined {
    return this.byFilter.get(filter);
  }

  has(filter: string): boolean {
    return this.byFilter.has(filter);
  }

  values(): IterableIterator<Entry> {
    return this.byFilter.values();
  }

  /** Calls `each` with the entries whose filter matches `topic`, a list per matching filter. */
  match(topic: string, each: (entries: Entry[]) => void): void {
    this.trie.match(topic, each);
  }

  add(entry: Entry): void {
    this.byFilter.set(entry.filter, entry);
    const same = this.trie.get(entry.match);
    if (same) same.push(entry);
    else this.trie.set(entry.match, [entry]);
  }

  remove(entry: Entry): void {
    this.byFilter.delete(entry.filter);
    const rest = (this.trie.get(entry.match) ?? []).filter((other) => other !== entry);
    if (rest.length > 0) this.trie.set(entry.match, rest);
    else this.trie.delete(entry.match);
  }
}
