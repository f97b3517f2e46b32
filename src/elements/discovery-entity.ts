import { html, nothing, type TemplateResult } from 'lit';
import type { DiscoveryEntity } from '../discovery/config.js';
import { applyTemplate } from '../discovery/template.js';

/**
 * How `<mqtt-discovery>` shows each component, with the kit's own elements: every string from a
 * config goes in as text or as an attribute value, never as HTML.
 */

/** Words for a binary sensor's two states, by `device_class`, as Home Assistant shows them. */
const BINARY_WORDS: Record<string, [string, string]> = {
  battery: ['Low', 'Normal'],
  connectivity: ['Connected', 'Disconnected'],
  door: ['Open', 'Closed'],
  garage_door: ['Open', 'Closed'],
  lock: ['Unlocked', 'Locked'],
  moisture: ['Wet', 'Dry'],
  motion: ['Detected', 'Clear'],
  occupancy: ['Detected', 'Clear'],
  opening: ['Open', 'Closed'],
  presence: ['Home', 'Away'],
  problem: ['Problem', 'OK'],
  smoke: ['Detected', 'Clear'],
  window: ['Open', 'Closed'],
};

/**
 * The entity's name as its card shows it: without its device's name in front (Tasmota's "Heater
 * plug Power" is "Power"); without one, its device class (`temperature`: "Temperature"), else its
 * device's name, else what its config topic calls it.
 */
export function entityName(entity: DiscoveryEntity, device = entity.device.name): string {
  const name = entity.name;
  if (name && device && name.startsWith(`${device} `)) return name.slice(device.length + 1);
  if (name) return name;
  const deviceClass = entity.deviceClass?.replaceAll('_', ' ');
  if (deviceClass && entity.component === 'sensor') return deviceClass[0].toUpperCase() + deviceClass.slice(1);
  return device ?? entity.configTopic.split('/').slice(-2, -1)[0];
}

/**
 * The path a template reads, the digits to show (its `round(n)`, else the config's precision) and
 * what it does to the value (`float`, `int`, text filters). A template the kit cannot read: the raw value.
 */
function reading(entity: DiscoveryEntity): { path?: string; digits?: number; transform?: (value: unknown) => unknown } {
  const template = entity.template ?? undefined;
  const digits = template?.digits ?? (template?.number === 'int' ? undefined : entity.precision);
  const transform =
    template && (template.number || template.text) ? (value: unknown) => applyTemplate(template, value) : undefined;
  return { path: template?.path, digits, transform };
}

/** How a command is sent: the publish's payload template and type, and where its state is read. */
interface Command {
  readonly statePath?: string;
  readonly type?: 'json' | 'text';
  readonly payload?: string;
}

/** The `<mqtt-publish>` around `control` that sends the entity's commands and shows its confirmed state. */
function command(entity: DiscoveryEntity, control: TemplateResult, how: Command): TemplateResult {
  return html`<mqtt-publish
    part="control"
    topic=${entity.commandTopic ?? nothing}
    state-topic=${entity.component === 'button' ? nothing : (entity.stateTopic ?? nothing)}
    state-path=${how.statePath ?? nothing}
    type=${how.type ?? 'text'}
    payload=${how.payload ?? nothing}
    payload-on=${entity.payloadOn}
    payload-off=${entity.payloadOff}
    qos=${entity.qos}
    ?retain=${entity.retain}
    >${control}</mqtt-publish
  >`;
}

/** The control or value of one entity. */
export function entityView(entity: DiscoveryEntity, name: string): TemplateResult {
  const { path, digits, transform } = reading(entity);
  const state = entity.stateTopic;
  switch (entity.component) {
    case 'sensor':
      return html`<mqtt-value
        part="reading"
        topic=${state ?? nothing}
        path=${path ?? nothing}
        digits=${digits ?? nothing}
        unit=${entity.unit ?? nothing}
        .transform=${transform}
      ></mqtt-value>`;
    case 'binary_sensor': {
      const [on, off] = BINARY_WORDS[entity.deviceClass ?? ''] ?? ['On', 'Off'];
      return html`<mqtt-value
        part="reading"
        topic=${state ?? nothing}
        path=${path ?? nothing}
        map=${JSON.stringify({ [entity.payloadOn]: on, [entity.payloadOff]: off })}
      ></mqtt-value>`;
    }
    case 'switch':
    case 'light':
    case 'fan': {
      const json = entity.component === 'light' && entity.schema === 'json';
      const control = html`<input part="switch" type="checkbox" role="switch" aria-label=${name} />`;
      return json
        ? command(entity, control, { statePath: 'state', type: 'json', payload: '{"state": {value}}' })
        : command(entity, control, { statePath: path });
    }
    case 'number': {
      const box = entity.mode === 'box';
      const control = html`<input
        part=${box ? 'number' : 'slider'}
        type=${box ? 'number' : 'range'}
        min=${entity.min}
        max=${entity.max}
        step=${entity.step}
        aria-label=${name}
      />`;
      return html`${command(entity, control, { statePath: path })}${
        box || !state
          ? nothing
          : html`<mqtt-value
              part="reading"
              topic=${state}
              path=${path ?? nothing}
              unit=${entity.unit ?? nothing}
            ></mqtt-value>`
      }`;
    }
    case 'select': {
      const control = html`<select part="select" aria-label=${name}>
        ${entity.options.map((option) => html`<option .value=${option}>${option}</option>`)}
      </select>`;
      return command(entity, control, { statePath: path });
    }
    case 'button':
      return command(entity, html`<button part="button" type="button">${entity.name ? 'Press' : name}</button>`, {
        payload: entity.payloadPress,
      });
  }
}
