import { ContextRoot } from '@lit/context';
import { MqttConnection } from './elements/mqtt-connection.js';
import { MqttGauge } from './elements/mqtt-gauge.js';
import { MqttLog } from './elements/mqtt-log.js';
import { MqttPublish } from './elements/mqtt-publish.js';
import { MqttSubscribe } from './elements/mqtt-subscribe.js';
import { MqttTree } from './elements/mqtt-tree.js';
import { MqttValue } from './elements/mqtt-value.js';

/** Every element of the kit, by tag. */
export const elements = {
  'mqtt-connection': MqttConnection,
  'mqtt-subscribe': MqttSubscribe,
  'mqtt-publish': MqttPublish,
  'mqtt-value': MqttValue,
  'mqtt-gauge': MqttGauge,
  'mqtt-log': MqttLog,
  'mqtt-tree': MqttTree,
} as const;

let contextRoot: ContextRoot | undefined;

/**
 * Defines every element that is not defined yet (a second call, or another copy of the kit, does not
 * throw). Attaches a `ContextRoot` to the document once, so that elements that upgrade before their
 * `<mqtt-connection>` find it when it does. Does nothing without a DOM (server-side rendering).
 */
export function defineElements(): void {
  if (typeof customElements === 'undefined' || typeof document === 'undefined') return;
  if (!contextRoot) {
    contextRoot = new ContextRoot();
    contextRoot.attach(document.documentElement);
  }
  for (const [tag, element] of Object.entries(elements)) {
    if (!customElements.get(tag)) customElements.define(tag, element);
  }
  if (!chartCheck) {
    chartCheck = true;
    if (document.readyState === 'complete') checkCharts();
    else addEventListener('load', checkCharts, { once: true });
  }
}

let chartCheck = false;
/** How long after the page's load an `<mqtt-chart>` may still wait for its own file, ms. */
const CHART_GRACE = 2000;

/**
 * `<mqtt-chart>` lives in a file of its own: a page that uses it without loading that file would
 * show an empty, zero-height element and say nothing. Some time after the page's load, such a chart
 * gets an `error` attribute and the console a warning.
 */
function checkCharts(): void {
  setTimeout(() => {
    const charts = document.querySelectorAll('mqtt-chart:not(:defined)');
    if (charts.length === 0) return;
    const sentence =
      '<mqtt-chart> is on the page but not defined: it has a file of its own, so that pages without charts do not load uPlot. Load it after the kit: <script type="module" src="mqtt-elements-chart.min.js"></script> next to mqtt-elements.min.js, or import \'mqtt-elements/chart\' from npm.';
    for (const chart of Array.from(charts)) chart.setAttribute('error', sentence);
    console.warn(sentence);
  }, CHART_GRACE);
}
