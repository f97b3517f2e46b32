import { waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { SharedStats } from '../src/shared/protocol.js';

/** The SharedWorker the bundle's tabs use (the kit from src/ is pointed at it too). */
export const WORKER = '/dist/mqtt-elements-worker.js';

let held: MessagePort | undefined;

/** Makes this page one of the worker's pages for as long as it lives. */
export function holdWorker(): void {
  held ??= new SharedWorker(WORKER, { name: 'mqtt-elements' }).port;
  held.start();
}

/** What the worker holds, asked over a port of its own. */
export function workerStats(): Promise<SharedStats> {
  const { port } = new SharedWorker(WORKER, { name: 'mqtt-elements' });
  return new Promise((resolve) => {
    port.onmessage = (event: MessageEvent<{ t: string; value: SharedStats }[]>) => {
      const done = event.data.find((message) => message.t === 'done');
      if (!done) return;
      port.close();
      resolve(done.value);
    };
    port.postMessage([{ t: 'stats', rid: 1 }]);
  });
}

/**
 * A tab of the test page's origin beside the test page (scripts/tabs-plugin.mjs): a real page of the
 * same browser, with a renderer that can be crashed.
 */
export class Tab {
  constructor(readonly id: number) {}

  /** Opens `path` (test/fixtures/shared-tab.html by default) with `query`. */
  static async open(query: Record<string, string>, path = '/test/fixtures/shared-tab.html'): Promise<Tab> {
    const id = await executeServerCommand<number, { path: string }>('tab-open', {
      path: `${path}?${new URLSearchParams(query)}`,
    });
    const tab = new Tab(id);
    await tab.until('!!window.tab');
    return tab;
  }

  /** Evaluates `script`, an expression, in the tab (a promise is awaited). */
  async eval<T>(script: string): Promise<T> {
    const answer = await executeServerCommand<{ value: T }, { id: number; script: string }>('tab-eval', {
      id: this.id,
      script,
    });
    return answer.value;
  }

  /** Waits until `script` is truthy in the tab. */
  async until(script: string, message = script, timeout = 8000): Promise<void> {
    let last: unknown;
    await waitUntil(
      async () => {
        last = await this.eval(`(async () => { try { return await (${script}); } catch { return false; } })()`);
        return !!last;
      },
      `tab ${this.id}: ${message}`,
      { timeout, interval: 50 }
    );
  }

  /** Waits until the tab's `<mqtt-value>` of `topic` holds `value` (null: none yet). */
  shows(topic: string, value: string | null, timeout?: number): Promise<void> {
    const script = `window.tab.values()[${JSON.stringify(topic)}] === ${JSON.stringify(value)}`;
    return this.until(script, `${topic} shows ${value}`, timeout);
  }

  /** The value of each of the tab's `<mqtt-value>`, by topic. */
  values(): Promise<Record<string, string | null>> {
    return this.eval('window.tab.values()');
  }

  /** Navigates to `path` (same origin), leaving this page. */
  goto(path: string): Promise<boolean> {
    return executeServerCommand('tab-goto', { id: this.id, path });
  }

  /** Goes back to the page left with {@link goto}. */
  back(): Promise<boolean> {
    return executeServerCommand('tab-back', { id: this.id });
  }

  close(): Promise<boolean> {
    return executeServerCommand('tab-close', { id: this.id });
  }

  /** Kills the tab's renderer: it vanishes without a goodbye. */
  crash(): Promise<boolean> {
    return executeServerCommand('tab-crash', { id: this.id });
  }

  static closeAll(): Promise<boolean> {
    return executeServerCommand('tab-close-all');
  }
}
