import type { IConnackPacket, MqttClient } from 'mqtt';
import {
  connackRefused,
  connectionFailed,
  connectionFlapping,
  connectionLost,
  disconnectedByBroker,
  reconnectFailed,
} from './diagnostics.js';
import { AUTH_REFUSALS, FINAL_REFUSALS, REFUSED_CLOSE } from './connection-options.js';
import { ConnectionBase } from './connection-base.js';

export type { ConnectionOptions, SessionConfig, SessionHooks } from './connection-options.js';

/**
 * The life of a connection's clients: what each event of the client in use means (accepted,
 * refused, lost, closed by the broker), the diagnosis of every failure, and what comes next.
 * Events of a client that was replaced are ignored.
 */
export class Connection extends ConnectionBase {
  protected watch(client: MqttClient): void {
    this.client = client;
    client.on('connect', (connack) => this.onConnect(client, connack));
    client.on('close', () => this.onClose(client));
    client.on('error', (error) => this.onError(client, error));
    client.on('disconnect', (packet) => {
      if (client !== this.client) return;
      const reason = packet.reasonCode;
      if (reason) {
        // An accepted connection closed for its credentials (an expired token): ask again at once.
        if (this.config?.credentials && AUTH_REFUSALS.has(reason) && !this.refused) this.refused = true;
        else this.fail(disconnectedByBroker(reason));
      }
      this.hooks.disconnect?.(reason);
    });
  }

  private onConnect(client: MqttClient, connack: IConnackPacket): void {
    if (client !== this.client) return;
    this.policy.connected(Date.now());
    this.brokers.connected();
    this.worked.add(this.brokers.current);
    this.reported = false;
    this.refused = false;
    const previous = this.status;
    this.box.status = 'connected';
    this.options.accepted(client, connack);
    if (this.plan) this.renewal?.schedule(this.plan);
    this.box.changed(previous);
    this.hooks.connect?.(connack);
  }

  private onError(client: MqttClient, error: Error & { code?: number | string }): void {
    if (client !== this.client) return;
    const url = this.brokers.current;
    if (typeof error.code === 'number' && /refused/i.test(error.message)) {
      this.refusal(error.code, error);
      return;
    }
    this.fail(
      this.status === 'connected'
        ? connectionLost(url, error.message)
        : this.worked.has(url)
          ? reconnectFailed(url, error.message)
          : connectionFailed(url, error.message),
      error
    );
  }

  /**
   * The broker refused the connection with `code` (a CONNACK code). Credentials from the provider
   * are asked for once more, at once; otherwise a code no retry can fix ends the connection.
   */
  private refusal(code: number, cause?: unknown): void {
    if (this.config?.credentials && AUTH_REFUSALS.has(code) && !this.refused) {
      this.refused = true;
      this.reported = true;
      return;
    }
    this.fail(connackRefused(code, this.protocolVersion), cause);
    if (!FINAL_REFUSALS.has(code)) return;
    void this.endClient();
    this.setStatus('disconnected');
  }

  private onClose(client: MqttClient): void {
    if (client !== this.client) return;
    this.renewal?.cancel();
    const wasConnected = this.status === 'connected';
    if (!wasConnected && !this.reported && REFUSED_CLOSE.test(this.closeReason)) {
      // Refused without a CONNACK (RabbitMQ's Web MQTT): as "not authorized".
      this.refusal(5, new Error(`WebSocket closed: ${this.closeReason}`));
      if (!this.client) return;
    }
    const url = this.brokers.current;
    // A persistent session (clean=false) keeps its subscriptions on the broker across the break.
    this.options.lost(this.config?.options?.clean === false);
    if (!wasConnected && !this.reported && this.config) {
      const detail = 'the connection closed before the broker accepted it';
      this.fail(
        this.worked.has(url) ? reconnectFailed(url, detail) : connectionFailed(url, detail, this.protocolVersion, true)
      );
    }
    this.reported = false;
    if (wasConnected) {
      this.hooks.disconnect?.();
      if (this.policy.closed(Date.now())) this.fail(connectionFlapping(url, this.policy.flaps));
    }
    if (this.policy.period <= 0) {
      this.setStatus('disconnected');
      void this.endClient();
      return;
    }
    this.setStatus('reconnecting');
    if (this.refused) void this.attempt('refused');
    else this.failed();
  }
}
