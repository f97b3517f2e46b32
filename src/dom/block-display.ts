let blockDisplay: CSSStyleSheet | undefined;

/**
 * `display: block` for `<mqtt-connection>` in the document or shadow root it is in, with no
 * specificity, so that any rule of the page wins (as it would over `:host`).
 */
export function adoptBlockDisplay(el: HTMLElement): void {
  // Document or ShadowRoot, also from another window (a frame), where instanceof would fail.
  const root = el.getRootNode() as Node & Partial<DocumentOrShadowRoot>;
  if (!root.adoptedStyleSheets || typeof CSSStyleSheet === 'undefined') return;
  try {
    if (!blockDisplay) {
      blockDisplay = new CSSStyleSheet();
      blockDisplay.replaceSync(':where(mqtt-connection) { display: block; }');
    }
    if (!root.adoptedStyleSheets.includes(blockDisplay))
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, blockDisplay];
  } catch {
    // Another document than the one the sheet was made for (a frame, a document made by script):
    // the element works, displayed inline unless the page styles it.
  }
}
