import type { IConnackPacket } from 'mqtt';
import type { MqttCredentials, MqttCredentialsRequest } from '../session/credentials.js';
import { forgetUrl } from '../session/memory.js';
import type { HintedError } from '../session/message.js';
import { MqttSession } from '../session/session.js';
import {
  errorData,
  errorFrom,
  settingsKey,
  type SharedStats,
  type TabMessage,
  type WorkerMessage,
} from './protocol.js';
import { Member, portable, type HubPort, type WatchLock } from './member.js';

export type { HubPort, WatchLock } from './member.js';

/** A credentials request sent to a tab. */
interface Asking {
  member: Member;
  request: MqttCredentialsRequest;
  settle(answer: TabMessage & { t: 'credentials-answer' }): void;
}

/** Credentials requests, numbered across sessions (a tab's answer names the one it answers). */
let nextRequest = 0;

/** One broker connection and the tabs that share it. */
export class Shared {
  readonly members: Set<Member> = new Set();
  connack: IConnackPacket | undefined;
  error: HintedError | undefined;
  readonly session: MqttSession;
  /** Credentials requests waiting for a tab's answer, by request id. */
  readonly asking: Map<number, Asking> = new Map();

  constructor(readonly key: string) {
    this.session = new MqttSession({
      status: (status) => {
        this.broadcast({ t: 'status', status, url: this.session.connectedUrl });
      },
      connect: (connack) => {
        this.connack = connack;
        this.error = undefined;
        this.broadcast({ t: 'connect', connack });
      },
      disconnect: (reason) => this.broadcast({ t: 'disconnect', ...(reason === undefined ? {} : { reason }) }),
      error: (error) => {
        this.error = error;
        this.broadcast({ t: 'error', error: errorData(error) });
      },
    });
  }

  broadcast(message: WorkerMessage): void {
    for (const member of this.members) member.send(message);
  }

  /** Asks a tab that gave a `credentials` function; another one if that tab goes away meanwhile. */
  askCredentials(request: MqttCredentialsRequest): Promise<MqttCredentials> {
    return new Promise((resolve, reject) => {
      const rid = ++nextRequest;
      const ask = (tried: Set<Member>) => {
        const member = [...this.members].find((m) => m.asks && !tried.has(m));
        if (!member) {
          this.asking.delete(rid);
          return reject(new Error('no open tab can give the credentials'));
        }
        tried.add(member);
        this.asking.set(rid, {
          member,
          request,
          settle: (answer) => {
            this.asking.delete(rid);
            if (answer.error) reject(errorFrom(answer.error));
            else if (answer.credentials) resolve(answer.credentials);
            else ask(tried);
          },
        });
        member.send({ t: 'credentials', rid, request });
      };
      ask(new Set());
    });
  }
}

/**
 * What the SharedWorker runs: one {@link MqttSession} for each set of settings, shared by every tab
 * that joins with those settings. Each tab's subscriptions are listeners of that session (so the
 * broker sees one subscription per filter, and a new tab gets the last values at once), its
 * publishes go out through it, and its status and events are sent to every tab. A tab that leaves,
 * or vanishes (its Web Lock is released when it closes or crashes), gives back what it held, and the
 * last one out closes the connection. DOM-free.
 */
export class SharedHub {
  private readonly shared: Map<string, Shared> = new Map();
  private readonly members: Set<Member> = new Set();

  constructor(private readonly watchLock?: WatchLock) {}

  /** Serves a tab's new port. */
  connect(port: HubPort): void {
    const member = new Member(port);
    this.members.add(member);
    port.onmessage = (event) => {
      for (const message of event.data) this.receive(member, message);
    };
  }

  /** What the hub holds. */
  get stats(): SharedStats {
    let listeners = 0;
    let filters = 0;
    for (const shared of this.shared.values()) {
      listeners += shared.session.listenerCount;
      filters += shared.session.filterCount;
    }
    return { sessions: this.shared.size, members: this.members.size, listeners, filters };
  }

