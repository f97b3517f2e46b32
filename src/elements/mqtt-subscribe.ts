import { css, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { numbersFromStrings } from '../controllers/numbers.js';
import type { SubscriptionRequest } from '../controllers/subscription-controller.js';
import { applyBinding, checkBinding } from '../dom/bind.js';
import { MqttSubscriberElement } from './subscriber-element.js';

/**
 * Subscribes to a topic filter while it is inside a connected `<mqtt-connection>` (or names one with
 * `connection`), and fires `mqtt-message` once for every message, in order. With `bind`, writes each
 * value to its children (at most once per animation frame). Renders its children unchanged. In a
 * `persist` connection it gets each topic's remembered last message at load (`message.remembered`)
 * and carries the `stale` attribute until a live one comes.
 *
 * @tag mqtt-subscribe
 * @summary Receives the messages of a topic filter.
 *
 * @slot - Any content; `bind` writes to it.
 *
 * @event {MqttMessageEvent} mqtt-message - A message arrived. `detail` is the `MqttMessage`: `{ topic, payload, value, params, qos, retain, properties?, receivedAt, remembered? }`.
 * @event {MqttErrorEvent} mqtt-error - An invalid filter, a payload that cannot be decoded as asked, a refused subscription. `detail: { error, code?, hint }`.
 */
export class MqttSubscribe extends MqttSubscriberElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** Sets each value on the children: a property name (`checked`, `value`, `textContent`, ...) or `attr:NAME`. */
  @property() bind?: string;

  /** CSS selector (relative to this element) of the elements `bind` writes to. Default: every element child. */
  @property() target?: string;

  /** While set, unsubscribed. */
  @property({ type: Boolean, reflect: true }) paused = false;

  /** MQTT 5: do not receive messages this connection published itself. */
  @property({ attribute: 'no-local', type: Boolean }) noLocal = false;

  /** MQTT 5: keep the retain flag as it was published. */
  @property({ attribute: 'retain-as-published', type: Boolean }) retainAsPublished = false;

  /** MQTT 5: 0 send retained messages on subscribe, 1 only for a new subscription, 2 never. */
  @property({ attribute: 'retain-handling', type: Number }) retainHandling: 0 | 1 | 2 = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    numbersFromStrings(this, ['retainHandling'], changed);
  }

  protected override subscription(): SubscriptionRequest | undefined {
    const request = super.subscription();
    if (!request || this.paused) return undefined;
    return {
      ...request,
      noLocal: this.noLocal,
      retainAsPublished: this.retainAsPublished,
      retainHandling: this.retainHandling,
    };
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  protected override received(): void {
    if (this.bind) this.scheduleFrame();
  }

  /** Writes the latest value to the bound children. */
  protected override onFrame(): void {
    const bind = this.bind;
    if (!bind || !this.isConnected) return;
    try {
      checkBinding(bind);
      this.reporter.settle('bind');
    } catch (error) {
      this.reporter.report(error, 'bind');
      return;
    }
    try {
      const targets = this.target ? this.querySelectorAll(this.target) : this.children;
      for (const target of Array.from(targets)) applyBinding(target, bind, this.value);
    } catch (error) {
      this.reporter.report(error);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mqtt-subscribe': MqttSubscribe;
  }
}
