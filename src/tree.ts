/**
 * mqtt-elements/tree: `<mqtt-tree>`, in an entry of its own so that pages without a topic tree do
 * not load it. Importing it defines the kit's other elements too and then `mqtt-tree`, guarded like
 * the rest.
 */
import './index.js';
import { MqttTree } from './elements/mqtt-tree.js';

export { MqttTree } from './elements/mqtt-tree.js';

if (typeof customElements !== 'undefined' && !customElements.get('mqtt-tree'))
  customElements.define('mqtt-tree', MqttTree);
