// Builds on the output of `tsc -p tsconfig.build.json` (dist/*.js):
// - dist/mqtt-elements.min.js: one self-contained ES module (lit + mqtt + the kit) for a
//   <script type="module"> tag, no build step; it also exports the few lit and kit internals that
//   the chart add-on needs (SHARED below);
// - dist/mqtt-elements-chart.min.js: the `<mqtt-chart>` add-on (uPlot + the element), which takes
//   lit and the kit from `./mqtt-elements.min.js` next to it: one copy of lit and of the kit on a
//   page that loads both files, and loading the add-on alone loads the main bundle too;
// - dist/mqtt-elements-discovery.min.js and dist/mqtt-elements-tree.min.js: the `<mqtt-discovery>`
//   and `<mqtt-tree>` add-ons, made the same way;
// - dist/mqtt-elements-worker.js: the SharedWorker of `<mqtt-connection shared>`, a classic script
//   with mqtt and the kit's DOM-free session inside (a worker cannot share the page's modules);
// - build/kit.min.js: the kit's own code alone (lit and mqtt left out), only to measure its size.
// All print their minified and gzip sizes.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

function sizes(label) {
  return {
    name: 'sizes',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const min = Buffer.byteLength(chunk.code);
        const gz = gzipSync(chunk.code, { level: 9 }).length;
        console.log(`${label.padEnd(34)} ${kb(min).padStart(9)} min ${kb(gz).padStart(9)} gzip  (${chunk.fileName})`);
      }
    },
  };
}

function mqttAlone() {
  return {
    name: 'mqtt-alone',
    buildEnd() {
      const code = readFileSync(new URL('./node_modules/mqtt/dist/mqtt.esm.js', import.meta.url));
      console.log(
        `${'MQTT.js browser build (reference)'.padEnd(34)} ${kb(code.length).padStart(9)} min ${kb(gzipSync(code, { level: 9 }).length).padStart(9)} gzip`
      );
    },
  };
}

/** What the add-ons import from the main CDN bundle, besides the kit's public exports. */
const SHARED = {
  lit: ['LitElement', 'css', 'html', 'nothing'],
  tslib: ['__decorate'],
  'lit/decorators.js': ['property'],
  './dist/elements/subscriber-element.js': ['MqttSubscriberElement'],
  './dist/controllers/numbers.js': ['numbersFromStrings'],
  './dist/controllers/session-controller.js': ['SessionController'],
  './dist/controllers/subscription-controller.js': ['SubscriptionController'],
  './dist/controllers/error-reporter.js': ['ErrorReporter'],
  'lit/directives/repeat.js': ['repeat'],
  './dist/session/codec.js': ['valueText', 'payloadTextLossy'],
  './dist/controllers/settings.js': ['checkDigits', 'checkLocale', 'checkNumber', 'positive', 'wholeNumber'],
  './dist/dom/lang.js': ['elementLocale'],
  './dist/lib/intl.js': ['numberFormat', 'timeFormat', 'timeAgo'],
  './dist/lib/throttle.js': ['Throttle'],
};
const MAIN_ENTRY = 'mqtt-elements-cdn-entry';
const MAIN = 'mqtt-elements-main';
const dist = new URL('./dist/', import.meta.url).pathname;
/** Set by the main bundle's build (rollup builds the configs in order): the names it exports. */
let mainExports;

/** The main bundle's entry: the kit (index.js) and the SHARED names. */
function mainEntry() {
  const code = [
    "export * from './dist/index.js';",
    ...Object.entries(SHARED).map(([from, names]) => `export { ${names.join(', ')} } from '${from}';`),
  ].join('\n');
  return {
    name: 'main-entry',
    resolveId: (id) => (id === MAIN_ENTRY ? id : null),
    load: (id) => (id === MAIN_ENTRY ? code : null),
    generateBundle(_options, bundle) {
      mainExports = new Set(
        Object.values(bundle).flatMap((chunk) => (chunk.type === 'chunk' && chunk.isEntry ? chunk.exports : []))
      );
    },
  };
}

/**
 * For an add-on (the chart, discovery): lit and every kit module outside the add-on's own files
 * (`files`, paths under dist/; a path ending in `/` is a folder) come from the main bundle. Fails
 * the build if the add-on imports a name that the main bundle does not export.
 */
