import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { controlValue, findControl, showState } from '../dom/controls.js';

/** What a confirmed control's host is: an element with the on/off payloads of its toggles. */
export type ConfirmHost = ReactiveControllerHost &
  HTMLElement & { readonly payloadOn: unknown; readonly payloadOff: unknown; readonly confirm?: string };

/**
 * `confirm` on a control: before a command is sent, a modal dialog asks the host's question, with the
 * focus on Cancel; Escape cancels. Cancel sends nothing and puts the control back as it was before
 * the user changed it (read when the user started: pointer down, key down), or, where the host has
 * a confirmed state, `restore` shows that.
 */
export class ConfirmController implements ReactiveController {
  /** The value a control had before the user's change, read as the user starts to change it. */
  #before: { control: Element; value: unknown } | undefined;
  #answer: ((ok: boolean) => void) | undefined;

  constructor(
    private readonly host: ConfirmHost,
    /** Shows the control's confirmed state, if there is one; false when there is none. */
    private readonly restore: () => boolean
  ) {
    host.addController(this);
    const remember = (event: Event) => {
      if (!host.confirm || this.#answer) return;
      const control = findControl(host, event.target, false);
      if (control) this.#before = { control, value: controlValue(control, host.payloadOn, host.payloadOff) };
    };
    host.addEventListener('pointerdown', remember, true);
    host.addEventListener('keydown', remember, true);
  }

  hostDisconnected(): void {
    this.#settle(false);
  }

  /** The dialog, for the host's template (nothing without `confirm`). The question is text. */
  template() {
    if (!this.host.confirm) return nothing;
    return html`<dialog part="dialog" @cancel=${() => this.#settle(false)}>
      <p part="question">${this.host.confirm}</p>
      <button part="cancel" autofocus @click=${() => this.#settle(false)}>Cancel</button>
      <button part="ok" @click=${() => this.#settle(true)}>OK</button>
    </dialog>`;
  }

  /** Asks the question: resolves true for OK; false for Cancel or Escape (the control is put back). */
  ask(): Promise<boolean> {
    this.#settle(false);
    const dialog = this.host.shadowRoot?.querySelector('dialog');
    if (!dialog) return Promise.resolve(true);
    dialog.showModal();
    dialog.querySelector<HTMLElement>('[part=cancel]')?.focus();
    return new Promise((resolve) => (this.#answer = resolve));
  }

  #settle(ok: boolean): void {
    const answer = this.#answer;
    if (!answer) return;
    this.#answer = undefined;
    const dialog = this.host.shadowRoot?.querySelector('dialog');
    if (dialog?.open) dialog.close();
    if (!ok && !this.restore() && this.#before) {
      const { control, value } = this.#before;
      showState(control, value, this.host.payloadOn, this.host.payloadOff);
    }
    this.#before = undefined;
    answer(ok);
  }
}
