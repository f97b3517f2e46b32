/** What a connection does as the page's life goes on. */
export interface PageLifecycleHost {
  /** The network came back, or the page became visible again. */
  awake(): void;
  /** The page was hidden; `leaving`: it is being left (closed, navigated away, or put in the back/forward cache). */
  hidden(leaving: boolean): void;
  /** The page came back from the back/forward cache. */
  restored(): void;
}

const WINDOW_EVENTS = ['online', 'pagehide', 'pageshow'] as const;

/**
 * The page events a connection follows (`online`, `visibilitychange`, `pagehide`, `pageshow`), told
 * to its host in its own words while {@link listen}ing.
 */
export class PageLifecycle {
  private readonly handle = (event: Event): void => {
    if (event.type === 'pageshow') {
      if ((event as PageTransitionEvent).persisted) this.host.restored();
    } else if (event.type === 'online' || (event.type !== 'pagehide' && document.visibilityState === 'visible')) {
      this.host.awake();
    } else {
      this.host.hidden(event.type === 'pagehide');
    }
  };

  constructor(private readonly host: PageLifecycleHost) {}

  /** Follows the events (true) or stops (false). */
  listen(on: boolean): void {
    const method = on ? 'addEventListener' : 'removeEventListener';
    for (const type of WINDOW_EVENTS) window[method](type, this.handle);
    document[method]('visibilitychange', this.handle);
  }
}
