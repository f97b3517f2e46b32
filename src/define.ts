import { ContextRoot } from '@lit/context';
import { MqttConnection } from './elements/mqtt-connection.js';
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
}
