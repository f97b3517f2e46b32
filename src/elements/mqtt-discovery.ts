import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ErrorReporter } from '../controllers/error-reporter.js';
import { SubscriptionController } from '../controllers/subscription-controller.js';
import { TopicSetController } from '../controllers/topic-set-controller.js';
import type { DiscoveryEntity } from '../discovery/config.js';
import { DiscoveredDevices, type DeviceCard } from '../discovery/devices.js';
import { MqttDiagnosticError } from '../session/diagnostics.js';
import type { MqttMessage } from '../session/message.js';
import { entityName, entityView } from './discovery-entity.js';

/** A list attribute (`components="sensor switch"`, `devices="Kitchen plug, 0x00158d00"`) as a set, lower case. */
function listOf(text: string | undefined, separator: RegExp): Set<string> | undefined {
  const items = text
    ?.split(separator)
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);
  return items && items.length > 0 ? new Set(items) : undefined;
}

/**
 * A dashboard with no markup: reads Home Assistant MQTT discovery (retained JSON configs on
 * `<prefix>/<component>/[<node_id>/]<object_id>/config`, as zigbee2mqtt, Tasmota, ESPHome and many
 * devices publish them) and shows a card per device, built of the kit's own elements: `sensor` a
 * value with its unit; `binary_sensor` a value in words (by `device_class`); `switch`, on/off
 * `light` and `fan` a switch that shows the state the device confirms; `number` a slider (or a
 * number field with `mode: box`); `select` a select of its options; `button` a button. Abbreviated
 * keys and `~` are read; `value_template` in its common forms (`{{ value }}`,
 * `{{ value_json.a.b }}`, `{{ value_json['a'] }}`, with `| float`, `| int`, `| round(n)`); another
 * template shows the raw value and is noted once on the console, as is each component it does not
 * show. `availability` (one topic or a list, `availability_mode`) marks an entity `unavailable` and
 * disables its control. An empty retained config removes its entity. Nothing in a config is
 * inserted as HTML.
 *
 * @tag mqtt-discovery
 * @summary A dashboard built from Home Assistant MQTT discovery.
 *
 * @csspart card - One device: a `<section>` named by its heading.
 * @csspart device-name - The device's name (an `<h2>`: a page's main heading comes before the cards).
 * @csspart device-info - Its manufacturer and model, where given.
 * @csspart entity - One entity: its name and its value or control; `data-component` names its component, `data-unavailable` is set while it is unavailable.
 * @csspart name - The entity's name.
 * @csspart reading - A sensor's value (an `<mqtt-value>`).
 * @csspart control - A control (an `<mqtt-publish>` around an input, a select or a button).
 * @csspart switch - The checkbox of a switch, light or fan (`role="switch"`): `::part(switch):checked` styles it on.
 * @csspart slider - The range input of a number.
 * @csspart number - The number field of a number with `mode: box`.
 * @csspart select - The select of a select.
 * @csspart button - The button of a button.
 * @csspart unavailable - The word shown while the entity is unavailable.
 * @csspart empty - What is shown before any device came.
 *
 * @cssproperty --mqtt-discovery-card-width - The least width of a card. Default: 16rem.
 *
 * @event {MqttErrorEvent} mqtt-error - A config that is not valid JSON or names no topic to show. `detail: { error, code?, hint }`.
 */
