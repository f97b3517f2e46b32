// Builds on the output of `tsc -p tsconfig.build.json` (dist/*.js):
// - dist/mqtt-elements.min.js: one self-contained ES module (lit + mqtt + the kit) for a
//   <script type="module"> tag, no build step;
// - build/kit.min.js: the kit's own code alone (lit and mqtt left out), only to measure its size.
// Both print their minified and gzip sizes.
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
      console.log(`${'MQTT.js browser build (reference)'.padEnd(34)} ${kb(code.length).padStart(9)} min ${kb(gzipSync(code, { level: 9 }).length).padStart(9)} gzip`);
    },
  };
}

const minify = terser({ ecma: 2022, module: true, format: { comments: false } });

export default [
  {
    input: 'dist/index.js',
    output: { file: 'dist/mqtt-elements.min.js', format: 'es', sourcemap: true },
    plugins: [nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }), minify, sizes('CDN bundle (lit + mqtt + kit)'), mqttAlone()],
  },
  {
    input: 'dist/index.js',
    output: { file: 'build/kit.min.js', format: 'es' },
    external: (id) => /^(lit|@lit\/|mqtt)/.test(id),
    plugins: [nodeResolve({ browser: true }), minify, sizes("The kit's own code")],
  },
];
