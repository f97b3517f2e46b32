/**
 * The keyboard model of the WAI-ARIA tree view pattern, on a {@link TopicTree}'s rows. DOM-free: the
 * element hands over the key and the active row, and moves to (or selects) what comes back.
 */
import type { TopicNode, TopicTree } from './topic-tree.js';

/** How long the keys typed to find a row by its name are kept together, ms. */
const TYPE_AHEAD = 700;

/** What a key does: the row to make active, and whether to select it. */
export interface TreeKeyResult {
  readonly to: TopicNode | undefined;
  readonly select?: boolean;
}

export class TreeKeys {
  private typed = '';
  private typedAt = 0;

  constructor(private readonly tree: TopicTree) {}

  /**
   * What `key` does with the row at `index` active (`page` rows make a page): expands or collapses
   * on the way, and returns where to go; `undefined` for a key the tree does not use.
   */
  press(key: string, index: number, page: number): TreeKeyResult | undefined {
    const { tree } = this;
    const rows = tree.rows();
    const node = rows[index];
    if (!node) return undefined;
    const parent = node.children.length > 0;
    const at = (i: number) => rows[Math.max(0, Math.min(rows.length - 1, i))];
    switch (key) {
      case 'ArrowDown':
        return { to: at(index + 1) };
      case 'ArrowUp':
        return { to: at(index - 1) };
      case 'PageDown':
        return { to: at(index + page) };
      case 'PageUp':
        return { to: at(index - page) };
      case 'Home':
        return { to: rows[0] };
      case 'End':
        return { to: rows[rows.length - 1] };
      case 'ArrowRight':
        // Collapsed: expands (the focus stays); expanded: goes to the first child; a leaf: nothing.
        if (parent && node.expanded) return { to: node.children[0] };
        tree.setExpanded(node, true);
        return { to: node };
      case 'ArrowLeft':
        // Expanded: collapses; else goes to the parent, if any.
        if (parent && node.expanded) {
          tree.setExpanded(node, false);
          return { to: node };
        }
        return { to: node.depth > 0 ? node.parent : node };
      case 'Enter':
      case ' ':
        return { to: node, select: true };
      case '*':
        for (const sibling of node.parent!.children) tree.setExpanded(sibling, true);
        return { to: node };
      default:
        return key.length === 1 ? { to: this.findByName(rows, index, key) ?? node } : undefined;
    }
  }

  /** Type-ahead: the next row after `index` (wrapping) whose name starts with the keys typed. */
  private findByName(rows: readonly TopicNode[], index: number, key: string): TopicNode | undefined {
    const now = performance.now();
    this.typed = now - this.typedAt < TYPE_AHEAD ? this.typed + key : key;
    this.typedAt = now;
    const prefix = this.typed.toLowerCase();
    // A second key goes on searching from the row the first one found.
    const start = this.typed.length > 1 ? index : index + 1;
    for (let k = 0; k < rows.length; k++) {
      const row = rows[(start + k) % rows.length]!;
      if (row.name.toLowerCase().startsWith(prefix)) return row;
    }
    return undefined;
  }
}
