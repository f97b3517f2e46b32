/**
 * What a connection does to one MQTT.js client, apart from its own state: ping it to see that it
 * lives, end it for good, or retire it after a renewal replaced it. DOM-free.
 */
import type { MqttClient } from 'mqtt';

/** Pings `client`: resolves true when anything comes back within `timeout` ms, else false. */
export function probe(client: MqttClient, timeout: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off('packetreceive', answered);
      resolve(false);
    }, timeout);
    const answered = () => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once('packetreceive', answered);
    client.sendPing();
  });
}

/** Stops `client`'s messages and its errors reaching anyone: it is on its way out. */
function silence(client: MqttClient): void {
  client.removeAllListeners('message');
  client.on('error', () => {});
}

/**
 * Ends `client` for good (gracefully when connected); resolves once it has ended. Messages still in
 * flight fail (with a clean session) instead of waiting forever.
 */
export function endForGood(client: MqttClient): Promise<void> {
  silence(client);
  client.options.reconnectPeriod = 0;
  return new Promise((resolve) => client.end(!client.connected, {}, () => resolve()));
}

/**
 * Ends `client`, which a renewal replaced, once the broker acknowledged what it sent. If it breaks
 * first, `unsettled` is called, to have what it had not settled sent again by the client in use.
 */
export function retire(client: MqttClient, unsettled: () => void): void {
  silence(client);
  if (!client.connected) {
    unsettled();
    client.end(true);
    return;
  }
  client.once('close', unsettled);
  client.end(false, {}, () => client.off('close', unsettled));
}
