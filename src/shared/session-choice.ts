import type { SessionConfig, SessionHooks } from '../session/connection.js';
import { MqttSession } from '../session/session.js';
import { openSharedWorker } from '../shared-worker.js';
import type { SharedSession } from './shared-session.js';
import type { TabPublish } from './tab-publishes.js';

/** Whether the page was told that `shared` fell back to a connection of the tab's own (it is told once). */
let warned = false;
/**
 * The tab's side of a shared connection, loaded on first use: a page without `shared` does not
 * download it (in the CDN bundle it is a file of its own next to the bundle).
 */
let Shared: typeof SharedSession | undefined;
let loading: Promise<typeof SharedSession> | undefined;

/** Publishes `items`, taken from another session, through `session`: each settles its own promise. */
function republish(session: MqttSession | SharedSession, items: readonly TabPublish[]): void {
  for (const { topic, payload, options, resolve, reject } of items)
    session.publish(topic, payload, options).then(resolve, reject);
}

/** Whether `config` can be sent to a worker (functions and sockets in `options` cannot). */
function canShare(config: SessionConfig): boolean {
  try {
    structuredClone(config.options);
    return true;
  } catch {
    return false;
  }
}

/** What a connection element needs of its sessions: the hooks of each, and what to do on a change. */
export interface SessionChoiceHost {
  /** What the session in use tells (those of the other are not passed on). */
  readonly hooks: SessionHooks;
  /** `session` is now the one in use. */
  changed(session: MqttSession | SharedSession): void;
  /** Open again: the shared session's code has loaded, or it was refused after it was opened. */
  reopen(): void;
  /** Where the SharedWorker is, if not next to the kit's module. */
  workerUrl(): string | URL | undefined;
}

/**
 * Which session a `<mqtt-connection>` uses: a connection of the tab's own, or, with `shared`, the
 * tab's side of the one the SharedWorker holds for every tab with the same settings; and the move
 * from one to the other. Where sharing cannot be had, says why once on the console and uses the
 * tab's own from then on.
 */
export class SessionChoice {
  /** The connection of the tab's own. */
  readonly local: MqttSession;
  /** The session in use: `local`, or the shared one. */
  current: MqttSession | SharedSession;
  private shared: SharedSession | undefined;
  /** Why sharing could not be had. */
  private refused: string | undefined;

  constructor(private readonly host: SessionChoiceHost) {
    this.local = new MqttSession(this.hooksWhile(() => this.current === this.local));
    this.current = this.local;
  }

  /**
   * The session for `config`, in use from now on: the shared one where asked for and possible.
   * Undefined while the shared session's code loads (`reopen` follows).
   */
  choose(shared: boolean, config: SessionConfig): MqttSession | SharedSession | undefined {
    const session = shared && !this.refused ? this.sharedFor(config) : this.local;
    if (session) this.use(session);
    return session;
  }

  private sharedFor(config: SessionConfig): MqttSession | SharedSession | undefined {
    if (!canShare(config)) {
      this.refuse('its `options` hold functions or objects that cannot be sent to a worker');
      return this.local;
    }
    if (!Shared) {
      loading ??= import('./shared-session.js').then((module) => (Shared = module.SharedSession));
      loading.then(
        () => this.host.reopen(),
        (error: unknown) => {
          this.refuse(`its code could not be loaded (${String(error)})`);
          this.host.reopen();
        }
      );
      return undefined;
    }
    return (this.shared ??= new Shared(
      () => openSharedWorker(this.host.workerUrl()),
      this.hooksWhile(() => this.current === this.shared),
      (reason) => {
        this.refuse(reason);
        if (this.current !== this.shared) return;
        // The worker never answered: what was published meanwhile goes through the tab's own connection.
        const waiting = this.shared.takeUnanswered();
        this.host.reopen();
        republish(this.current, waiting);
      }
    ));
  }

  /** The host's hooks, called only while `inUse()`. */
  private hooksWhile(inUse: () => boolean): SessionHooks {
    const hooks = this.host.hooks as Record<string, (...args: unknown[]) => void>;
    return Object.fromEntries(
      Object.entries(hooks).map(([name, hook]) => [name, (...args: unknown[]) => inUse() && hook(...args)])
    );
  }

  /**
   * After the session in use was opened: what waits to be published in the tab's own connection,
   * which it left, goes out through it (a publish made before the first connection, or while the
   * shared session's code loaded), with its promise and its signal.
   */
  carryOver(): void {
    if (this.current !== this.local) republish(this.current, this.local.takeQueued());
  }

  private use(session: MqttSession | SharedSession): void {
    const old = this.current;
    if (session === old) return;
    this.current = session;
    old.persist(undefined);
    void old.close();
    this.host.changed(session);
  }

  private refuse(reason: string): void {
    this.refused = reason;
    if (warned) return;
    warned = true;
    console.warn(
      `<mqtt-connection shared>: ${reason}, so this tab uses a broker connection of its own.\n` +
        "Sharing needs a browser with SharedWorker and mqtt-elements-worker.js served from the page's own origin " +
        '(with the kit from a CDN, copy the file to your site and set MqttConnection.sharedWorkerUrl); ' +
        'under a Content-Security-Policy, a worker-src that allows it.'
    );
  }
}
