import type { ReactiveController } from 'lit';
import type { MqttSessionApi } from '../context.js';
import type { MqttMessage } from '../session/message.js';
import type { SessionController } from './session-controller.js';

/**
 * Subscriptions to a set of topics that changes (the availability topics of discovered entities):
 * {@link want} says which; each is subscribed once in the host's session, follows a change of
 * session, and is unsubscribed when no longer wanted or when the host leaves.
 */
export class TopicSetController implements ReactiveController {
  private wanted = new Set<string>();
  private readonly held = new Map<string, () => void>();
  private session: MqttSessionApi | undefined;

  constructor(
    host: { addController(controller: ReactiveController): void },
    private readonly sessions: SessionController,
    private readonly onMessage: (message: MqttMessage) => void
  ) {
    host.addController(this);
  }

  /** The topics to hold from now on. */
  want(topics: Set<string>): void {
    this.wanted = topics;
    this.sync();
  }

  hostConnected(): void {
    this.sync();
  }

  hostUpdate(): void {
    this.sync();
  }

  hostDisconnected(): void {
    this.release();
  }

  private sync(): void {
    const session = this.sessions.session;
    if (session !== this.session) {
      this.release();
      this.session = session;
    }
    if (!session) return;
    for (const [topic, unsubscribe] of this.held) {
      if (this.wanted.has(topic)) continue;
      unsubscribe();
      this.held.delete(topic);
    }
    for (const topic of this.wanted) {
      if (this.held.has(topic)) continue;
      try {
        this.held.set(topic, session.subscribe(topic, this.onMessage, { type: 'text' }));
      } catch {
        // A config naming an invalid topic: that entity simply never becomes available.
      }
    }
  }

  private release(): void {
    for (const unsubscribe of this.held.values()) unsubscribe();
    this.held.clear();
    this.session = undefined;
  }
}
