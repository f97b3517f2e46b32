import { useState } from 'react';
// React components for the elements (they also define the tags): props are set as properties,
// events arrive through onMqttMessage, onMqttStatus, ... props.
import { MqttConnection, MqttPublish, MqttSubscribe, MqttValue } from 'mqtt-elements/react';

const BROKER = 'ws://localhost:8083/mqtt'; // the broker that `npm start` runs

let seq = 0;

export default function App() {
  const [lamp, setLamp] = useState('off');
  const [messages, setMessages] = useState([]);

  const onMessage = (event) => {
    const { topic, value } = event.detail;
    setMessages((list) => [{ id: ++seq, topic, value: JSON.stringify(value) }, ...list].slice(0, 5));
  };
  const next = lamp === 'on' ? 'off' : 'on';

  return (
    <MqttConnection url={BROKER}>
      <main>
        <h1>Kitchen</h1>
        <div className="big">
          <MqttValue topic="home/kitchen/climate" path="celsius" digits={1} unit="°C" />
        </div>
        <p>
          Humidity <MqttValue topic="home/kitchen/climate" path="humidity" digits={0} unit="%" />
        </p>

        <h2>Lamp</h2>
        <p>
          The lamp is <MqttValue topic="home/lamp/state" onMqttMessage={(event) => setLamp(event.detail.value)} />
        </p>
        <MqttPublish topic="home/lamp/set" payload={next}>
          <button>Turn it {next}</button>
        </MqttPublish>

        <h2>Last messages</h2>
        {/* The same with a raw tag, as React 19 allows: <mqtt-subscribe topic="home/#" onmqtt-message={onMessage} /> */}
        <MqttSubscribe topic="home/#" onMqttMessage={onMessage} />
        <ul>
          {messages.map((m) => (
            <li key={m.id}>
              {m.topic} {m.value}
            </li>
          ))}
        </ul>
      </main>
    </MqttConnection>
  );
}
