import { css } from 'lit';

/**
 * The styles of `<mqtt-tree>`: a scroll box of rows of one height, each placed at its index (only
 * the rows in view exist), and the probe that tells the element how high a row is. The box's size
 * does not depend on the rows, nor a row's on its text (`contain: strict`): a change in one row lays
 * out that row. (Comments stay out of the CSS text, which ships as it is written.)
 */
export default css`
  :host {
    display: block;
    height: 20rem;
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.85em;
    --mqtt-tree-row-height: 1.75em;
  }
  :host([hidden]) {
    display: none;
  }
  [part='tree'] {
    position: relative;
    height: 100%;
    overflow: auto;
    contain: strict;
    outline-offset: -2px;
  }
  .space,
  .probe {
    width: 1px;
  }
  .probe {
    position: absolute;
    visibility: hidden;
    height: var(--mqtt-tree-row-height);
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  [role='treeitem'] {
    position: absolute;
    inset-inline: 0;
    height: var(--mqtt-tree-row-height);
    display: flex;
    align-items: center;
    gap: 0.75em;
    box-sizing: border-box;
    padding-inline: calc(var(--mqtt-tree-indent, 1.25em) * var(--depth)) 0.5em;
    white-space: nowrap;
    cursor: default;
    contain: strict;
  }
  [part~='selected'] {
    background: var(--mqtt-tree-selected, rgb(25 118 210 / 18%));
  }
  [part='tree']:focus-visible [part~='active'] {
    outline: 2px solid var(--mqtt-tree-focus, #1976d2);
    outline-offset: -2px;
  }
  [part='toggle'] {
    flex: none;
    width: 1em;
    text-align: center;
    cursor: pointer;
  }
  [part='name'] {
    flex: none;
    max-width: 40%;
    overflow: hidden;
    text-overflow: ellipsis;
    font-weight: 600;
  }
  [part='value'] {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  [part='topics'],
  [part='count'],
  [part='time'] {
    flex: none;
    opacity: 0.75;
  }
  [part='count'] {
    min-width: 3ch;
    text-align: end;
  }
  [part='time'] {
    min-width: 8ch;
    text-align: end;
  }
  [part='retained'] {
    flex: none;
    padding: 0 0.4em;
    border: 1px solid currentColor;
    border-radius: 0.6em;
    font-size: 0.85em;
    opacity: 0.75;
  }
`;
