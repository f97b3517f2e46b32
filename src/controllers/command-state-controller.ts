import { notEqual, type ReactiveController } from 'lit';
import { firstControl, showState } from '../dom/controls.js';
import { commandWithdrawn, MqttDiagnosticError } from '../session/diagnostics.js';
import type { MqttMessage, PublishOptions } from '../session/message.js';
import type { ErrorReporter } from './error-reporter.js';
import { InteractionController } from './interaction-controller.js';
import type { SessionController, SessionHost } from './session-controller.js';
import { checkNumber, checkStateTopic, positive, type NumberRule } from './settings.js';
import { SubscriptionController } from './subscription-controller.js';

/** How long a command waits for its state, ms, when `confirm-timeout` is not set (or not valid). */
const DEFAULT_CONFIRM_TIMEOUT = 5000;

const TIMEOUT_RULE: NumberRule = {
  valid: positive,
  what: 'a number of milliseconds',
  allowed: 'a positive number of ms, such as confirm-timeout="3000"',
};

/** Why a command that had not left yet was withdrawn without a word: a newer one took its place. */
const REPLACED = new Error('A newer command replaced this one before it was sent.');

/** A command on its way: withdrawn through its controller; `sent` once the client has it. */
interface Command {
  readonly controller: AbortController;
  sent: boolean;
}

/** An element whose control sends commands and shows the state a device reports. */
export interface CommandStateHost extends SessionHost {
  /** The topic commands go to (for the hint when one is withdrawn). */
  topic?: string;
  /** Topic on which the device reports its state; none: no command waits. */
  stateTopic?: string | null;
  /** A field to extract from a JSON state. */
  statePath?: string;
  /** ms a command waits for its state. */
  confirmTimeout?: number | null;
  /** QoS of the state subscription. */
  qos: number;
  /** How a state is decoded. */
  type: string;
  /** The state that checks a checkbox or switch. */
  payloadOn: unknown;
  /** The state that unchecks a checkbox or switch. */
  payloadOff: unknown;
}

export interface CommandStateOptions {
  /** Reports an invalid `state-topic` or `confirm-timeout`, and the state subscription's problems. */
  reporter: ErrorReporter;
  /** The host's session controller, shared with its publishing. */
  sessions: SessionController;
  /** The host's internals, whose custom states (`:state(pending)`, `:state(timeout)`) show where a command stands. */
  internals: ElementInternals;
}

/**
 * The command/state split of a control: subscribes to the host's `state-topic` and shows the state
 * the device reports in the host's control (held back while the user is using it, see
 * {@link InteractionController}). The host tells it when the user asks for a command
 * ({@link commandRequested}), publishes with the options of {@link track}, and says when one could
 * not be published ({@link commandFailed}). A command is `:state(pending)` until a state comes, or
 * `:state(timeout)` after `confirm-timeout`, when the control shows the last confirmed state again
 * and a command that has not reached the broker is withdrawn. Validates `state-topic` and `confirm-timeout` on every host update.
 */
export class CommandStateController implements ReactiveController {
  private readonly interaction: InteractionController;
  /** The settings checked last (`undefined` before the first update, as Lit's changed properties). */
  private checkedTopic: string | null | undefined;
  private checkedTimeout: number | null | undefined;
  /** `state-topic` if it is a valid topic. */
  private stateFilter: string | undefined;
  /** `confirm-timeout` if valid. */
  private confirmWait = DEFAULT_CONFIRM_TIMEOUT;
  /** The last confirmed state, boxed: a device may report `null`. */
  private confirmed: { value: unknown } | undefined;
  /** Whether the control waits to show the confirmed state until the user lets go of it. */
  private stateDeferred = false;
  private confirmTimer: ReturnType<typeof setTimeout> | undefined;
  /** Where the last command stands, as shown by the custom states. */
  private commandState: 'pending' | 'timeout' | undefined;
  /** The last command, until its state came or it timed out. */
  private command: Command | undefined;
  /** Set while the controller writes a state into the control. */
  private writing = false;

  constructor(
    private readonly host: CommandStateHost,
    private readonly options: CommandStateOptions
  ) {
    // Added before the subscription, so that a new state-topic is checked before it subscribes.
    host.addController(this);
    this.interaction = new InteractionController(host, () => {
      if (this.stateDeferred) this.showConfirmed();
    });
    new SubscriptionController(host, {
      reporter: options.reporter,
      sessions: options.sessions,
      setting: 'state-topic',
      request: () =>
        this.stateFilter === undefined
          ? undefined
          : { filter: this.stateFilter, qos: host.qos, type: host.type, path: host.statePath },
      onMessage: (message) => this.stateReceived(message),
      onChange: () => this.forgetState(),
    });
  }

  /** Whether the controller is writing a state into the control: events that causes are no commands. */
  get showingState(): boolean {
    return this.writing;
  }

  /** The last state reported on `state-topic`; undefined before the first. */
  get state(): unknown {
    return this.confirmed?.value;
  }

  hostUpdate(): void {
    const { stateTopic, confirmTimeout } = this.host;
    if (notEqual(stateTopic, this.checkedTopic)) {
      this.checkedTopic = stateTopic;
      this.stateFilter = checkStateTopic(this.options.reporter, stateTopic);
      if (this.stateFilter === undefined) this.forgetState();
    }
    if (notEqual(confirmTimeout, this.checkedTimeout)) {
      this.checkedTimeout = confirmTimeout;
      const reporter = this.options.reporter;
      this.confirmWait = checkNumber(
        reporter,
        'confirm-timeout',
        confirmTimeout,
        DEFAULT_CONFIRM_TIMEOUT,
        TIMEOUT_RULE
      );
    }
  }

