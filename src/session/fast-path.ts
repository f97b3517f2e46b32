/**
 * The fast path for the messages a dashboard gets most: QoS 0 PUBLISH packets, read straight from
 * the WebSocket's frames instead of through MQTT.js's stream pipeline (about 40 µs a message in
 * the browser, measured: npm run bench, "script ms/1000"). Everything else (acknowledged QoS,
 * CONNACK, SUBACK, pings, MQTT 5 properties, a packet split across frames) goes to MQTT.js as
 * before. DOM-free.
 *
 * Order is kept: a frame is read here only while MQTT.js has nothing left to handle (every packet
 * of the frames it was given has reached its `packetreceive`), so no message read here overtakes one
 * that MQTT.js still holds. Each frame's packet boundaries are followed either way, so that a frame
 * that starts inside a packet is never read as a new one.
 */
import type { IClientOptions, IPublishPacket, MqttClient } from 'mqtt';

/** Where messages read here go: as MQTT.js's `message` event gives them. */
export type Deliver = (topic: string, payload: Uint8Array, packet: IPublishPacket) => void;

const utf8 = new TextDecoder();

export class IncomingFrames {
  /** Bytes of the current packet still to come in later frames. */
  #remaining = 0;
  /** The fixed header read so far of a packet whose header is split across frames. */
  #header: number[] = [];
  /** Packets given to MQTT.js that it has not reached yet. */
  #pending = 0;
  /** A frame this does not understand: everything goes to MQTT.js from now on. */
  #lost = false;

  /**
   * `version`: the MQTT protocol version (5 has properties in PUBLISH); `enabled`: whether messages
   * may bypass MQTT.js now (not while code listens to the client's own `message` event).
   */
  constructor(
    private readonly version: number,
    private readonly deliver: Deliver,
    private readonly enabled: () => boolean
  ) {}

  /** MQTT.js reached a packet (its `packetreceive`). */
  received(): void {
    if (this.#pending > 0) this.#pending--;
  }

  /** MQTT.js failed on the stream (a parse error resets its parser): everything goes to it from now on. */
  lose(): void {
    this.#lost = true;
  }

  /** A frame from the socket: true when its messages were delivered here (MQTT.js must not see it). */
  frame(data: unknown): boolean {
    if (!(data instanceof ArrayBuffer)) {
      this.#lost = true;
      return false;
    }
    const bytes = new Uint8Array(data);
    if (!this.#lost && this.#remaining === 0 && this.#header.length === 0 && this.#pending === 0 && this.enabled()) {
      const messages = this.#read(bytes);
      if (messages) {
        // Read here, so never given to MQTT.js, whatever a listener does.
        for (const packet of messages) {
          try {
            this.deliver(packet.topic, packet.payload as Uint8Array, packet);
          } catch (error) {
            console.error('mqtt-elements: a message listener threw', error);
          }
        }
        return true;
      }
    }
    this.#follow(bytes);
    return false;
  }

  /** The frame's packets if it holds only whole QoS 0 PUBLISH packets this can read, else undefined. */
  #read(bytes: Uint8Array): IPublishPacket[] | undefined {
    const packets: IPublishPacket[] = [];
    let at = 0;
    while (at < bytes.length) {
      const first = bytes[at];
      // PUBLISH (type 3) at QoS 0, not a duplicate.
      if (first >> 4 !== 3 || (first & 0x0e) !== 0) return undefined;
      let length = 0;
      let i = at + 1;
      for (let shift = 0; ; shift += 7) {
        if (i >= bytes.length || shift > 21) return undefined;
        const byte = bytes[i++];
        length += (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) break;
      }
      const end = i + length;
      if (end > bytes.length || i + 2 > end) return undefined;
      const topicEnd = i + 2 + ((bytes[i] << 8) | bytes[i + 1]);
      let payloadStart = topicEnd;
      // MQTT 5: only a PUBLISH without properties is read here (aliases, user properties: MQTT.js).
      if (this.version === 5) {
        if (topicEnd >= end || bytes[topicEnd] !== 0) return undefined;
        payloadStart++;
      }
      if (payloadStart > end) return undefined;
      const payload = bytes.subarray(payloadStart, end);
      const topic = utf8.decode(bytes.subarray(i + 2, topicEnd));
      packets.push({ cmd: 'publish', topic, payload, qos: 0, retain: (first & 1) === 1, dup: false } as IPublishPacket);
      at = end;
    }
    return packets;
  }

  /** Follows the packet boundaries of a frame given to MQTT.js, counting the packets it completes. */
  #follow(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length && !this.#lost) {
      if (this.#remaining > 0) {
        const taken = Math.min(this.#remaining, bytes.length - at);
        this.#remaining -= taken;
        at += taken;
        if (this.#remaining === 0) this.#pending++;
        continue;
      }
      const header = this.#header;
      header.push(bytes[at++]);
      if (header.length === 1) continue;
      if (header[header.length - 1] >= 0x80) {
        // A remaining length has at most 4 bytes: past that the stream is not MQTT (MQTT.js will say so).
        if (header.length > 4) this.#lost = true;
        continue;
      }
      let length = 0;
      for (let k = 1; k < header.length; k++) length += (header[k] & 0x7f) * 2 ** (7 * (k - 1));
      this.#header = [];
      this.#remaining = length;
      if (length === 0) this.#pending++;
    }
  }
}

/**
 * The fast path of one MQTT.js client: each WebSocket it opens gets an {@link IncomingFrames} that
 * reads its QoS 0 messages first. `client` is read when messages come (the first socket is made
 * while the client is).
 */
export class FastPath {
  #frames: IncomingFrames | undefined;

  constructor(
    private readonly client: () => MqttClient | undefined,
    private readonly deliver: (client: MqttClient, topic: string, payload: Uint8Array, packet: IPublishPacket) => void
  ) {}

  /** `options` with a `createWebsocket` whose sockets' QoS 0 messages are read here. */
  options(options: IClientOptions): IClientOptions {
    const create = options.createWebsocket;
    // Acks or a store of the page's own may be asynchronous: MQTT.js alone then keeps the order.
    const allowed = !options.customHandleAcks && !options.incomingStore;
    return {
      ...options,
      createWebsocket: (url: string, protocols: string[], opts: IClientOptions) => {
        const socket: WebSocket = create ? create(url, protocols, opts) : new WebSocket(url, protocols);
        const frames = new IncomingFrames(
          options.protocolVersion ?? 4,
          (topic, payload, packet) => {
            const client = this.client();
            if (client) this.deliver(client, topic, payload, packet);
          },
          () => {
            const client = this.client();
            // Only while the session's own listener is the client's only one (code that listens to
            // the client's `message` event gets every message from MQTT.js; a client on its way out
            // has none), and while MQTT.js still reads this socket.
            return allowed && client?.listenerCount('message') === 1 && !client.stream?.destroyed;
          }
        );
        this.#frames = frames;
        socket.addEventListener('message', (event) => {
          if (frames.frame(event.data)) event.stopImmediatePropagation();
        });
        return socket;
      },
    };
  }

  /** MQTT.js reached a packet (`packetreceive`). */
  received(): void {
    this.#frames?.received();
  }

  /** MQTT.js reported an error on the client: the current socket's frames all go to it. */
  lose(): void {
    this.#frames?.lose();
  }
}
