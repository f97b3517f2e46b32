import { parseValueTemplate, type ValueTemplate } from './template.js';

/**
 * Home Assistant MQTT discovery configs (`<prefix>/<component>/[<node_id>/]<object_id>/config`,
 * retained JSON) read into entities the kit can show: abbreviations expanded, `~` put into the
 * topics, `availability` in its three forms made one list, defaults filled in. DOM-free.
 */

/** The components `<mqtt-discovery>` shows. */
export const COMPONENTS = ['sensor', 'binary_sensor', 'switch', 'light', 'fan', 'number', 'select', 'button'] as const;
export type Component = (typeof COMPONENTS)[number];

/** A device, as the entities of one card share it. */
export interface DiscoveryDevice {
  readonly id: string;
  readonly name?: string;
  readonly manufacturer?: string;
  readonly model?: string;
}

/** One availability topic: the entity is available when it last said `available`. */
export interface Availability {
  readonly topic: string;
  readonly available: string;
  readonly notAvailable: string;
  /** Its `value_template`; null when it has one the kit cannot read (the raw payload is compared). */
  readonly template?: ValueTemplate | null;
}

export interface DiscoveryEntity {
  /** The config's topic: what removes it (an empty retained payload there). */
  readonly configTopic: string;
  readonly component: Component;
  /** `unique_id`, else the config topic. */
  readonly id: string;
  readonly name?: string;
  readonly device: DiscoveryDevice;
  readonly stateTopic?: string;
  readonly commandTopic?: string;
  /** The `value_template` read (null: one the kit cannot read, shown raw), and its text. */
  readonly template?: ValueTemplate | null;
  readonly templateText?: string;
  readonly unit?: string;
  readonly deviceClass?: string;
  /** `suggested_display_precision`. */
  readonly precision?: number;
  readonly payloadOn: string;
  readonly payloadOff: string;
  readonly stateOn: string;
  readonly stateOff: string;
  readonly payloadPress: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly mode?: string;
  readonly options: readonly string[];
  /** A light's `schema`: `json` lights take and send `{"state": "ON"}`. */
  readonly schema?: string;
  readonly availability: readonly Availability[];
  /** `latest` (the default), `all` or `any`. */
  readonly availabilityMode: string;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
}

const ABBREVIATIONS: Record<string, string> = {
  avty: 'availability',
  avty_mode: 'availability_mode',
  avty_t: 'availability_topic',
  avty_tpl: 'availability_template',
  cmd_t: 'command_topic',
  cmd_tpl: 'command_template',
  dev: 'device',
  dev_cla: 'device_class',
  ic: 'icon',
  json_attr_t: 'json_attributes_topic',
  json_attr_tpl: 'json_attributes_template',
  obj_id: 'object_id',
  ops: 'options',
  pl_avail: 'payload_available',
  pl_not_avail: 'payload_not_available',
  pl_off: 'payload_off',
  pl_on: 'payload_on',
  pl_prs: 'payload_press',
  ret: 'retain',
  stat_off: 'state_off',
  stat_on: 'state_on',
  stat_t: 'state_topic',
  stat_val_tpl: 'state_value_template',
  sug_dsp_prc: 'suggested_display_precision',
  t: 'topic',
  uniq_id: 'unique_id',
  unit_of_meas: 'unit_of_measurement',
  val_tpl: 'value_template',
  // The device's own.
  cns: 'connections',
  ids: 'identifiers',
  mf: 'manufacturer',
  mdl: 'model',
};

/** The keys of `source` written out (one level; `device` and `availability` entries too). */
function expand(source: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) config[ABBREVIATIONS[key] ?? key] = value;
  return config;
}

/** A topic with the config's `~` (base topic) put in, at its start or its end. */
function withBase(topic: unknown, base: unknown): string | undefined {
  if (typeof topic !== 'string' || topic === '') return undefined;
  if (typeof base !== 'string') return topic;
  if (topic.startsWith('~')) return base + topic.slice(1);
  if (topic.endsWith('~')) return topic.slice(0, -1) + base;
  return topic;
}

const text = (value: unknown, fallback: string): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : fallback;
const number = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;
const optionalText = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The component, node id and object id of a config topic under `prefix`; undefined for another topic. */
export function configTopicParts(
  prefix: string,
  topic: string
): { component: string; nodeId?: string; objectId: string } | undefined {
  const levels = topic.split('/');
  const start = prefix.split('/').length;
  if (levels.at(-1) !== 'config' || (levels.length !== start + 3 && levels.length !== start + 4)) return undefined;
  if (levels.slice(0, start).join('/') !== prefix) return undefined;
  const [component, ...ids] = levels.slice(start, -1);
  return ids.length === 2 ? { component, nodeId: ids[0], objectId: ids[1] } : { component, objectId: ids[0] };
}

