import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { mqttContext, type MqttSessionApi } from '../context.js';
import type { ConnectionStatus } from '../session/message.js';
import { findSession, watchSession } from './registry.js';

/** An element that talks to a connection: nested inside it, or naming it with `connection`. */
export interface SessionHost extends ReactiveControllerHost, HTMLElement {
  /** The id of the `<mqtt-connection>` to use instead of the nearest ancestor. */
  connection?: string;
}

/**
 * Finds the session an element talks to: the one named by its `connection` attribute, else the one
 * its nearest `<mqtt-connection>` provides through `@lit/context` (also when that connection
 * upgrades later, or the element moves). Tracks the session's status.
 */
export class SessionController implements ReactiveController {
  /** The session in use, if any. */
  session: MqttSessionApi | undefined;
  /** The session's status (`disconnected` without one). */
  status: ConnectionStatus = 'disconnected';

  private contextSession: MqttSessionApi | undefined;
  private isConnected = false;
  private watchedId: string | undefined;
  private unwatchId: (() => void) | undefined;
  private unwatchStatus: (() => void) | undefined;

  constructor(
    private readonly host: SessionHost,
    private readonly onStatus?: (status: ConnectionStatus) => void
  ) {
    // Added before the consumer, so that hostConnected clears the old context before it asks again.
    host.addController(this);
    new ContextConsumer(host, {
      context: mqttContext,
      subscribe: true,
      callback: (session) => {
        this.contextSession = session;
        this.resolve();
      },
    });
  }

  hostConnected(): void {
    this.isConnected = true;
    this.contextSession = undefined;
    this.resolve();
  }

  hostUpdate(): void {
    this.resolve();
  }

  hostDisconnected(): void {
    this.isConnected = false;
    this.contextSession = undefined;
    this.resolve();
  }

  private resolve(): void {
    const id = this.isConnected ? this.host.connection || undefined : undefined;
    if (id !== this.watchedId) {
      this.unwatchId?.();
      this.unwatchId = id ? watchSession(id, () => this.resolve()) : undefined;
      this.watchedId = id;
    }
    const session = !this.isConnected ? undefined : id ? findSession(this.host, id) : this.contextSession;
    if (session === this.session) return;
    this.unwatchStatus?.();
    this.session = session;
    this.unwatchStatus = session?.watchStatus((status) => this.setStatus(status));
    this.setStatus(session?.status ?? 'disconnected');
    this.host.requestUpdate();
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.onStatus?.(status);
  }
}
