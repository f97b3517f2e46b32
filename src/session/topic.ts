/**
 * Topics and topic filters: validation, named wildcards and matching.
 *
 * A filter may name its wildcards (`home/+room/temperature`, `logs/#rest`): the broker is sent the
 * plain filter (`home/+/temperature`) and the matched levels come back in `params`.
 *
 * DOM-free.
 */
import { MqttHintedError } from './hinted-error.js';

/** A problem with a topic or a filter, with a hint a beginner can act on. */
export class TopicError extends MqttHintedError {
  constructor(message: string, hint: string) {
    super(message, hint);
    this.name = 'TopicError';
  }
}

/** A validated filter: what the broker is sent, and where the named wildcards sit. */
export interface ParsedFilter {
  /** The filter as written, named wildcards included. */
  readonly source: string;
  /** The plain MQTT filter sent to the broker. */
  readonly filter: string;
  /** The filter topics are matched against: `filter` without a `$share/group/` prefix. */
  readonly match: string;
  /** The filter's levels (plain). */
  readonly levels: readonly string[];
  /** Named wildcards: the level index and the name. A `#name` takes the rest of the topic. */
  readonly names: readonly { readonly index: number; readonly name: string; readonly rest: boolean }[];
}

const NAME = /^[A-Za-z_$][\w$-]*$/;

/**
 * Parses and validates a subscription filter. Throws a {@link TopicError} whose `hint` says how to
 * fix it.
 */
