/**
 * The model behind `<mqtt-tree>`: the topics seen under a filter, one node per level, with what each
 * shows (its last message, how many arrived, when) and whether it is expanded. DOM-free.
 *
 * A message costs O(depth): a map finds its topic's node, and the counts and times of its ancestors
 * are updated on the way up. The rows a tree shows (the nodes whose ancestors are all expanded, in
 * order) are flattened only when asked for and only after a change of shape: a new node where it can
 * be seen, an expansion or a collapse. Messages to known topics never flatten anything.
 */
import { payloadTextLossy } from '../session/codec.js';
import type { MqttMessage } from '../session/message.js';
import { parseFilter } from '../session/topic.js';

/** How many characters of a payload a node shows. */
export const MAX_TEXT = 100;
/** How many bytes of other data a payload's buffer may hold before the payload is copied out of it. */
const SHARED_BYTES = 1024;

/** One level of a topic: `home/kitchen` is the node `kitchen` under the node `home`. */
export interface TopicNode {
  /** A number unique in its tree (for element ids). */
  readonly id: number;
  /** The level's name (`kitchen`). */
  readonly name: string;
  /** The whole topic up to this level (`home/kitchen`). */
  readonly topic: string;
  readonly parent: TopicNode | undefined;
  /** 0 for a first level. */
  readonly depth: number;
  /** The levels under this one, in order (numbers by value: 2 before 10). */
  readonly children: TopicNode[];
  /** The last message on this exact topic, if one came. */
  message: MqttMessage | undefined;
  /** Messages on this exact topic. */
  count: number;
  /** Messages on this topic and every topic under it. */
  total: number;
  /** Topics with a message at or under this level. */
  topics: number;
  /** `receivedAt` of the latest message at or under this level. */
  last: number;
  expanded: boolean;
  /** The index of the node among its parent's children, set when rows are flattened. */
  position: number;
  /** The node's index in the rows, set when they are flattened (stale once it is no row). */
  row: number;
  /** The last payload as text, cut short; made when first asked for. */
  text: string | undefined;
}

const collator = new Intl.Collator('en', { numeric: true });

/** The payload as text for one line: invalid UTF-8 replaced, cut after {@link MAX_TEXT} characters. */
export function payloadLine(payload: Uint8Array): string {
  // No more than 4 bytes per character: the text cut short never needs more than these.
  const text = payloadTextLossy(payload.subarray(0, MAX_TEXT * 4 + 1));
  return text.length > MAX_TEXT || payload.length > MAX_TEXT * 4 + 1 ? `${text.slice(0, MAX_TEXT)}…` : text;
}

/** How many levels of `filter` come before its first wildcard (0 for an invalid filter): those start expanded. */
export function literalLevels(filter: string): number {
  try {
    const levels = parseFilter(filter).match.split('/');
    const wildcard = levels.findIndex((level) => level === '+' || level === '#');
    return wildcard < 0 ? levels.length : wildcard;
  } catch {
    return 0;
  }
}

/**
 * The indexes of the rows to render: those in view from `top` (px) in a box `viewport` px high with
 * rows `height` px high, `overscan` more on each side, and the `active` row (-1: none) wherever it
 * is, since `aria-activedescendant` must find it.
 */
export function rowsInView(
  count: number,
  top: number,
  viewport: number,
  height: number,
  active: number,
  overscan: number
): number[] {
  const from = Math.max(0, Math.min(top, count * height - viewport));
  const first = Math.max(0, Math.floor(from / height) - overscan);
  const end = Math.min(count, Math.ceil((from + viewport) / height) + overscan);
  const shown: number[] = [];
  for (let i = first; i < end; i++) shown.push(i);
  if (active >= 0 && active < first) shown.unshift(active);
  if (active >= end) shown.push(active);
  return shown;
}

/** The text a node shows for its last message ('' for none). */
export function nodeText(node: TopicNode): string {
  if (!node.message) return '';
  return (node.text ??= payloadLine(node.message.payload));
}

export class TopicTree {
  /** The invisible node above the first levels (depth -1). */
  readonly root: TopicNode = this.node('', '', undefined);
  /** Levels shallower than this start expanded (the filter's levels before its first wildcard). */
  expandDepth = 0;
  private byTopic = new Map<string, TopicNode>();
  private nextId = 0;
  private flat: TopicNode[] = [];
  private shapeChanged = false;

