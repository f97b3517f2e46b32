/**
 * mqtt-elements/discovery: `<mqtt-discovery>`, in an entry of its own so that pages that do not
 * build dashboards from Home Assistant discovery do not load it. Importing it defines the kit's
 * other elements too (its cards are made of them) and then `mqtt-discovery`, guarded like the rest.
 */
import './index.js';
import { MqttDiscovery } from './elements/mqtt-discovery.js';

export { MqttDiscovery } from './elements/mqtt-discovery.js';
export type { DeviceCard } from './discovery/devices.js';
export type { DiscoveryDevice, DiscoveryEntity } from './discovery/config.js';

if (typeof customElements !== 'undefined' && !customElements.get('mqtt-discovery'))
  customElements.define('mqtt-discovery', MqttDiscovery);
