import { ContextRoot } from '@lit/context';
import { MqttConnection } from './elements/mqtt-connection.js';
import { MqttGauge } from './elements/mqtt-gauge.js';
import { MqttLog } from './elements/mqtt-log.js';
import { MqttPublish } from './elements/mqtt-publish.js';
import { MqttSubscribe } from './elements/mqtt-subscribe.js';
import { MqttValue } from './elements/mqtt-value.js';

/** Every element of the kit, by tag. */
export const elements = {
  'mqtt-connection': MqttConnection,
  'mqtt-subscribe': MqttSubscribe,
  'mqtt-publish': MqttPublish,
  'mqtt-value': MqttValue,
  'mqtt-gauge': MqttGauge,
  'mqtt-log': MqttLog,
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
  if (!addOnCheck) {
    addOnCheck = true;
    if (document.readyState === 'complete') checkAddOns();
    else addEventListener('load', checkAddOns, { once: true });
  }
}

let addOnCheck = false;
/** How long after the page's load an add-on's element may still wait for its own file, ms. */
const ADD_ON_GRACE = 2000;
/** The elements that live in files of their own (add-ons): why, and the entry that defines each. */
const ADD_ONS = [
  ['mqtt-chart', 'so that pages without charts do not load uPlot', 'chart'],
  ['mqtt-discovery', 'so that pages that do not use it do not load it', 'discovery'],
  ['mqtt-tree', 'so that pages without a topic tree do not load it', 'tree'],
] as const;

/**
 * An add-on's element on a page that does not load its file would show an empty, zero-height
 * element and say nothing. Some time after the page's load, each such element gets an `error`
 * attribute and the console a warning.
 */
function checkAddOns(): void {
  setTimeout(() => {
    for (const [tag, why, entry] of ADD_ONS) {
      const found = document.querySelectorAll(`${tag}:not(:defined)`);
      if (found.length === 0) continue;
      const sentence = `<${tag}> is on the page but not defined: it has a file of its own, ${why}. Load it after the kit: <script type="module" src="mqtt-elements-${entry}.min.js"></script> next to mqtt-elements.min.js, or (from npm) the entry mqtt-elements/${entry}.`;
      for (const element of Array.from(found)) element.setAttribute('error', sentence);
      console.warn(sentence);
    }
  }, ADD_ON_GRACE);
}
