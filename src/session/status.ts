import type { ConnectionStatus } from './message.js';

/** A connection's status, and who is told of each change: the owner's hook, then every watcher. */
export class StatusBox {
  status: ConnectionStatus = 'disconnected';
  private readonly listeners = new Set<(status: ConnectionStatus) => void>();

  constructor(private readonly hook?: (status: ConnectionStatus, previous: ConnectionStatus) => void) {}

  /** How many watchers are registered. */
  get watchers(): number {
    return this.listeners.size;
  }

  /** Calls `listener` on every change. Returns the function that removes it. */
  watch(listener: (status: ConnectionStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(status: ConnectionStatus): void {
    const previous = this.status;
    this.status = status;
    this.changed(previous);
  }

  /** Tells of the change from `previous` to the status now, if it is one. */
  changed(previous: ConnectionStatus): void {
    const status = this.status;
    if (previous === status) return;
    this.hook?.(status, previous);
    for (const listener of [...this.listeners]) listener(status);
  }
}