function readTemplate(source: unknown): { template?: ValueTemplate | null; templateText?: string } {
  if (typeof source !== 'string' || source.trim() === '') return {};
  return { template: parseValueTemplate(source) ?? null, templateText: source };
}

function readAvailability(config: Record<string, unknown>, base: unknown): Availability[] {
  const available = text(config.payload_available, 'online');
  const notAvailable = text(config.payload_not_available, 'offline');
  const list: Availability[] = [];
  const add = (entry: Record<string, unknown>, template: unknown) => {
    const topic = withBase(entry.topic, base);
    if (!topic) return;
    list.push({
      topic,
      available: text(entry.payload_available, available),
      notAvailable: text(entry.payload_not_available, notAvailable),
      ...(typeof template === 'string' ? { template: readTemplate(template).template } : {}),
    });
  };
  if (config.availability_topic) add({ topic: config.availability_topic }, config.availability_template);
  if (Array.isArray(config.availability)) {
    for (const entry of config.availability) {
      if (entry && typeof entry === 'object') {
        const expanded = expand(entry as Record<string, unknown>);
        add(expanded, expanded.value_template);
      }
    }
  }
  return list;
}

function readDevice(source: unknown, fallbackId: string, fallbackName: string | undefined): DiscoveryDevice {
  const device = source && typeof source === 'object' ? expand(source as Record<string, unknown>) : {};
  const ids = device.identifiers;
  const connection = Array.isArray(device.connections) ? device.connections[0] : undefined;
  const id =
    (Array.isArray(ids) ? text(ids[0], '') : text(ids, '')) ||
    (Array.isArray(connection) ? connection.join(':') : '') ||
    fallbackId;
  return {
    id,
    name: optionalText(device.name) ?? (id === fallbackId ? fallbackName : undefined),
    manufacturer: optionalText(device.manufacturer),
    model: optionalText(device.model),
  };
}

/**
 * The entity a config describes. Throws a plain `Error` saying what is wrong for a config that
 * is not a JSON object or has no topic to show; returns the component name for one the kit does
 * not show.
 */
export function readConfig(configTopic: string, component: string, json: unknown): DiscoveryEntity | string {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error('the config is not a JSON object');
  if (!(COMPONENTS as readonly string[]).includes(component)) return component;
  const config = expand(json as Record<string, unknown>);
  const base = config['~'];
  const id = optionalText(config.unique_id) ?? configTopic;
  const name = optionalText(config.name);
  const payloadOn = text(config.payload_on, 'ON');
  const payloadOff = text(config.payload_off, 'OFF');
  const qos = config.qos === 1 || config.qos === 2 ? config.qos : 0;
  const { template, templateText } = readTemplate(config.value_template ?? config.state_value_template);
  const entity: DiscoveryEntity = {
    configTopic,
    component: component as Component,
    id,
    name,
    device: readDevice(config.device, id, name),
    stateTopic: withBase(config.state_topic, base),
    commandTopic: withBase(config.command_topic, base),
    template,
    templateText,
    unit: optionalText(config.unit_of_measurement),
    deviceClass: optionalText(config.device_class),
    precision: typeof config.suggested_display_precision === 'number' ? config.suggested_display_precision : undefined,
    payloadOn,
    payloadOff,
    stateOn: text(config.state_on, payloadOn),
    stateOff: text(config.state_off, payloadOff),
    payloadPress: text(config.payload_press, 'PRESS'),
    // Home Assistant's defaults for a number.
    min: number(config.min, 1),
    max: number(config.max, 100),
    step: number(config.step, 1),
    mode: optionalText(config.mode),
    options: Array.isArray(config.options) ? config.options.map((option) => text(option, '')) : [],
    schema: optionalText(config.schema),
    availability: readAvailability(config, base),
    availabilityMode: text(config.availability_mode, 'latest'),
    qos,
    retain: config.retain === true,
  };
  const needs = component === 'button' ? entity.commandTopic : (entity.stateTopic ?? entity.commandTopic);
  if (!needs) throw new Error(`the ${component} config has no ${component === 'button' ? 'command' : 'state'}_topic`);
  return entity;
}