function sharedWithMain(name, files) {
  const own = (id) =>
    !id.startsWith(dist) ||
    files.some((file) => (file.endsWith('/') ? id.startsWith(dist + file) : id === dist + file));
  return {
    name: 'shared-with-main',
    async resolveId(source, importer, options) {
      if (/^(lit|@lit\/|tslib$)/.test(source)) return { id: MAIN, external: true };
      if (!importer) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && !own(resolved.id) ? { id: MAIN, external: true } : null;
    },
    generateBundle(_options, bundle) {
      if (!mainExports) this.error(`the main bundle must be built before the ${name} add-on`);
      for (const chunk of Object.values(bundle)) {
        const missing = (
          chunk.importedBindings?.[MAIN] ??
          chunk.importedBindings?.['./mqtt-elements.min.js'] ??
          []
        ).filter((name) => !mainExports.has(name));
        if (missing.length)
          this.error(
            `the ${name} add-on imports ${missing.join(', ')}, which dist/mqtt-elements.min.js does not export: add them to SHARED in rollup.config.mjs`
          );
      }
    },
  };
}

const minify = terser({ ecma: 2022, module: true, format: { comments: false } });

export default [
  {
    input: MAIN_ENTRY,
    // The lazy chunk takes what it needs from the bundle itself (exports added to it), not from a third file.
    preserveEntrySignatures: 'allow-extension',
    // The tab's side of `<mqtt-connection shared>` is loaded on first use: mqtt-elements-shared-session.min.js.
    output: {
      dir: 'dist',
      entryFileNames: 'mqtt-elements.min.js',
      chunkFileNames: 'mqtt-elements-[name].min.js',
      format: 'es',
      sourcemap: true,
    },
    plugins: [
      mainEntry(),
      nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
      minify,
      sizes('CDN bundle (lit + mqtt + kit)'),
      mqttAlone(),
    ],
  },
  {
    input: 'dist/chart.js',
    output: {
      file: 'dist/mqtt-elements-chart.min.js',
      format: 'es',
      sourcemap: true,
      paths: { [MAIN]: './mqtt-elements.min.js' },
    },
    plugins: [
      sharedWithMain('chart', ['chart.js', 'chart/', 'elements/mqtt-chart.js', 'elements/mqtt-chart.styles.js']),
      nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
      minify,
      sizes('CDN chart add-on (uPlot + chart)'),
    ],
  },
  {
    input: 'dist/discovery.js',
    output: {
      file: 'dist/mqtt-elements-discovery.min.js',
      format: 'es',
      sourcemap: true,
      paths: { [MAIN]: './mqtt-elements.min.js' },
    },
    plugins: [
      sharedWithMain('discovery', [
        'discovery.js',
        'discovery/',
        'elements/mqtt-discovery.js',
        'elements/discovery-entity.js',
        'controllers/topic-set-controller.js',
      ]),
      nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
      minify,
      sizes('CDN discovery add-on'),
    ],
  },
  {
    input: 'dist/tree.js',
    output: {
      file: 'dist/mqtt-elements-tree.min.js',
      format: 'es',
      sourcemap: true,
      paths: { [MAIN]: './mqtt-elements.min.js' },
    },
    plugins: [
      sharedWithMain('tree', [
        'tree.js',
        'tree/',
        'elements/mqtt-tree.js',
        'elements/mqtt-tree-row.js',
        'elements/mqtt-tree.styles.js',
      ]),
      nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
      minify,
      sizes('CDN tree add-on'),
    ],
  },
  {
    input: 'dist/shared/worker.js',
    output: { file: 'dist/mqtt-elements-worker.js', format: 'iife', sourcemap: true },
    plugins: [
      nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
      terser({ ecma: 2022, format: { comments: false } }),
      sizes('SharedWorker (mqtt + session)'),
    ],
  },
  {
    input: 'dist/index.js',
    output: { file: 'build/kit.min.js', format: 'es' },
    // The tab's side of a shared connection is loaded only by pages that use it: not counted.
    external: (id) => /^(lit|@lit\/|mqtt)/.test(id) || id.endsWith('/shared-session.js'),
    plugins: [nodeResolve({ browser: true }), minify, sizes("The kit's own code")],
  },
];
