// Type-checked by `npm run check` (tsc), never run: the JSX types of raw tags and wrappers accept
// what works and refuse what does not.
import 'mqtt-elements/jsx';
import { MqttConnection, MqttPublish, MqttValue } from 'mqtt-elements/react';
import { MqttChart } from 'mqtt-elements/chart/react';

export const raw = (
  <mqtt-connection
    url="ws://localhost:8083/mqtt"
    reconnect-period="2000"
    onmqtt-status={(event) => event.detail.status.toUpperCase()}
  >
    <mqtt-value
      topic="home/kitchen/climate"
      path="celsius"
      digits="1"
      qos="2"
      unit="°C"
      onmqtt-message={(event) => event.detail.topic}
    />
    {/* @ts-expect-error qos is 0, 1 or 2, also as a string */}
    <mqtt-value topic="a" qos="3" />
    {/* @ts-expect-error digits is a number */}
    <mqtt-value topic="a" digits={{}} />
    {/* @ts-expect-error the event detail is an MqttMessage, which has no celsius */}
    <mqtt-subscribe topic="a" onmqtt-message={(event) => event.detail.celsius} />
    <mqtt-chart
      topic="home/+room/temperature"
      window="600"
      max-points="2000"
      min={0}
      unit="°C"
      onmqtt-error={(event) => event.detail.hint}
    />
    {/* @ts-expect-error window is a number of seconds */}
    <mqtt-chart topic="a" window={{}} />
  </mqtt-connection>
);

export const wrapped = (
  <>
    <MqttValue topic="a" digits={1} onMqttMessage={(event) => event.detail.value} />
    <MqttPublish
      topic="a"
      properties={{ userProperties: { room: 'kitchen' } }}
      onMqttPublish={(event) => event.detail.qos}
    />
    {/* @ts-expect-error status is read-only: React would throw setting it */}
    <MqttConnection status="connected" />
    {/* @ts-expect-error qos is 0, 1 or 2 */}
    <MqttPublish topic="a" qos={3} />
    <MqttChart topic="a" maxPoints={500} onMqttMessage={(event) => event.detail.value} />
    {/* @ts-expect-error series is read-only: React would throw setting it */}
    <MqttChart topic="a" series={[]} />
  </>
);
