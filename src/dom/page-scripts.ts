/**
 * Whether the page is still running the scripts of its HTML: before `DOMContentLoaded`, which fires
 * once the parser is done and every classic, `defer` and `type="module"` script in the markup ran.
 * A module script right after the kit's bundle (setting `password`, say) runs after the elements
 * upgraded, and even after timers set meanwhile; it runs before `DOMContentLoaded`.
 */
export function pageScriptsRunning(): boolean {
  if (document.readyState === 'loading') return true;
  if (document.readyState === 'complete') return false;
  // 'interactive' lasts from the end of parsing to `load`; the navigation entry tells on which side
  // of `DOMContentLoaded` it is (0 until it fired). No entry (an about:blank frame): no scripts wait.
  const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
  return navigation !== undefined && navigation.domContentLoadedEventStart === 0;
}

/** Resolves once the page's own scripts ran (at `DOMContentLoaded`, or at once after it). */
export function afterPageScripts(): Promise<void> {
  if (!pageScriptsRunning()) return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
}
