/**
 * The zoom of `<mqtt-chart>`'s time axis: the view a key leads to (a pure function), and the state
 * the element keeps (the view, or live). A view is a fixed span of time: the axis shows exactly it
 * and stops sliding with the clock, while points keep arriving and those in the span are drawn.
 */

/** A span of time, ms since the epoch: `from` before `to`. */
export type TimeSpan = readonly [from: number, to: number];

/** The narrowest view `+` zooms in to, ms (the axis writes whole seconds). */
export const MIN_VIEW_MS = 2000;

/**
 * The view after `key` (a `KeyboardEvent.key`) on a chart showing `view` (`undefined`: live, the
 * axis then spanning `live`): `undefined` for live again, `null` when the key does nothing. `+` and
 * `=` halve the span around its middle (from live too), `-` doubles it (live again once it would span
 * as much as live does), the arrows move it by a quarter of its span, `Escape`, `0` and `Home` go
 * back to live. A view never leaves the span of live and of the view before.
 */
export function zoomKey(key: string, view: TimeSpan | undefined, live: TimeSpan): TimeSpan | undefined | null {
  const [from, to] = view ?? live;
  const span = to - from;
  const middle = from + span / 2;
  let next: [number, number];
  if (key === '+' || key === '=') {
    if (span / 2 < MIN_VIEW_MS) return null;
    next = [middle - span / 4, middle + span / 4];
  } else if (!view) {
    return null;
  } else if (key === '-') {
    if (2 * span >= live[1] - live[0]) return undefined;
    next = [middle - span, middle + span];
  } else if (key === 'ArrowLeft' || key === 'ArrowRight') {
    const step = key === 'ArrowLeft' ? -span / 4 : span / 4;
    next = [from + step, to + step];
  } else {
    return key === 'Escape' || key === '0' || key === 'Home' ? undefined : null;
  }
  const low = Math.min(live[0], from);
  const high = Math.max(live[1], to);
  const shift = next[1] > high ? high - next[1] : next[0] < low ? low - next[0] : 0;
  return [next[0] + shift, next[1] + shift];
}

/**
 * A chart's zoom: the view shown (or live), the `zoomed` attribute on the host, and the keys on
 * its `chart` part.
 */
export class ChartZoom {
  /** The span shown while zoomed, ms since the epoch; `undefined` while live. */
  view: TimeSpan | undefined;
  /** The span the axis shows while live, ms since the epoch (the element sets it at each draw). */
  live: TimeSpan = [0, 1];

  constructor(
    private readonly host: HTMLElement,
    /** The view changed: draw again. */
    private readonly changed: () => void
  ) {}

  /** Shows `view` (`undefined`: live); a view is ignored unless its ends are finite and in order. */
  set(view: TimeSpan | undefined): void {
    if (view && !(view[0] < view[1] && Number.isFinite(view[1] - view[0]))) return;
    this.view = view && [view[0], view[1]];
    this.host.toggleAttribute('zoomed', !!view);
    this.changed();
  }

  /** The axis's span, seconds since the epoch: the view's, else live's. */
  seconds(): [number, number] {
    const [from, to] = this.view ?? this.live;
    return [from / 1000, to / 1000];
  }

  /** A keydown on the chart: see {@link zoomKey}; with Ctrl, Alt or Meta the keys are the browser's. */
  readonly key = (event: KeyboardEvent): void => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const next = zoomKey(event.key, this.view, this.live);
    if (next === null) return;
    event.preventDefault();
    this.set(next);
  };

  /** What the chart's label adds: the view, its times written by `time`, and the keys. */
  note(time: { format(ms: number): string }): string {
    const view = this.view;
    return view
      ? `zoomed to ${time.format(view[0])} – ${time.format(view[1])}: + and - zoom, arrows move, Escape goes back to live`
      : 'press + to zoom in';
  }
}
