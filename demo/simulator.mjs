// Simulated devices for the demo: climate sensors in three rooms, a power meter, a lamp and a fan
// that answer commands on `.../set` with their state on `.../state`, and a retained status.
// They publish through the embedded broker itself (no network client needed).

const ROOMS = [
  { id: 'kitchen', celsius: 21.5, humidity: 48 },
  { id: 'living-room', celsius: 20.4, humidity: 44 },
  { id: 'bedroom', celsius: 18.9, humidity: 52 },
];

const drift = (value, step, min, max) => Math.min(max, Math.max(min, value + (Math.random() - 0.5) * step));
const round = (value, digits) => Number(value.toFixed(digits));

/** Starts the simulated devices on an aedes `broker`; returns the function that stops them. */
export function startSimulator(broker, { interval = 2000 } = {}) {
  const publish = (topic, payload, retain = false) =>
    broker.publish({ cmd: 'publish', topic, payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)), qos: 0, retain, dup: false }, () => {});

  const devices = { lamp: 'off', fan: 'off' };
  publish('home/status', { online: true, since: new Date().toISOString(), devices: ROOMS.length + 2 }, true);
  for (const [device, state] of Object.entries(devices)) publish(`home/${device}/state`, state, true);

  const climate = () => {
    for (const room of ROOMS) {
      room.celsius = drift(room.celsius, 0.4, 15, 29);
      room.humidity = drift(room.humidity, 1.5, 30, 70);
      // Retained, as sensors usually publish: a page that opens shows the last reading at once.
      publish(`home/${room.id}/climate`, { celsius: round(room.celsius, 2), humidity: round(room.humidity, 1), at: Date.now() }, true);
    }
  };
  let watts = 420;
  const power = () => {
    watts = drift(watts, 60, 150, 2400);
    publish('home/power/watts', String(Math.round(watts + (devices.lamp === 'on' ? 60 : 0) + (devices.fan === 'on' ? 35 : 0))), true);
  };
  climate();
  power();
  const timers = [setInterval(climate, interval), setInterval(power, 1000)];

  // A device confirms a command after a short delay, as real ones do.
  const onCommand = (packet, done) => {
    const device = packet.topic.split('/')[1];
    const wanted = packet.payload.toString().trim().toLowerCase();
    if (device in devices && (wanted === 'on' || wanted === 'off')) {
      setTimeout(() => {
        devices[device] = wanted;
        publish(`home/${device}/state`, wanted, true);
      }, 150);
    }
    done();
  };
  broker.subscribe('home/+/set', onCommand, () => {});

  return () => {
    timers.forEach(clearInterval);
    broker.unsubscribe('home/+/set', onCommand, () => {});
  };
}