  /** Topics that had a message. */
  get size(): number {
    return this.root.topics;
  }

  /** Every node, levels without a message of their own included. */
  get nodes(): number {
    return this.byTopic.size;
  }

  /** The node of `topic`, if one was seen at or under it. */
  get(topic: string): TopicNode | undefined {
    return this.byTopic.get(topic);
  }

  /** Adds a message: its topic's node (and the levels above, if new) and the counts on the way up. */
  add(message: MqttMessage): TopicNode {
    const node = this.byTopic.get(message.topic) ?? this.make(message.topic);
    const first = node.count === 0;
    // The payload may be a view into a larger WebSocket frame: copied then, so that a node kept for
    // hours does not keep the frame's other messages alive.
    const { payload } = message;
    node.message =
      payload.buffer.byteLength - payload.byteLength > SHARED_BYTES
        ? { ...message, payload: payload.slice() }
        : message;
    node.text = undefined;
    node.count++;
    for (let n: TopicNode | undefined = node; n; n = n.parent) {
      n.total++;
      if (first) n.topics++;
      if (message.receivedAt > n.last) n.last = message.receivedAt;
    }
    return node;
  }

  /** Expands or collapses `node`. */
  setExpanded(node: TopicNode, expanded: boolean): void {
    if (node.expanded === expanded || node.children.length === 0) return;
    node.expanded = expanded;
    if (this.visible(node)) this.shapeChanged = true;
  }

  /** Expands every level above `node`, so that it is a row. */
  reveal(node: TopicNode): void {
    for (let n = node.parent; n && n !== this.root; n = n.parent) this.setExpanded(n, true);
  }

  /** Expands or collapses every node. */
  setAllExpanded(expanded: boolean): void {
    for (const node of this.byTopic.values()) if (node.children.length) node.expanded = expanded;
    this.shapeChanged = true;
  }

  /** Forgets every topic. */
  clear(): void {
    this.byTopic.clear();
    this.root.children.length = 0;
    Object.assign(this.root, { total: 0, topics: 0, last: 0 });
    this.shapeChanged = true;
  }

  /** The rows shown now: every node whose ancestors are all expanded, depth first, in order. */
  rows(): readonly TopicNode[] {
    if (this.shapeChanged) {
      this.shapeChanged = false;
      const rows: TopicNode[] = [];
      const walk = (node: TopicNode) =>
        node.children.forEach((child, i) => {
          child.position = i;
          child.row = rows.push(child) - 1;
          if (child.expanded) walk(child);
        });
      walk(this.root);
      this.flat = rows;
    }
    return this.flat;
  }

  /** The index of `node` in the rows, or -1 when it is no row. */
  rowOf(node: TopicNode | undefined): number {
    const rows = this.rows();
    return node && rows[node.row] === node ? node.row : -1;
  }

  /** Whether `node` is a row (every level above it expanded). */
  visible(node: TopicNode): boolean {
    for (let n = node.parent; n && n !== this.root; n = n.parent) if (!n.expanded) return false;
    return true;
  }

  private make(topic: string): TopicNode {
    let parent = this.root;
    let path = '';
    for (const name of topic.split('/')) {
      path = parent === this.root ? name : `${path}/${name}`;
      let node = this.byTopic.get(path);
      if (!node) {
        node = this.node(name, path, parent);
        node.expanded = node.depth < this.expandDepth;
        insertSorted(parent.children, node);
        this.byTopic.set(path, node);
        if (parent === this.root || (parent.expanded && this.visible(parent))) this.shapeChanged = true;
      }
      parent = node;
    }
    return parent;
  }

  private node(name: string, topic: string, parent: TopicNode | undefined): TopicNode {
    return {
      id: this.nextId++,
      name,
      topic,
      parent,
      depth: parent ? parent.depth + 1 : -1,
      children: [],
      message: undefined,
      count: 0,
      total: 0,
      topics: 0,
      last: 0,
      expanded: false,
      position: 0,
      row: 0,
      text: undefined,
    };
  }
}

/** Inserts `node` among its sorted siblings (binary search: 10 000 siblings cost 14 comparisons). */
function insertSorted(siblings: TopicNode[], node: TopicNode): void {
  let lo = 0;
  let hi = siblings.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (collator.compare(siblings[mid]!.name, node.name) <= 0) lo = mid + 1;
    else hi = mid;
  }
  siblings.splice(lo, 0, node);
}