  hostDisconnected(): void {
    // No confirmation will come to an element that left the page, nor will it show what becomes of
    // a command that has not left yet: that one is withdrawn.
    this.withdraw(REPLACED);
    this.stopWaiting();
    if (this.commandState === 'pending') this.setCommandState(undefined);
  }

  /**
   * The user asked for a command, which may wait (in a throttle) before it is published: the element
   * is pending, and a state the control held back is superseded.
   */
  commandRequested(): void {
    if (this.stateFilter === undefined) return;
    this.stateDeferred = false;
    this.stopWaiting();
    this.setCommandState('pending');
  }

  /**
   * A command is being published: the publish options that tell this controller when it leaves and
   * let it withdraw it. A command waits `confirm-timeout` to be sent (it is queued while offline),
   * then `confirm-timeout` for its state; one that was not sent in time is withdrawn and never sent
   * later, and one sent but not acknowledged by the broker is taken back from the client. A newer
   * command replaces one that has not left yet. Without a `state-topic`: nothing to track.
   */
  track(): Pick<PublishOptions, 'signal' | 'onSend'> {
    if (this.stateFilter === undefined) return {};
    this.withdraw(REPLACED);
    const command: Command = { controller: new AbortController(), sent: false };
    this.command = command;
    this.commandRequested();
    this.waitFor(command);
    return {
      signal: command.controller.signal,
      onSend: () => {
        if (this.command !== command) return;
        command.sent = true;
        // The confirmation wait starts when the command leaves.
        this.waitFor(command);
      },
    };
  }

  /** Whether `error` only says that a newer command replaced this one (nothing to report). */
  replaced(error: unknown): boolean {
    return error === REPLACED;
  }

  /** A command that could not be published waits for no state: the control shows the confirmed one. */
  commandFailed(): void {
    if (this.commandState !== 'pending') return;
    this.stopWaiting();
    this.setCommandState(undefined);
    this.showConfirmed();
  }

  /**
   * Shows the confirmed state in the control, or holds it back while the user is using the control.
   * Also for a control added after the state came (the host's slot changed: a framework renders it
   * later), and for a custom control once it is defined.
   */
  showConfirmed(): void {
    if (!this.confirmed) return;
    if (this.interaction.active) {
      this.stateDeferred = true;
      return;
    }
    this.stateDeferred = false;
    const control = firstControl(this.host);
    if (!control) {
      // A custom control that is not defined yet has no value or checked to set: wait for it.
      const undefinedControl = this.host.querySelector(':not(:defined)');
      if (undefinedControl)
        void customElements.whenDefined(undefinedControl.localName).then(() => this.showConfirmed());
      return;
    }
    this.writing = true;
    try {
      showState(control, this.confirmed.value, this.host.payloadOn, this.host.payloadOff);
    } finally {
      this.writing = false;
    }
  }

  private waitFor(command: Command): void {
    clearTimeout(this.confirmTimer);
    this.confirmTimer = setTimeout(() => this.confirmTimedOut(command), this.confirmWait);
  }

  /** No state in time: the command is withdrawn (if the broker does not have it yet), the control shows the confirmed state. */
  private confirmTimedOut(command: Command): void {
    this.confirmTimer = undefined;
    this.command = undefined;
    const { topic = '' } = this.host;
    command.controller.abort(new MqttDiagnosticError(commandWithdrawn(topic, this.confirmWait, command.sent)));
    this.setCommandState('timeout');
    this.showConfirmed();
  }

  /** Withdraws the last command if it has not left yet. */
  private withdraw(reason: Error): void {
    const command = this.command;
    if (!command || command.sent) return;
    this.command = undefined;
    command.controller.abort(reason);
  }

  /** A state message: it confirms any command waiting, and the control shows it. */
  private stateReceived(message: MqttMessage): void {
    // A payload that could not be decoded was reported; the last good state stays.
    if (message.value === undefined) return;
    this.options.reporter.clear();
    this.confirmed = { value: message.value };
    // A retained state is what the broker kept from before (sent on a resubscribe after a
    // reconnect): it confirms no command, and the control keeps showing the command meanwhile.
    if (message.retain && this.commandState === 'pending') return;
    this.command = undefined;
    this.stopWaiting();
    this.setCommandState(undefined);
    this.showConfirmed();
  }

  /** No state topic any more, or another one: nothing is confirmed or awaited. */
  private forgetState(): void {
    this.withdraw(REPLACED);
    this.confirmed = undefined;
    this.stateDeferred = false;
    this.stopWaiting();
    this.setCommandState(undefined);
  }

  /**
   * Shows where the last command stands as a custom state (`:state(pending)`, `:state(timeout)`).
   * Where the browser has no custom states (Safari before 17.4), commands still work, unstyled.
   */
  private setCommandState(state: 'pending' | 'timeout' | undefined): void {
    this.commandState = state;
    const states = this.options.internals.states as CustomStateSet | undefined;
    try {
      for (const name of ['pending', 'timeout'] as const) {
        if (name === state) states?.add(name);
        else states?.delete(name);
      }
    } catch {
      // Chromium before 125 only took names that start with --.
    }
  }

  private stopWaiting(): void {
    clearTimeout(this.confirmTimer);
    this.confirmTimer = undefined;
  }
}
