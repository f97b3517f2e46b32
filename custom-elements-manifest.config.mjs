// cem analyze --litelement: the manifest is generated from the JSDoc in src/ and committed.
import { expandedTypes, resolvedDefaults } from './scripts/cem-expanded-types.mjs';

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
          if (declaration.attributes)
            declaration.attributes = declaration.attributes.filter((a) => a.fieldName || a.description);
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

/**
 * The analyzer's Lit support drops every member named `properties`, meant for Lit's
 * `static properties`; `<mqtt-publish>` has an instance property of that name (MQTT 5 publish
 * properties). Put instance ones back.
 */
function keepInstanceProperties() {
  const found = [];
  return {
    name: 'keep-instance-properties',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isPropertyDeclaration(node) || node.name.getText() !== 'properties') return;
      if (node.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return;
      const description = ts
        .getJSDocCommentsAndTags(node)
        .map((doc) => (typeof doc.comment === 'string' ? doc.comment : ''))
        .join('\n')
        .trim();
      found.push({
        path: moduleDoc.path,
        className: node.parent.name?.getText(),
        type: node.type?.getText(),
        description,
      });
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          for (const { path, className, type, description } of found) {
            if (mod.path !== path || declaration.kind !== 'class' || declaration.name !== className) continue;
            if (declaration.members?.some((m) => m.name === 'properties')) continue;
            (declaration.members ??= []).push({
              kind: 'field',
              name: 'properties',
              type: { text: `${type} | undefined` },
              description,
            });
          }
        }
      }
    },
  };
}

/** Modules in path order: the analyzer's own order changes from run to run. */
function sortedModules() {
  return {
    name: 'sorted-modules',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules.sort((a, b) => a.path.localeCompare(b.path));
    },
  };
}

export default {
  globs: ['src/**/*.ts'],
  outdir: '.',
  litelement: true,
  // package.json names custom-elements.json itself; the analyzer would point it at the check's copy.
  packagejson: false,
  plugins: [documentedEventsOnly(), keepInstanceProperties(), resolvedDefaults(), expandedTypes(), sortedModules()],
};
