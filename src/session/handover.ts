/**
 * The message stream's move from one client to the next (a renewal), without a gap and without
 * duplicates. DOM-free.
 *
 * While both clients are subscribed, the broker sends a message to both. So from the moment the
 * new client subscribes until the old one's UNSUBACK (after which the old sends nothing more), the
 * old client's messages are delivered and noted per topic, and the new client's are held. At the
 * end, per topic, the held messages that repeat the old stream's tail are dropped (a broker keeps a
 * topic's order for every subscriber), and so is a retained message that the new subscription
 * replays; the rest are delivered, in order.
 */
import type { IPublishPacket } from 'mqtt';

/** Where delivered messages go: the registry's dispatch. */
export type Dispatch = (topic: string, payload: Uint8Array, packet: IPublishPacket) => void;

interface Held {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly packet: IPublishPacket;
}

function same(a: Uint8Array, b: Uint8Array | undefined): boolean {
  if (!b || a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class Handover {
  /** Per topic, the payloads the old client delivered since the handover began. */
  private readonly fromOld = new Map<string, Uint8Array[]>();
  /** Per topic, the last payload delivered before the handover began (what a replay repeats). */
  private readonly before = new Map<string, Uint8Array | undefined>();
  private held: Held[] = [];

  /**
   * `from` and `to`: the clients (compared by identity); `lastPayload`: the last payload delivered
   * on a topic so far.
   */
  constructor(
    readonly from: object,
    readonly to: object,
    private readonly dispatch: Dispatch,
    private readonly lastPayload: (topic: string) => Uint8Array | undefined
  ) {}

  /** A message from `client`: delivered (the old one), held (the new one) or dropped (any other). */
  receive(client: object, topic: string, payload: Uint8Array, packet: IPublishPacket): void {
    if (client === this.to) {
      this.remember(topic);
      this.held.push({ topic, payload, packet });
      return;
    }
    if (client !== this.from) return;
    this.remember(topic);
    let payloads = this.fromOld.get(topic);
    if (!payloads) this.fromOld.set(topic, (payloads = []));
    payloads.push(payload);
    this.dispatch(topic, payload, packet);
  }

  /** The old client sends no more: delivers what the new one had that the old one did not. */
  finish(): void {
    const held = this.held;
    this.held = [];
    const byTopic = new Map<string, Held[]>();
    for (const message of held) {
      const list = byTopic.get(message.topic);
      if (list) list.push(message);
      else byTopic.set(message.topic, [message]);
    }
    const twice = new Set<Held>();
    for (const [topic, messages] of byTopic) {
      const old = this.fromOld.get(topic) ?? [];
      let start = 0;
      const first = messages[0];
      // The new subscription's replay of the retained message: already had.
      if (
        first.packet.retain &&
        (same(first.payload, this.before.get(topic)) || old.some((p) => same(first.payload, p)))
      )
        start = 1;
      for (let count = Math.min(old.length, messages.length - start); count > 0; count--) {
        let repeats = true;
        for (let i = 0; i < count && repeats; i++)
          repeats = same(messages[start + i].payload, old[old.length - count + i]);
        if (!repeats) continue;
        start += count;
        break;
      }
      for (let i = 0; i < start; i++) twice.add(messages[i]);
    }
    for (const message of held) if (!twice.has(message)) this.dispatch(message.topic, message.payload, message.packet);
  }

  private remember(topic: string): void {
    if (!this.before.has(topic)) this.before.set(topic, this.lastPayload(topic));
  }
}
