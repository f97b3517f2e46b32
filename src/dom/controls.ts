/**
 * Form controls as `<mqtt-publish>` sees them: which element is the control behind an event, which
 * event triggers it by default, what its value is, and how a state from a device is shown in it.
 */
import { valueText } from '../session/codec.js';

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
  if (
    control instanceof HTMLInputElement ||
    control instanceof HTMLSelectElement ||
    control instanceof HTMLTextAreaElement
  )
    return 'change';
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
    if (el.type === 'number' || el.type === 'range')
      return { include: true, value: el.value === '' ? null : Number(el.value) };
    return { include: true, value: el.value };
  }
  if (el instanceof HTMLSelectElement && el.multiple) {
    return { include: true, value: Array.from(el.selectedOptions, (option) => option.value) };
  }
  if (el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) return { include: true, value: el.value };
  if (el instanceof HTMLButtonElement || el instanceof HTMLFieldSetElement || el instanceof HTMLOutputElement)
    return { include: false };
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
    if (control.type === 'range' || control.type === 'number')
      return control.value === '' ? undefined : Number(control.value);
    return control.value;
  }
  if (control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement) return control.value;
  if (isCustomControl(control) && !isButton(control)) return (control as unknown as { value?: unknown }).value;
  const value =
    control.getAttribute('value') ??
    (isButton(control) ? (control as unknown as { value?: unknown }).value : undefined);
  return value === '' ? undefined : value;
}

/** Input types whose value the user types (text, number, date, ...): not buttons, toggles, sliders or pickers. */
const NOT_TYPED = new Set([...BUTTON_INPUTS, 'checkbox', 'radio', 'range', 'color', 'file', 'hidden']);

/** Whether the user edits `el` by typing: a text-like or number input, or a textarea. */
export function isTextEntry(el: Element): boolean {
  if (el instanceof HTMLTextAreaElement) return true;
  return el instanceof HTMLInputElement && !NOT_TYPED.has(el.type);
}

/**
 * Whether a state means "on" for a checkbox or switch: `true`, the `on` payload, or one of the words
 * `type="boolean"` accepts for true (`true`, `1`, `on`, any case) unless it is the `off` payload.
 */
export function isOnState(value: unknown, on: unknown, off: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined) return false;
  const text = valueText(value);
  if (text === String(on)) return true;
  if (text === String(off)) return false;
  return /^(true|1|on)$/i.test(text.trim());
}

/** Shows `value` in one field: a checkbox is checked by an "on" state, a radio by its own value. */
function showInField(el: Element, value: unknown, on: unknown, off: unknown): void {
  if (el instanceof HTMLInputElement) {
    if (BUTTON_INPUTS.has(el.type) || el.type === 'file') return;
    if (el.type === 'checkbox') el.checked = isOnState(value, on, off);
    else if (el.type === 'radio') el.checked = el.value === valueText(value);
    else el.value = valueText(value);
    return;
  }
  if (el instanceof HTMLSelectElement) {
    if (el.multiple && Array.isArray(value)) {
      const selected = new Set(value.map(valueText));
      for (const option of Array.from(el.options)) option.selected = selected.has(option.value);
    } else {
      el.value = valueText(value);
    }
    return;
  }
  if (el instanceof HTMLTextAreaElement) {
    el.value = valueText(value);
    return;
  }
  if (
    el instanceof HTMLButtonElement ||
    el instanceof HTMLFieldSetElement ||
    el instanceof HTMLOutputElement ||
    isButton(el)
  )
    return;
  const custom = el as unknown as { value?: unknown; checked?: unknown };
  // Custom controls get the decoded value as it is: a number for a slider, a string for a select.
  if (typeof custom.checked === 'boolean') custom.checked = isOnState(value, on, off);
  else if ('value' in el) custom.value = value;
}

/**
 * Shows a device's state in `control` without firing its events: a checkbox or switch is checked by
 * an "on" state ({@link isOnState}); range, number and text inputs, select and textarea take it as
 * text; a custom control takes it as its `value`; a `<form>` takes a JSON object field by field (by
 * `name`; fields the object does not name are left alone). Buttons show nothing.
 */
export function showState(control: Element, value: unknown, on: unknown, off: unknown): void {
  if (control instanceof HTMLFormElement) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) return;
    const fields = value as Record<string, unknown>;
    for (const el of Array.from(control.elements)) {
      const name = el.getAttribute('name');
      // Form checkboxes publish true/false: those are their on and off states.
      if (name && Object.hasOwn(fields, name)) showInField(el, fields[name], true, false);
    }
    return;
  }
  showInField(control, value, on, off);
}