export class MqttDiscovery extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(var(--mqtt-discovery-card-width, 16rem), 1fr));
      gap: 1rem;
    }
    [part='card'] {
      border: 1px solid rgba(128, 128, 128, 0.35);
      border-radius: 0.5rem;
      padding: 0.75rem 1rem;
    }
    h2 {
      margin: 0;
      font-size: 1rem;
    }
    [part='device-info'] {
      margin: 0.1rem 0 0.5rem;
      font-size: 0.85em;
    }
    [part='entity'] {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 0.75rem;
      min-height: 2rem;
    }
    .view {
      display: flex;
      align-items: center;
      gap: 0.5rem;
    }
    [data-unavailable] [part='control'],
    [data-unavailable] [part='reading'] {
      opacity: 0.45;
    }
  `;

  /**
   * The discovery prefix: the first levels of every config topic. (It shadows the DOM's `prefix`, a
   * namespace prefix that HTML elements never have, so that frameworks can set it as a property.)
   */
  @property() override prefix = 'homeassistant';

  /** Only these components, separated by spaces (`sensor switch`). Default: every one it shows. */
  @property() components?: string;

  /** Only these devices: their names or identifiers, separated by commas. Default: every device. */
  @property() devices?: string;

  /** The id of the `<mqtt-connection>` to use instead of the nearest ancestor. */
  @property() connection?: string;

  private model = new DiscoveredDevices(this.prefix);
  private readonly reporter = new ErrorReporter(this);
  private readonly noted = new Set<string>();
  private frame = 0;

  private readonly configs = new SubscriptionController(this, {
    reporter: this.reporter,
    setting: 'prefix',
    // With a `persist` connection the configs are remembered too: the cards come back at the next load.
    request: () => ({ filter: `${this.prefix}/#`, type: 'text', remember: 1 }),
    onMessage: (message) => this.configMessage(message),
    onChange: () => {
      this.model = new DiscoveredDevices(this.prefix);
      this.schedule();
    },
  });

  private readonly availability = new TopicSetController(this, this.configs.sessions, (message) => {
    if (this.model.available(message.topic, String(message.value))) this.schedule();
  });

  /** The devices shown now, with their entities (after `components` and `devices`). @readonly */
  get cards(): DeviceCard[] {
    const components = listOf(this.components, /\s+/);
    const devices = listOf(this.devices, /,/);
    return this.model
      .cards()
      .filter(
        ({ device }) =>
          !devices || devices.has(device.id.toLowerCase()) || devices.has((device.name ?? '').toLowerCase())
      )
      .map(({ device, entities }) => ({
        device,
        entities: entities.filter((entity) => !components || components.has(entity.component)),
      }))
      .filter((card) => card.entities.length > 0);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('prefix')) this.prefix = this.prefix.replace(/\/+$/, '') || 'homeassistant';
  }

  protected override render() {
    const cards = this.cards;
    if (cards.length === 0) {
      return html`<p part="empty">Waiting for devices to describe themselves on ${this.prefix}/…</p>`;
    }
    return cards.map(({ device, entities }) => {
      const about = [device.manufacturer, device.model].filter(Boolean).join(' ');
      const heading = device.name ?? entityName(entities[0]);
      return html`<section part="card" aria-label=${heading}>
        <h2 part="device-name">${heading}</h2>
        ${about ? html`<p part="device-info">${about}</p>` : nothing}
        ${entities.map((entity) => this.entity(entity, heading))}
      </section>`;
    });
  }

  private entity(entity: DiscoveryEntity, device: string) {
    const name = entityName(entity, device);
    const available = this.model.isAvailable(entity);
    return html`<div part="entity" data-component=${entity.component} ?data-unavailable=${!available}>
      <span part="name">${name}</span>
      <span class="view" ?inert=${!available}>${entityView(entity, name)}</span>
      ${available ? nothing : html`<span part="unavailable">unavailable</span>`}
    </div>`;
  }

  private configMessage(message: MqttMessage): void {
    if (this.model.prefix !== this.prefix) this.model = new DiscoveredDevices(this.prefix);
    const change = this.model.config(message.topic, String(message.value ?? ''));
    switch (change.kind) {
      case 'ignored':
        return;
      case 'unknown':
        this.note(
          `component:${change.component}`,
          `components it does not show yet: ${change.component} (${message.topic})`
        );
        return;
      case 'invalid':
        this.reporter.report(
          new MqttDiagnosticError({
            message: `The discovery config on ${message.topic} was skipped: ${change.reason}.`,
            hint: 'The device (or the program that publishes its config) sent a config Home Assistant could not read either; check its settings.',
          })
        );
        break;
      case 'entity':
        if (change.entity.template === null) {
          this.note(
            `template:${change.entity.templateText}`,
            `a value_template it cannot read, shown raw: ${change.entity.templateText} (${message.topic})`
          );
        }
    }
    this.availability.want(this.model.availabilityTopics());
    this.schedule();
  }

  /** One console line per kind of thing it leaves out. */
  private note(key: string, what: string): void {
    if (this.noted.has(key)) return;
    this.noted.add(key);
    console.info(`<mqtt-discovery>: not shown: ${what}`);
  }

  /** At most one render per animation frame, however many configs and availability messages come. */
  private schedule(): void {
    if (this.frame || !this.isConnected) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.requestUpdate();
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mqtt-discovery': MqttDiscovery;
  }
}
