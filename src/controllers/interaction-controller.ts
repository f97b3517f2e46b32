import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { findControl, isTextEntry, isToggle } from '../dom/controls.js';

/** Events on the host (bubbling up from its controls) that start or end an interaction. */
const HOST_EVENTS = ['pointerdown', 'input', 'change', 'keydown', 'focusout'] as const;
/** Events on the window that end a pointer interaction wherever the pointer is released. */
const RELEASE_EVENTS = ['pointerup', 'pointercancel'] as const;

/**
 * Tells whether the user is in the middle of using a control inside the host, so that a value from
 * elsewhere (a device's state) does not move the control under their hand:
 *
 * - a pointer is held down on a control (dragging a slider), until it is released anywhere;
 * - the user typed into a text or number input, a textarea or a custom control (an `input` event)
 *   and has not committed it yet (`change`) nor left it (focus moved away);
 * - a `<select>` was opened with the pointer, until a choice (`change`), Escape, Tab or leaving it.
 *
 * When the last of these ends, `onEnd` is called, one task later: the `mouseup`, `click` and
 * `change` that follow a release (and the publish they trigger) come first.
 */
export class InteractionController implements ReactiveController {
  private pointer = false;
  private typing = false;
  private selectOpen = false;
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
    this.pointer = this.typing = this.selectOpen = false;
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
        if (control instanceof HTMLSelectElement) this.selectOpen = true;
        this.listenForRelease(true);
        break;
      case 'input':
        if (isTextEntry(control) || (control.localName.includes('-') && !isToggle(control))) this.typing = true;
        break;
      case 'keydown': {
        const key = (event as KeyboardEvent).key;
        if (this.selectOpen && (key === 'Escape' || key === 'Tab' || key === 'Enter')) {
          this.selectOpen = false;
          this.ended();
        }
        break;
      }
      case 'change':
      case 'focusout':
        this.typing = false;
        this.selectOpen = false;
        this.ended();
        break;
    }
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
