import { html, nothing } from 'lit';
import { numberFormat, timeAgo } from '../lib/intl.js';
import { nodeText, type TopicNode } from '../tree/topic-tree.js';

/** What a row's look depends on besides its node. */
export interface RowContext {
  readonly locale: string | undefined;
  /** `Date.now()` for the render: every row's time is written against it. */
  readonly now: number;
  readonly selected: string | undefined;
  readonly active: TopicNode | undefined;
}

/** One `<mqtt-tree>` row (`role="treeitem"`), the `i`th of the flattened rows: its text only, never HTML. */
export function treeRow(node: TopicNode, i: number, { locale, now, selected: selectedTopic, active }: RowContext) {
  const parent = node.children.length > 0;
  const text = nodeText(node);
  const selected = node.topic === selectedTopic;
  // The row is read as its text ("kitchen, 21.5, 2 messages, 5s ago"): the commas and words that
  // the eye does not need are visually hidden. (Chromium adds a space before each comma, as it
  // does between flex items; a screen reader pauses at the comma all the same.)
  const comma = html`<span class="sr">, </span>`;
  // One text (two bindings with a space between lose the space in Chromium's accessibility tree).
  const topics = `${numberFormat(locale).format(node.topics)} ${node.topics === 1 ? 'topic' : 'topics'}`;
  return html`<div
    part=${`row${selected ? ' selected' : ''}${node === active ? ' active' : ''}`}
    role="treeitem"
    id=${`r${node.id}`}
    data-row=${i}
    aria-level=${node.depth + 1}
    aria-setsize=${node.parent!.children.length}
    aria-posinset=${node.position + 1}
    aria-expanded=${parent ? String(node.expanded) : nothing}
    aria-selected=${selected ? 'true' : nothing}
  >
    <span part="toggle" aria-hidden="true">${parent ? (node.expanded ? '▾' : '▸') : ''}</span
    ><span part="name">${node.name}</span>${text ? comma : nothing}<span part="value">${text}</span>${
      node.message?.retain ? html`${comma}<span part="retained">retained</span>` : nothing
    }${parent ? html`${comma}<span part="topics">${topics}</span>` : nothing}${comma}<span part="count"
      >${numberFormat(locale).format(node.total)}</span
    ><span class="sr"> ${node.total === 1 ? 'message' : 'messages'}, </span
    ><span part="time">${timeAgo(locale, now - node.last)}</span>
  </div>`;
}
