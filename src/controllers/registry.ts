import type { MqttSessionApi } from '../context.js';

/**
 * Connections by element id, for elements that name theirs with `connection="id"` instead of
 * nesting inside it. DOM-free: `<mqtt-connection>` registers itself while it is connected.
 */
const sessions = new Map<string, MqttSessionApi>();
const watchers = new Map<string, Set<() => void>>();

function notify(id: string): void {
  for (const watcher of [...(watchers.get(id) ?? [])]) watcher();
}

/** Registers `session` under `id` (the last registered wins). Returns the function that removes it. */
export function registerSession(id: string, session: MqttSessionApi): () => void {
  sessions.set(id, session);
  notify(id);
  return () => {
    if (sessions.get(id) !== session) return;
    sessions.delete(id);
    notify(id);
  };
}

/** The session registered under `id`, if any. */
export function findSession(id: string): MqttSessionApi | undefined {
  return sessions.get(id);
}

/** Calls `watcher` whenever the session under `id` comes or goes. Returns the function that stops it. */
export function watchSession(id: string, watcher: () => void): () => void {
  let set = watchers.get(id);
  if (!set) watchers.set(id, (set = new Set()));
  set.add(watcher);
  return () => {
    set.delete(watcher);
    if (set.size === 0 && watchers.get(id) === set) watchers.delete(id);
  };
}

/** How many ids are registered, and how many watchers wait on ids (for leak checks). */
export function registrySizes(): { sessions: number; watchers: number } {
  let count = 0;
  for (const set of watchers.values()) count += set.size;
  return { sessions: sessions.size, watchers: count };
}
