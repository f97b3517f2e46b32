import type { MqttSessionApi } from '../context.js';

/**
 * Connections by element id, for elements that name theirs with `connection="id"` instead of
 * nesting inside it. Ids are unique only within one document or shadow root, so a connection is
 * registered under its id *in its root*, and an element looks in its own root first, then in each
 * root around it, up to the document: two widgets that both use `id="home"` in their own shadow
 * roots never take each other's elements (as material-web's AttachableController resolves `for`).
 */
const sessions = new Map<string, Map<Node, MqttSessionApi>>();
const watchers = new Map<string, Set<() => void>>();

function notify(id: string): void {
  for (const watcher of [...(watchers.get(id) ?? [])]) watcher();
}

/**
 * Registers `session` under `id` in `root` (the document or shadow root its connection is in; the
 * last registered wins). Returns the function that removes it.
 */
export function registerSession(root: Node, id: string, session: MqttSessionApi): () => void {
  let byRoot = sessions.get(id);
  if (!byRoot) sessions.set(id, (byRoot = new Map()));
  byRoot.set(root, session);
  notify(id);
  return () => {
    if (byRoot.get(root) !== session) return;
    byRoot.delete(root);
    if (byRoot.size === 0 && sessions.get(id) === byRoot) sessions.delete(id);
    notify(id);
  };
}

/** The session that `el` means by `connection="id"`: in its own root, else the nearest root around it. */
export function findSession(el: Node, id: string): MqttSessionApi | undefined {
  const byRoot = sessions.get(id);
  if (!byRoot) return undefined;
  for (let root: Node | undefined = el.getRootNode(); root;) {
    const session = byRoot.get(root);
    if (session) return session;
    root = root instanceof ShadowRoot ? root.host.getRootNode() : undefined;
  }
  return undefined;
}

/** Calls `watcher` whenever a session under `id` comes or goes. Returns the function that stops it. */
export function watchSession(id: string, watcher: () => void): () => void {
  let set = watchers.get(id);
  if (!set) watchers.set(id, (set = new Set()));
  set.add(watcher);
  return () => {
    set.delete(watcher);
    if (set.size === 0 && watchers.get(id) === set) watchers.delete(id);
  };
}

/** How many connections are registered, and how many watchers wait on ids (for leak checks). */
export function registrySizes(): { sessions: number; watchers: number } {
  let registered = 0;
  for (const byRoot of sessions.values()) registered += byRoot.size;
  let count = 0;
  for (const set of watchers.values()) count += set.size;
  return { sessions: registered, watchers: count };
}
