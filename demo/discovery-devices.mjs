// Simulated devices that describe themselves with Home Assistant MQTT discovery, as zigbee2mqtt,
// Tasmota and ESPHome do: the configs and states of test/fixtures/discovery (the tests use the same
// files), published retained on the embedded broker; each command confirmed on its state topic after
// a short delay, as the devices do; and readings that drift. Read with the kit's own parser
// (dist/discovery/config.js), so a config the page could not read would not be simulated either.
import { readFileSync } from 'node:fs';
import { configTopicParts, readConfig } from '../dist/discovery/config.js';
import { publisher } from './simulator.mjs';

const FIXTURES = ['zigbee2mqtt', 'tasmota', 'esphome'];
const CONFIRM_MS = 250;
const PREFIX = 'homeassistant';

const drift = (value, step, min, max) => Math.min(max, Math.max(min, value + (Math.random() - 0.5) * step));

/** Starts the discovery devices on an aedes `broker`; returns the function that stops them. */
export function startDiscoveryDevices(broker, { interval = 2000 } = {}) {
  const send = publisher(broker);
  const publish = (topic, payload) => send(topic, payload, true);
  /** Each state topic's payload now: an object for the JSON states, else text. */
  const states = new Map();
  /** The entity that takes each command topic. */
  const commands = new Map();
  for (const name of FIXTURES) {
    const fixture = JSON.parse(readFileSync(new URL(`../test/fixtures/discovery/${name}.json`, import.meta.url)));
    for (const { topic, payload } of fixture.configs) {
      publish(topic, payload);
      const entity = readConfig(topic, configTopicParts(PREFIX, topic).component, payload);
      if (typeof entity === 'object' && entity.commandTopic) commands.set(entity.commandTopic, entity);
    }
    for (const { topic, payload } of fixture.states) {
      states.set(topic, payload);
      publish(topic, payload);
    }
  }

  const pending = new Set();
  const onCommand = (packet, done) => {
    const entity = commands.get(packet.topic);
    const text = packet.payload.toString();
    if (entity && entity.stateTopic) {
      const timer = setTimeout(() => {
        pending.delete(timer);
        let value = text;
        if (entity.schema === 'json') {
          try {
            value = JSON.parse(text).state ?? value;
          } catch {
            return;
          }
        }
        const state = states.get(entity.stateTopic);
        if (state && typeof state === 'object') state[entity.template?.path ?? 'state'] = value;
        else states.set(entity.stateTopic, value);
        publish(entity.stateTopic, states.get(entity.stateTopic));
      }, CONFIRM_MS);
      pending.add(timer);
    }
    done();
  };
  for (const topic of commands.keys()) broker.subscribe(topic, onCommand, () => {});

  const change = (topic, update) => {
    const state = states.get(topic);
    if (state === undefined) return;
    const next = update(state);
    if (next !== undefined) states.set(topic, next);
    publish(topic, states.get(topic));
  };
  const timer = setInterval(() => {
    change('zigbee2mqtt/Living room sensor', (s) => {
      s.temperature = Number(drift(s.temperature, 0.2, 18, 25).toFixed(2));
      s.humidity = Number(drift(s.humidity, 1, 35, 60).toFixed(1));
    });
    change('tasmota_A1B2C3/tele/SENSOR', (s) => {
      const on = states.get('tasmota_A1B2C3/tele/STATE')?.POWER === 'ON';
      s.ENERGY.Power = on ? Math.round(drift(1480, 60, 1400, 1560)) : 0;
      s.ENERGY.Voltage = Number(drift(s.ENERGY.Voltage, 1, 225, 238).toFixed(2));
    });
    change('greenhouse/sensor/temperature/state', (s) => drift(Number(s), 0.3, 15, 32).toFixed(2));
  }, interval);

  return () => {
    clearInterval(timer);
    pending.forEach(clearTimeout);
    for (const topic of commands.keys()) broker.unsubscribe(topic, onCommand, () => {});
  };
}
