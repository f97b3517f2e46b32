/**
 * mqtt-elements/chart: `<mqtt-chart>`, in an entry of its own so that pages without charts do not
 * load uPlot. Importing it defines the kit's other elements too (a chart needs a connection) and
 * then `mqtt-chart`, guarded like the rest: no throw when it is defined already.
 */
import './index.js';
import { MqttChart } from './elements/mqtt-chart.js';

export { MqttChart, type ChartSeries } from './elements/mqtt-chart.js';

if (typeof customElements !== 'undefined' && !customElements.get('mqtt-chart'))
  customElements.define('mqtt-chart', MqttChart);
