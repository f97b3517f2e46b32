/**
 * Form controls as `<mqtt-publish>` sees them: which element is the control behind an event, which
 * event triggers it by default, and what its value is.
 */

/** Whether `el` is a custom element that behaves like a form control. */
function isCustomControl(el: Element): boolean {
  if (!el.localName.includes('-')) return false;
  const ctor = el.constructor as { formAssociated?: boolean };
  return ctor.formAssociated === true || 'checked' in el || 'value' in el;
}

const BUTTON_INPUTS = new Set(['button', 'submit', 'reset', 'image']);

/** Buttons, including custom ones (`<sl-button>`, `<md-filled-button>`, a custom `type="button"`). */
function isButton(el: Element): boolean {
  if (el instanceof HTMLButtonElement || (el instanceof HTMLInputElement && BUTTON_INPUTS.has(el.type))) return true;
  if (!el.localName.includes('-') || 'checked' in el) return false;
  const type = (el as unknown as { type?: unknown }).type ?? el.getAttribute('type');
  return el.localName.endsWith('-button') || (typeof type === 'string' && BUTTON_INPUTS.has(type));
}

/** Whether `el` is a control: a form, an input, select, textarea, button or custom form control. */
export function isControl(el: Element): boolean {
  return (
    el instanceof HTMLFormElement ||
    el instanceof HTMLInputElement ||
    el instanceof HTMLSelectElement ||
    el instanceof HTMLTextAreaElement ||
    el instanceof HTMLButtonElement ||
    isCustomControl(el)
  );
}

/**
 * The control behind an event that reached `host`: the nearest control around the event's target
 * (promoted to its `<form>` when `promoteToForm`), else the host's child that holds the target.
 */
export function findControl(host: Element, target: EventTarget | null, promoteToForm: boolean): Element | undefined {
  let el = target instanceof Element ? target : null;
  let child: Element | undefined;
  for (; el && el !== host; el = el.parentElement) {
    if (isControl(el)) return promoteToForm ? formOf(host, el) : el;
  }
  el = target instanceof Element ? target : null;
  for (; el && el !== host; el = el.parentElement) if (el.parentElement === host) child = el;
  // A click on a wrapper of a control (a <label>, a <div>) is not a trigger of its own: the
  // control fires its own event.
  return child && !(child instanceof HTMLLabelElement) && !containsControl(child) ? child : undefined;
}

/** The `<form>` inside `host` that holds `control`, else `control`. */
function formOf(host: Element, control: Element): Element {
  const form = control instanceof HTMLFormElement ? null : control.closest('form');
  return form && host.contains(form) ? form : control;
}

function containsControl(el: Element): boolean {
  return Array.from(el.querySelectorAll('*')).some(isControl);
}

/** The first control inside `host` (promoted to its form), for `publish()` without a value. */
export function firstControl(host: Element): Element | undefined {
  const control = Array.from(host.querySelectorAll('*')).find(isControl);
  return control && formOf(host, control);
}

/** The event that triggers a publish from `control` when `event` is not set. */
export function defaultEventFor(control: Element): string {
  if (control instanceof HTMLFormElement) return 'submit';
  if (isButton(control)) return 'click';
  if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement) return 'change';
  if (isCustomControl(control)) return 'change';
  return 'click';
}

/** Whether the control is an on/off control (checkbox, switch, custom control with `checked`). */
export function isToggle(control: Element): boolean {
  if (control instanceof HTMLInputElement) return control.type === 'checkbox';
  return isCustomControl(control) && typeof (control as unknown as { checked?: unknown }).checked === 'boolean';
}

/** The value of a named form field, typed: checkbox → boolean, number and range → number. */
function fieldValue(el: Element): { include: boolean; value?: unknown } {
  if (el instanceof HTMLInputElement) {
    if (BUTTON_INPUTS.has(el.type) || el.type === 'file') return { include: false };
    if (el.type === 'checkbox') return { include: true, value: el.checked };
    if (el.type === 'radio') return el.checked ? { include: true, value: el.value } : { include: false };
    if (el.type === 'number' || el.type === 'range') return { include: true, value: el.value === '' ? null : Number(el.value) };
    return { include: true, value: el.value };
  }
  if (el instanceof HTMLSelectElement && el.multiple) {
    return { include: true, value: Array.from(el.selectedOptions, (option) => option.value) };
  }
  if (el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) return { include: true, value: el.value };
  if (el instanceof HTMLButtonElement || el instanceof HTMLFieldSetElement || el instanceof HTMLOutputElement) return { include: false };
  const custom = el as unknown as { value?: unknown; checked?: unknown };
  if (typeof custom.checked === 'boolean') return { include: true, value: custom.checked };
  return 'value' in el ? { include: true, value: custom.value } : { include: false };
}

/** A form's named fields as an object. */
export function formValue(form: HTMLFormElement): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const el of Array.from(form.elements)) {
    const name = el.getAttribute('name');
    if (!name || (el as HTMLInputElement).disabled) continue;
    const { include, value } = fieldValue(el);
    if (include) result[name] = value;
  }
  return result;
}

/**
 * A control's value: a form → its named fields; a toggle → `on`/`off`; range and number → number;
 * other inputs, select and textarea → string; a button or anything else → its `value` attribute
 * (undefined without one).
 */
export function controlValue(control: Element, on: unknown, off: unknown): unknown {
  if (control instanceof HTMLFormElement) return formValue(control);
  if (isToggle(control)) return (control as unknown as { checked: boolean }).checked ? on : off;
  if (control instanceof HTMLInputElement && !BUTTON_INPUTS.has(control.type)) {
    if (control.type === 'range' || control.type === 'number') return control.value === '' ? undefined : Number(control.value);
    return control.value;
  }
  if (control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement) return control.value;
  if (isCustomControl(control) && !isButton(control)) return (control as unknown as { value?: unknown }).value;
  const value = control.getAttribute('value') ?? (isButton(control) ? (control as unknown as { value?: unknown }).value : undefined);
  return value === '' ? undefined : value;
}
