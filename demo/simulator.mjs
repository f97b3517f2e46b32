// Simulated devices for the demo, publishing through the embedded broker itself (no network client):
// - climate sensors in three rooms (retained JSON every 2 s), warmed by the thermostat;
// - a power meter (every second), which counts what is switched on;
// - two lamps and a fan that take `on`/`off` on `.../set` and confirm on `.../state`;
// - a dimmer (0–100) and a thermostat (JSON setpoint and mode) that confirm the same way;
// - a boiler that takes `restart` on home/boiler/set: it reports `restarting`, heats nothing for a
//   few seconds, then reports `running`;
// - a retained status. Devices confirm a command after a short delay, as real ones do.

export const ROOMS = [
  { id: 'kitchen', celsius: 21.5, humidity: 48 },
  { id: 'living-room', celsius: 20.4, humidity: 44 },
  { id: 'bedroom', celsius: 18.9, humidity: 52 },
];

/** On/off devices: topic under home/ → watts when on. */
const SWITCHES = { lamp: 60, 'kitchen-lamp': 40, fan: 35 };
const CONFIRM_MS = 250;
/** How long the boiler takes to restart. */
const RESTART_MS = 3000;

const drift = (value, step, min, max) => Math.min(max, Math.max(min, value + (Math.random() - 0.5) * step));
const round = (value, digits) => Number(value.toFixed(digits));
const clamp = (value, min, max) => Math.min(max, Math.max(min, value));

/** Publishes through an aedes `broker` itself: `publish(topic, payload (text or JSON), retain)`, QoS 0. */
export function publisher(broker) {
  return (topic, payload, retain = false) =>
    broker.publish(
      {
        cmd: 'publish',
        topic,
        payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
        qos: 0,
        retain,
        dup: false,
      },
      () => {}
    );
}

/** Starts the simulated devices on an aedes `broker`; returns the function that stops them. */
export function startSimulator(broker, { interval = 2000 } = {}) {
  const publish = publisher(broker);

  const switches = Object.fromEntries(Object.keys(SWITCHES).map((name) => [name, name === 'lamp' ? 'on' : 'off']));
  let dimmer = 60;
  let thermostat = { setpoint: 21, mode: 'heat' };
  let boiler = 'running';
  publish(
    'home/status',
    { online: true, since: new Date().toISOString(), devices: ROOMS.length + Object.keys(SWITCHES).length + 4 },
    true
  );
  for (const [name, state] of Object.entries(switches)) publish(`home/${name}/state`, state, true);
  publish('home/dimmer/state', String(dimmer), true);
  publish('home/thermostat/state', thermostat, true);
  publish('home/boiler/state', boiler, true);

  const climate = () => {
    for (const room of ROOMS) {
      // The heating pulls every room toward the setpoint; without it, rooms cool toward 17 °C.
      const target =
        thermostat.mode === 'heat' ? thermostat.setpoint : thermostat.mode === 'eco' ? thermostat.setpoint - 2 : 17;
      room.celsius = drift(room.celsius + (target - room.celsius) * 0.05, 0.3, 12, 30);
      room.humidity = drift(room.humidity, 1.5, 30, 70);
      // Retained, as sensors usually publish: a page that opens shows the last reading at once.
      publish(
        `home/${room.id}/climate`,
        { celsius: round(room.celsius, 2), humidity: round(room.humidity, 1), at: Date.now() },
        true
      );
    }
  };
  let base = 420;
  const power = () => {
    base = drift(base, 60, 150, 1800);
    const heating = boiler !== 'running' ? 0 : thermostat.mode === 'heat' ? 900 : thermostat.mode === 'eco' ? 500 : 0;
    let watts = base + heating + dimmer * 0.6;
    for (const [name, state] of Object.entries(switches)) if (state === 'on') watts += SWITCHES[name];
    publish('home/power/watts', String(Math.round(watts)), true);
  };
  climate();
  power();
  const timers = [setInterval(climate, interval), setInterval(power, 1000)];
  const confirming = new Set();
  const later = (action, ms = CONFIRM_MS) => {
    const timer = setTimeout(() => {
      confirming.delete(timer);
      action();
    }, ms);
    confirming.add(timer);
    return timer;
  };
  let restarted;

  const onCommand = (packet, done) => {
    const device = packet.topic.split('/')[1];
    const text = packet.payload.toString().trim();
    if (device in switches) {
      const wanted = text.toLowerCase();
      if (wanted === 'on' || wanted === 'off' || wanted === 'toggle') {
        later(() => {
          switches[device] = wanted === 'toggle' ? (switches[device] === 'on' ? 'off' : 'on') : wanted;
          publish(`home/${device}/state`, switches[device], true);
        });
      }
    } else if (device === 'dimmer') {
      const level = Number(text);
      if (Number.isFinite(level)) {
        later(() => {
          dimmer = clamp(Math.round(level), 0, 100);
          publish('home/dimmer/state', String(dimmer), true);
        });
      }
    } else if (device === 'boiler') {
      if (text.toLowerCase() === 'restart') {
        // Confirmed at once with `restarting` (a second restart starts the wait again), `running` after.
        later(() => {
          boiler = 'restarting';
          publish('home/boiler/state', boiler, true);
          clearTimeout(restarted);
          confirming.delete(restarted);
          restarted = later(() => {
            boiler = 'running';
            publish('home/boiler/state', boiler, true);
          }, RESTART_MS);
        });
      }
    } else if (device === 'thermostat') {
      let asked;
      try {
        asked = JSON.parse(text);
      } catch {
        asked = undefined;
      }
      if (asked && typeof asked === 'object') {
        later(() => {
          const setpoint = Number(asked.setpoint);
          thermostat = {
            setpoint: Number.isFinite(setpoint) ? clamp(Math.round(setpoint * 2) / 2, 10, 28) : thermostat.setpoint,
            mode: ['heat', 'eco', 'off'].includes(asked.mode) ? asked.mode : thermostat.mode,
          };
          publish('home/thermostat/state', thermostat, true);
        });
      }
    }
    done();
  };
  broker.subscribe('home/+/set', onCommand, () => {});

  return () => {
    timers.forEach(clearInterval);
    confirming.forEach(clearTimeout);
    broker.unsubscribe('home/+/set', onCommand, () => {});
  };
}
