import type { ReactiveController } from 'lit';
import type { MqttSessionApi } from '../context.js';
import type { HintedError, MqttMessage, SubscribeOptions } from '../session/message.js';
import type { ErrorReporter } from './error-reporter.js';
import { SessionController, type SessionHost } from './session-controller.js';
import { checkQos, checkType } from './settings.js';

/** What to subscribe to right now; `undefined`: nothing (no topic, paused). */
export interface SubscriptionRequest {
  readonly filter: string | undefined;
  readonly qos?: number;
  readonly type?: string;
  readonly path?: string;
  readonly noLocal?: boolean;
  readonly retainAsPublished?: boolean;
  readonly retainHandling?: number;
  /** With a `persist` connection: how many of each topic's last messages to remember (see `SubscribeOptions`). */
  readonly remember?: number;
}

export interface SubscriptionControllerOptions {
  /** Read on every host update: what the element wants to receive. */
  request: () => SubscriptionRequest | undefined;
  /** Called once for every message, in order. */
  onMessage: (message: MqttMessage) => void;
  /** Called when the filter or its decoding changes, so that the old topic's value is dropped. */
  onChange?: () => void;
  /** Reports the element's problems (invalid filter, payload that cannot be decoded, refusal). */
  reporter: ErrorReporter;
  /** The session controller to use; one is made when left out. */
  sessions?: SessionController;
  /** The attribute whose problems an invalid filter is reported under (default `topic`). */
  setting?: string;
}

/**
 * The subscription lifecycle every subscriber element shares: subscribes while the host is connected
 * to a session and has a filter; follows changes of filter, options and session; unsubscribes when
 * the host leaves. Validates the shared vocabulary (`topic`, `qos`, `type`) and reports problems.
 */
export class SubscriptionController implements ReactiveController {
  readonly sessions: SessionController;
  /** The request subscribed to now. */
  private current: SubscriptionRequest | undefined;
  /** The last request subscribed to, across sessions. */
  private last: SubscriptionRequest | undefined;
  private session: MqttSessionApi | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    host: SessionHost,
    private readonly options: SubscriptionControllerOptions
  ) {
    this.sessions = options.sessions ?? new SessionController(host);
    host.addController(this);
  }

  /**
   * Subscribes as soon as the host is connected, before its first render: a page that adds many
   * elements at once gets its SUBSCRIBE packet on the wire while the elements still render.
   */
  hostConnected(): void {
    this.sync();
  }

  hostUpdate(): void {
    this.sync();
  }

  hostDisconnected(): void {
    this.stop();
  }

  private sync(): void {
    const session = this.sessions.session;
    const request = session ? this.options.request() : undefined;
    // No topic (null or undefined): nothing to do. An empty one (topic="") is a mistake that
    // subscribe() reports.
    const wanted = request?.filter != null ? request : undefined;
    // Every update of the host comes here: compared field by field, nothing built or serialized.
    if (session === this.session && sameRequest(wanted, this.current)) return;
    this.stop();
    this.session = session;
    this.current = wanted;
    // A new session with the same request keeps the value; a new filter, type or path does not.
    if (wanted && !sameRequest(wanted, this.last)) {
      if (this.last !== undefined) {
        // A new request starts without the old one's value and problems.
        this.options.onChange?.();
        this.options.reporter.clear();
      }
      this.last = wanted;
    }
    const reporter = this.options.reporter;
    const setting = this.options.setting ?? 'topic';
    if (!session || request?.filter == null) {
      reporter.settle(setting);
      return;
    }
    try {
      this.unsubscribe = session.subscribe(request.filter, this.options.onMessage, this.subscribeOptions(request));
      reporter.settle(setting);
    } catch (error) {
      reporter.report(error, setting);
    }
  }

  private subscribeOptions(request: SubscriptionRequest): SubscribeOptions {
    return {
      qos: checkQos(this.options.reporter, request.qos),
      type: checkType(this.options.reporter, request.type),
      path: request.path || undefined,
      // Subscribing can come before the host's first update has read framework strings ('1', 'true'):
      // MQTT.js ends the connection over an option of the wrong type.
      noLocal: asBoolean(request.noLocal),
      retainAsPublished: asBoolean(request.retainAsPublished),
      retainHandling: asRetainHandling(request.retainHandling),
      remember: request.remember,
      onError: (error: HintedError) => this.options.reporter.report(error),
    };
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.session = undefined;
    this.current = undefined;
  }
}

const REQUEST_FIELDS = [
  'filter',
  'qos',
  'type',
  'path',
  'noLocal',
  'retainAsPublished',
  'retainHandling',
  'remember',
] as const;

function sameRequest(a: SubscriptionRequest | undefined, b: SubscriptionRequest | undefined): boolean {
  if (!a || !b) return a === b;
  for (const field of REQUEST_FIELDS) if (a[field] !== b[field]) return false;
  return true;
}

function asBoolean(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value !== 'false' : Boolean(value);
}

function asRetainHandling(value: unknown): 0 | 1 | 2 | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return number === 0 || number === 1 || number === 2 ? number : undefined;
}
