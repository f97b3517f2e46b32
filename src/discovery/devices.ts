import { configTopicParts, readConfig, type DiscoveryDevice, type DiscoveryEntity } from './config.js';
import { applyTemplate } from './template.js';
import { readPath } from '../session/codec.js';

/** A device's card: the device and its entities, in the order their configs came. */
export interface DeviceCard {
  readonly device: DiscoveryDevice;
  readonly entities: readonly DiscoveryEntity[];
}

/** What a config message did. */
export type ConfigChange =
  | { readonly kind: 'entity'; readonly entity: DiscoveryEntity }
  | { readonly kind: 'removed' }
  | { readonly kind: 'unknown'; readonly component: string }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'ignored' };

/**
 * The devices that discovery configs describe, as configs come and go (an empty retained payload
 * removes its entity), and whether each entity is available (its availability topics, read as
 * `availability_mode` says). DOM-free.
 */
export class DiscoveredDevices {
  /** Entities by config topic, in the order they came. */
  private readonly entities = new Map<string, DiscoveryEntity>();
  /** The last payload of each availability topic. */
  private readonly availability = new Map<string, string>();

  constructor(readonly prefix: string) {}

  /** Reads a message on `topic` under the prefix: a config, its removal, or another topic (ignored). */
  config(topic: string, payload: string): ConfigChange {
    const parts = configTopicParts(this.prefix, topic);
    if (!parts) return { kind: 'ignored' };
    if (payload.trim() === '') {
      return this.entities.delete(topic) ? { kind: 'removed' } : { kind: 'ignored' };
    }
    let json: unknown;
    try {
      json = JSON.parse(payload);
    } catch {
      this.entities.delete(topic);
      return { kind: 'invalid', reason: 'the config is not JSON' };
    }
    try {
      const entity = readConfig(topic, parts.component, json);
      if (typeof entity === 'string') return { kind: 'unknown', component: entity };
      this.entities.set(topic, entity);
      return { kind: 'entity', entity };
    } catch (error) {
      this.entities.delete(topic);
      return { kind: 'invalid', reason: (error as Error).message };
    }
  }

  /** Every availability topic of the entities, for subscribing. */
  availabilityTopics(): Set<string> {
    const topics = new Set<string>();
    for (const entity of this.entities.values()) for (const { topic } of entity.availability) topics.add(topic);
    return topics;
  }

  /** A message on an availability topic. Returns whether it was one. */
  available(topic: string, payload: string): boolean {
    const before = this.availability.get(topic);
    // Re-inserted: the map's order is the order topics were last heard in (`latest`).
    this.availability.delete(topic);
    this.availability.set(topic, payload);
    return before !== payload;
  }

  /**
   * Whether `entity` is available: with no availability topic, always; else as its topics last
   * said, by `availability_mode` (`latest` by default: the last topic heard of decides; `all`;
   * `any`). A topic not heard of yet counts as not available, as in Home Assistant.
   */
  isAvailable(entity: DiscoveryEntity): boolean {
    if (entity.availability.length === 0) return true;
    const states = entity.availability.map((entry) => {
      const payload = this.availability.get(entry.topic);
      if (payload === undefined) return undefined;
      let value: unknown = payload;
      if (entry.template) {
        try {
          value = applyTemplate(
            entry.template,
            entry.template.path ? readPath(JSON.parse(payload), entry.template.path) : payload
          );
        } catch {
          return false;
        }
      }
      return String(value) === entry.available ? true : String(value) === entry.notAvailable ? false : undefined;
    });
    if (entity.availabilityMode === 'all') return states.every((state) => state === true);
    if (entity.availabilityMode === 'any') return states.some((state) => state === true);
    // `latest`: the most recently heard. The map keeps insertion order; re-set topics move last.
    let latest: boolean | undefined;
    for (const [topic] of this.availability) {
      const i = entity.availability.findIndex((entry) => entry.topic === topic);
      if (i >= 0 && states[i] !== undefined) latest = states[i];
    }
    return latest === true;
  }

  /** The cards: one per device, in the order their first entity came; the entities in theirs. */
  cards(): DeviceCard[] {
    const cards = new Map<string, { device: DiscoveryDevice; entities: DiscoveryEntity[] }>();
    for (const entity of this.entities.values()) {
      const card = cards.get(entity.device.id);
      if (card) {
        card.entities.push(entity);
        // A later entity may name the device more fully.
        if (!card.device.name && entity.device.name) card.device = entity.device;
      } else cards.set(entity.device.id, { device: entity.device, entities: [entity] });
    }
    return [...cards.values()];
  }
}