export function parseFilter(source: string): ParsedFilter {
  if (typeof source !== 'string' || source.length === 0) {
    throw new TopicError(
      'The topic filter is empty.',
      'Set the topic attribute to a filter such as "home/+/temperature" or "sensors/#".'
    );
  }
  if (source.includes('\u0000')) {
    throw new TopicError(
      `The topic filter "${source}" contains a NUL character.`,
      'Remove the NUL character from the topic.'
    );
  }
  // MQTT 5 shared subscription: `$share/group/filter`. Messages arrive under their own topics.
  const share = /^\$share\/([^/]*)\/(.*)$/s.exec(source);
  if (share || source === '$share' || source.startsWith('$share/')) {
    const [, group = '', rest = ''] = share ?? [];
    if (!group || /[+#]/.test(group) || !rest) {
      throw new TopicError(
        `The shared subscription "${source}" is incomplete.`,
        'Write a shared subscription as $share/GROUP/FILTER, such as $share/dashboards/home/+/temperature.'
      );
    }
    const inner = parseFilter(rest);
    return { ...inner, source, filter: `$share/${group}/${inner.filter}` };
  }
  const written = source.split('/');
  const levels: string[] = [];
  const names: { index: number; name: string; rest: boolean }[] = [];
  written.forEach((level, index) => {
    const wildcard = level[0];
    if (wildcard === '+' || wildcard === '#') {
      const name = level.slice(1);
      if (name && !NAME.test(name)) {
        throw new TopicError(
          `The topic filter "${source}" has "${level}" as a level.`,
          `A wildcard fills a whole level: write "${wildcard}" alone, or name it with letters, digits and "_" ("${wildcard}room").`
        );
      }
      if (wildcard === '#' && index !== written.length - 1) {
        throw new TopicError(
          `In the topic filter "${source}", "#" is not the last level.`,
          '"#" matches everything below a level, so it must come last: "a/#", not "a/#/b".'
        );
      }
      if (name) names.push({ index, name, rest: wildcard === '#' });
      levels.push(wildcard);
      return;
    }
    if (level.includes('+') || level.includes('#')) {
      throw new TopicError(
        `The topic filter "${source}" has a wildcard inside the level "${level}".`,
        'Wildcards fill a whole level: "a/+/c" or "a/#", never "a/b+" or "a/b#".'
      );
    }
    levels.push(level);
  });
  const filter = levels.join('/');
  return { source, filter, match: filter, levels, names };
}

/**
 * Validates a topic to publish to: non-empty, no wildcards. Throws a {@link TopicError}.
 */
export function validateTopic(topic: string): void {
  if (typeof topic !== 'string' || topic.length === 0) {
    throw new TopicError(
      'The topic is empty.',
      'Set the topic attribute to the topic to publish to, such as "home/lamp/set".'
    );
  }
  if (topic.includes('+') || topic.includes('#')) {
    throw new TopicError(
      `The topic "${topic}" contains a wildcard.`,
      'A message is published to one exact topic: remove "+" and "#" (they only belong in subscriptions).'
    );
  }
  if (topic.includes('\u0000')) {
    throw new TopicError(`The topic "${topic}" contains a NUL character.`, 'Remove the NUL character from the topic.');
  }
}

/**
 * The named-wildcard values of `topic` for `parsed`, which must match it. Returns a shared empty
 * object when the filter names nothing.
 */
export function filterParams(parsed: ParsedFilter, topic: string): Record<string, string> {
  if (parsed.names.length === 0) return EMPTY;
  const levels = topic.split('/');
  const params: Record<string, string> = {};
  for (const { index, name, rest } of parsed.names) {
    params[name] = rest ? levels.slice(index).join('/') : levels[index];
  }
  return params;
}

const EMPTY: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Whether the plain MQTT `filter` matches `topic` (MQTT 3.1.1 §4.7, including the `$` rule). */
export function matches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

interface TrieNode<T> {
  children: Map<string, TrieNode<T>>;
  /** Values whose filter ends at this node. */
  values: T | undefined;
}

/** Whether a plain filter has a `+` or `#` level. */
function hasWildcard(filter: string): boolean {
  return filter.includes('+') || filter.includes('#');
}

/**
 * Plain MQTT filters, each holding one value. A filter without wildcards is found by one map lookup
 * of the topic (most dashboards subscribe to exact topics); the others are kept in a trie, whose
 * `match` walks only the branches a topic can take, so that its cost depends on the topic's depth,
 * not on how many filters are stored.
 */
export class FilterTrie<T> {
  private readonly exact = new Map<string, T>();
  private readonly root: TrieNode<T> = { children: new Map(), values: undefined };
  /** How many filters with wildcards the trie holds. */
  private count = 0;

  get size(): number {
    return this.exact.size + this.count;
  }

  get(filter: string): T | undefined {
    if (!hasWildcard(filter)) return this.exact.get(filter);
    let node: TrieNode<T> | undefined = this.root;
    for (const level of filter.split('/')) {
      node = node.children.get(level);
      if (!node) return undefined;
    }
    return node.values;
  }

  set(filter: string, value: T): void {
    if (!hasWildcard(filter)) {
      this.exact.set(filter, value);
      return;
    }
    let node = this.root;
    for (const level of filter.split('/')) {
      let next = node.children.get(level);
      if (!next) node.children.set(level, (next = { children: new Map(), values: undefined }));
      node = next;
    }
    if (node.values === undefined) this.count++;
    node.values = value;
  }

  delete(filter: string): boolean {
    if (!hasWildcard(filter)) return this.exact.delete(filter);
    const path: [TrieNode<T>, string][] = [];
    let node: TrieNode<T> | undefined = this.root;
    for (const level of filter.split('/')) {
      const next: TrieNode<T> | undefined = node.children.get(level);
      if (!next) return false;
      path.push([node, level]);
      node = next;
    }
    if (node.values === undefined) return false;
    node.values = undefined;
    this.count--;
    // Prune the branch so that the trie does not grow with churn.
    for (let i = path.length - 1; i >= 0; i--) {
      const [parent, level] = path[i];
      const child = parent.children.get(level)!;
      if (child.values !== undefined || child.children.size > 0) break;
      parent.children.delete(level);
    }
    return true;
  }

  /** Calls `visit` with the value of every stored filter that matches `topic`: the exact one first. */
  match(topic: string, visit: (value: T) => void): void {
    const exact = this.exact.get(topic);
    if (exact !== undefined) visit(exact);
    if (this.count === 0) return;
    // Wildcards in the first level do not match topics that start with `$` (MQTT 3.1.1 §4.7.2).
    this.walk(this.root, topic.split('/'), 0, visit, topic.charCodeAt(0) === 36 /* $ */);
  }

  private walk(node: TrieNode<T>, levels: string[], i: number, visit: (value: T) => void, system: boolean): void {
    const wildcardsAllowed = !(system && i === 0);
    if (wildcardsAllowed) {
      const hash = node.children.get('#');
      if (hash?.values !== undefined) visit(hash.values);
    }
    if (i === levels.length) {
      if (node.values !== undefined) visit(node.values);
      return;
    }
    const next = node.children.get(levels[i]);
    if (next) this.walk(next, levels, i + 1, visit, system);
    if (wildcardsAllowed) {
      const plus = node.children.get('+');
      if (plus) this.walk(plus, levels, i + 1, visit, system);
    }
  }

  /** Every stored value. */
  *values(): IterableIterator<T> {
    yield* this.exact.values();
    const stack = [this.root];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.values !== undefined) yield node.values;
      for (const child of node.children.values()) stack.push(child);
    }
  }
}
