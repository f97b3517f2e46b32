import { css } from 'lit';

/**
 * The styles of `<mqtt-chart>` (beside the element, as Shoelace's `range.styles.ts`): the host box,
 * the `chart` part, and the rules of uPlot's stylesheet that the chart needs (a shadow root does not
 * see the page's copy of `uPlot.min.css`).
 */
export default css`
  :host {
    display: block;
    height: 240px;
    min-width: 0;
  }
  :host([hidden]) {
    display: none;
  }
  [part='chart'] {
    height: 100%;
    overflow: hidden;
    color: var(--mqtt-chart-text, inherit);
  }
  /* Inside the box, which clips nothing of it. */
  [part='chart']:focus-visible {
    outline: 2px solid currentColor;
    outline-offset: -2px;
  }
  /* The rules of uPlot's stylesheet that this chart needs. */
  .uplot,
  .uplot *,
  .uplot *::before,
  .uplot *::after {
    box-sizing: border-box;
  }
  .uplot {
    line-height: 1.5;
    /* The legend wraps at the element's width, not at the plot's (whose size is fitted after it). */
    width: 100%;
  }
  .u-wrap {
    position: relative;
    user-select: none;
  }
  .u-over,
  .u-under {
    position: absolute;
  }
  .u-under {
    overflow: hidden;
  }
  .uplot canvas {
    display: block;
    position: relative;
    width: 100%;
    height: 100%;
  }
  .u-axis {
    position: absolute;
  }
  .u-legend {
    font-size: 0.875em;
    margin: auto;
    text-align: center;
  }
  .u-inline {
    display: block;
  }
  .u-inline * {
    display: inline-block;
  }
  .u-inline tr {
    margin-right: 16px;
  }
  .u-legend th {
    font-weight: 600;
  }
  .u-legend th > * {
    vertical-align: middle;
    display: inline-block;
  }
  .u-legend .u-marker {
    width: 1em;
    height: 1em;
    margin-right: 4px;
    background-clip: padding-box !important;
  }
  /* Each series reads "kitchen 21.5 °C"; the time row is left out (the axis shows the times). */
  .u-legend .u-series:first-child {
    display: none;
  }
  .u-inline:not(.u-live) .u-value {
    display: none;
  }
  .u-series > * {
    padding: 2px 4px;
  }
  .u-series th {
    cursor: pointer;
  }
  .u-legend .u-off > * {
    opacity: 0.3;
  }
  .u-cursor-x,
  .u-cursor-y {
    position: absolute;
    left: 0;
    top: 0;
    pointer-events: none;
    will-change: transform;
  }
  .u-hz .u-cursor-x {
    height: 100%;
    border-right: 1px dashed var(--mqtt-chart-grid, #607d8b);
  }
  .u-hz .u-cursor-y {
    width: 100%;
    border-bottom: 1px dashed var(--mqtt-chart-grid, #607d8b);
  }
  .u-cursor-pt {
    position: absolute;
    top: 0;
    left: 0;
    border-radius: 50%;
    border: 0 solid;
    pointer-events: none;
    will-change: transform;
    background-clip: padding-box !important;
  }
  .u-select {
    position: absolute;
    pointer-events: none;
    background: rgba(128, 128, 128, 0.25);
  }
  .u-axis.u-off,
  .u-cursor-x.u-off,
  .u-cursor-y.u-off,
  .u-cursor-pt.u-off {
    display: none;
  }
`;
