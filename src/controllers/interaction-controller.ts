import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { findControl, isTextEntry, isToggle } from '../dom/controls.js';

/** Events on the host (bubbling up from its controls) that start or end an interaction. */
const HOST_EVENTS = ['pointerdown', 'input', 'change', 'submit', 'keydown', 'focusout'] as const;
/** Events on the window that end a pointer interaction wherever the pointer is released. */
const RELEASE_EVENTS = ['pointerup', 'pointercancel'] as const;
/** How often an opened `<select>` is checked for being closed again (no event says so), ms. */
const OPEN_POLL = 150;

/**
 * Whether `select`'s picker is open: the `:open` pseudo-class where the browser has it (Chromium 133+),
 * else `undefined`.
 */
function pickerOpen(select: HTMLSelectElement): boolean | undefined {
  try {
    return select.matches(':open');
  } catch {
    return undefined;
  }
}

/**
 * Tells whether the user is in the middle of using a control inside the host, so that a value from
 * elsewhere (a device's state) does not move the control under their hand:
 *
 * - a pointer is held down on a control (dragging a slider), until it is released anywhere;
 * - the user typed into a text or number input, a textarea or a custom control (an `input` event)
 *   and has not committed it yet (`change`; in a `<form>`: `submit`) nor left it (focus moved out of
 *   the host: moving between the fields of a form is still editing it);
 * - a `<select>`'s picker is open (`:open`, checked while it may be; where the browser lacks `:open`:
 *   from a pointer press on it until a choice, Escape, Tab, Enter or leaving it).
 *
 * When the last of these ends, `onEnd` is called, one task later: the `mouseup`, `click` and
 * `change` that follow a release (and the publish they trigger) come first.
 */
export class InteractionController implements ReactiveController {
  private pointer = false;
  private typing = false;
  private selectOpen = false;
  /** The field typed in last, while typing. */
  private typedIn: Element | undefined;
  private openSelect: HTMLSelectElement | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private endTimer: ReturnType<typeof setTimeout> | undefined;
  private listening = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly onEnd: () => void
  ) {
    host.addController(this);
  }

  /** Whether the user is using a control inside the host right now. */
  get active(): boolean {
    // A field removed while it had focus (a framework re-rendered it) fires no focusout.
    if (this.typing && !(this.typedIn?.isConnected && this.host.contains(this.typedIn))) this.typing = false;
    return this.pointer || this.typing || this.selectOpen;
  }

  hostConnected(): void {
    for (const type of HOST_EVENTS) this.host.addEventListener(type, this);
  }

  hostDisconnected(): void {
    for (const type of HOST_EVENTS) this.host.removeEventListener(type, this);
    this.listenForRelease(false);
    clearTimeout(this.endTimer);
    this.endTimer = undefined;
    this.stopPolling();
    this.pointer = this.typing = this.selectOpen = false;
    this.typedIn = undefined;
  }

  /** @internal */
  handleEvent(event: Event): void {
    if (event.type === 'pointerup' || event.type === 'pointercancel') {
      this.listenForRelease(false);
      this.pointer = false;
      this.ended();
      return;
    }
    const control = findControl(this.host, event.target, false);
    if (!control) return;
    switch (event.type) {
      case 'pointerdown':
        this.pointer = true;
        if (control instanceof HTMLSelectElement) this.selectMayOpen(control);
        this.listenForRelease(true);
        break;
      case 'input':
        if (isTextEntry(control) || (control.localName.includes('-') && !isToggle(control))) {
          this.typing = true;
          this.typedIn = control;
        }
        break;
      case 'keydown': {
        const key = (event as KeyboardEvent).key;
        if (this.selectOpen && this.pollTimer === undefined && (key === 'Escape' || key === 'Tab' || key === 'Enter')) {
          this.selectOpen = false;
          this.ended();
        } else if (control instanceof HTMLSelectElement && pickerOpen(control) !== undefined) {
          // Keys can open a picker too (Alt+ArrowDown, Space).
          this.selectMayOpen(control);
        }
        break;
      }
      case 'change':
      case 'focusout':
      case 'submit': {
        // In a form, a field's change is not a commit: the form's submit is.
        const next = event.type === 'focusout' ? (event as FocusEvent).relatedTarget : null;
        const staysIn = next instanceof Node && this.host.contains(next);
        const inForm =
          event.type === 'change' && control.closest('form') !== null && this.host.contains(control.closest('form'));
        if (!staysIn && !inForm) this.typing = false;
        if (this.pollTimer === undefined) this.selectOpen = false;
        this.ended();
        break;
      }
    }
  }

  /** A select was pressed: it is open until its picker closes (or, without `:open`, until a choice). */
  private selectMayOpen(select: HTMLSelectElement): void {
    this.selectOpen = true;
    if (pickerOpen(select) === undefined) return;
    this.openSelect = select;
    this.pollTimer ??= setInterval(() => {
      if (this.openSelect && pickerOpen(this.openSelect)) return;
      this.stopPolling();
      this.selectOpen = false;
      this.ended();
    }, OPEN_POLL);
  }

  private stopPolling(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    this.openSelect = undefined;
  }

  private listenForRelease(on: boolean): void {
    if (on === this.listening) return;
    this.listening = on;
    for (const type of RELEASE_EVENTS) {
      if (on) window.addEventListener(type, this, true);
      else window.removeEventListener(type, this, true);
    }
  }

  private ended(): void {
    if (this.active || this.endTimer !== undefined) return;
    this.endTimer = setTimeout(() => {
      this.endTimer = undefined;
      if (!this.active) this.onEnd();
    });
  }
}