  private receive(member: Member, message: TabMessage): void {
    const shared = member.shared;
    switch (message.t) {
      case 'hello':
        if (message.lock && this.watchLock) this.watchLock(message.lock, () => this.release(member));
        return;
      case 'join':
        return this.join(member, message);
      case 'leave':
        // The tab closes its port after it: nothing more comes from it.
        return this.release(member);
      case 'subscribe': {
        if (!shared) return;
        const { sid } = message;
        try {
          const off = shared.session.subscribe(
            message.filter,
            (m) => member.send({ t: 'message', sid, message: portable(m) }),
            {
              ...message.options,
              onError: (error) => member.send({ t: 'sub-error', sid, error: errorData(error) }),
            }
          );
          member.listeners.set(sid, off);
        } catch (error) {
          member.send({ t: 'sub-error', sid, error: errorData(error) });
        }
        return;
      }
      case 'unsubscribe':
        member.listeners.get(message.sid)?.();
        member.listeners.delete(message.sid);
        return;
      case 'publish':
        return this.publish(member, message);
      case 'withdraw':
        member.publishes.get(message.pid)?.controller.abort(errorFrom(message.reason));
        return;
      case 'credentials-answer':
        if (shared?.asking.get(message.rid)?.member === member) shared.asking.get(message.rid)!.settle(message);
        return;
      case 'wake':
        return shared?.session.wake();
      case 'keep':
        return shared?.session.keep();
      case 'forget': {
        const done = () => member.send({ t: 'done', rid: message.rid });
        void (shared ? shared.session.forget(message.key) : forgetUrl(message.key)).then(done, done);
        return;
      }
      case 'stats':
        return member.send({ t: 'done', rid: message.rid, value: this.stats });
    }
  }

  private join(member: Member, message: TabMessage & { t: 'join' }): void {
    const key = settingsKey(message.config, message.persist);
    if (member.shared?.key === key) {
      // connect() again after the connection stopped (gave up, or reconnecting turned off).
      if (member.shared.session.status === 'disconnected') this.open(member.shared, message);
      return;
    }
    void this.leave(member);
    let shared = this.shared.get(key);
    const opening = !shared;
    if (!shared) this.shared.set(key, (shared = new Shared(key)));
    shared.members.add(member);
    member.shared = shared;
    member.asks = message.config.credentials === 'function';
    // The new tab sees the connection as it is, as if it had opened it.
    member.send({ t: 'status', status: shared.session.status, url: shared.session.connectedUrl });
    if (shared.session.status === 'connected' && shared.connack) member.send({ t: 'connect', connack: shared.connack });
    else if (shared.error) member.send({ t: 'error', error: errorData(shared.error) });
    if (opening || shared.session.status === 'disconnected') this.open(shared, message);
  }

  /** Opens the connection of `shared` with the settings `message` gave. */
  private open(shared: Shared, message: TabMessage & { t: 'join' }): void {
    const { credentials, ...config } = message.config;
    const session = shared.session;
    session.persist(message.persist);
    // Without a client id of the page's own, the connection gets one, as the element would.
    const clientId = config.options?.clientId ?? `mqtt-elements-shared_${Math.random().toString(16).slice(2, 10)}`;
    session.open({
      ...config,
      options: { ...config.options, clientId },
      ...(credentials === 'function'
        ? { credentials: (request) => shared.askCredentials(request) }
        : credentials
          ? { credentials }
          : {}),
    });
  }

  private publish(member: Member, message: TabMessage & { t: 'publish' }): void {
    const { pid } = message;
    const shared = member.shared;
    if (!shared) {
      member.send({ t: 'published', pid, error: errorData(new Error('the connection is closed')) });
      return;
    }
    const controller = new AbortController();
    const publish = { controller, sent: false };
    member.publishes.set(pid, publish);
    shared.session
      .publish(message.topic, message.payload, {
        ...message.options,
        signal: controller.signal,
        // Told at once: a tab withdrawing a command must know whether it is already on its way.
        onSend: () => {
          publish.sent = true;
          member.send({ t: 'sent', pid }, true);
        },
      })
      .then(
        () => member.send({ t: 'published', pid }),
        (error) => member.send({ t: 'published', pid, error: errorData(error) })
      )
      .finally(() => member.publishes.delete(pid));
  }

  /**
   * Takes `member` out of its session: its listeners go, its pending publishes are withdrawn (a
   * command nobody can see the outcome of is never sent later), and a session nobody shares closes.
   */
  private async leave(member: Member): Promise<void> {
    const shared = member.shared;
    if (!shared) return;
    member.shared = undefined;
    for (const off of member.listeners.values()) off();
    member.listeners.clear();
    for (const { controller, sent } of member.publishes.values()) {
      if (!sent) controller.abort(new Error('the tab left the connection'));
    }
    shared.members.delete(member);
    for (const ask of shared.asking.values()) {
      if (ask.member === member) ask.settle({ t: 'credentials-answer', rid: 0 });
    }
    if (shared.members.size > 0) return;
    this.shared.delete(shared.key);
    shared.session.persist(undefined);
    await shared.session.close();
  }

  /** The tab is gone (closed, crashed, or it said goodbye): everything it held is given back. */
  private release(member: Member): void {
    if (!this.members.delete(member)) return;
    void this.leave(member);
    member.port.onmessage = null;
    member.port.close();
  }
}
