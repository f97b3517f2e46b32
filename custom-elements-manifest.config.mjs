// cem analyze --litelement: the manifest is generated from the JSDoc in src/ and committed.

/**
 * The analyzer also guesses events from `dispatchEvent(new SomeEvent(...))` calls and names them
 * after the constructor's argument. The documented `@event` tags are the truth: keep events named
 * `mqtt-*` only, once each.
 */
function documentedEventsOnly() {
  return {
    name: 'documented-events-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          // Attributes observed only by hand (such as `id`) are not part of the element's API.
          if (declaration.attributes) declaration.attributes = declaration.attributes.filter((a) => a.fieldName || a.description);
          if (!declaration.events) continue;
          const seen = new Set();
          declaration.events = declaration.events.filter((event) => {
            if (!event.name?.startsWith('mqtt-') || seen.has(event.name)) return false;
            seen.add(event.name);
            return true;
          });
        }
      }
    },
  };
}

export default {
  globs: ['src/**/*.ts'],
  outdir: '.',
  litelement: true,
  // package.json names custom-elements.json itself; the analyzer would point it at the check's copy.
  packagejson: false,
  plugins: [documentedEventsOnly()],
};
