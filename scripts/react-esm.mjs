// React ships CommonJS only, and the test runner serves ES modules as they are. This builds React
// once into ES modules (one shared copy, named exports), as a bundler would, and a web-test-runner
// plugin points the tests' imports of react, react-dom and their subpaths at them.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const MODULES = ['react', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'react-dom', 'react-dom/client'];
const require = createRequire(import.meta.url);

/** Builds the modules into `outdir`; returns the url of each, relative to the server root. */
export async function buildReactEsm(outdir = 'build/react-esm') {
  process.env.NODE_ENV = 'production';
  const sources = join(outdir, 'entries');
  mkdirSync(sources, { recursive: true });
  const entryPoints = {};
  for (const name of MODULES) {
    const file = name.replaceAll('/', '__');
    // esbuild cannot see the names a CommonJS module exports: list them from Node.
    const names = Object.keys(require(name)).filter((key) => /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default');
    writeFileSync(
      join(sources, `${file}.js`),
      `import m from '${name}';\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`
    );
    entryPoints[file] = join(sources, `${file}.js`);
  }
  await build({
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  return Object.fromEntries(MODULES.map((name) => [name, `/${outdir}/${name.replaceAll('/', '__')}.js`]));
}

/** A web-test-runner plugin that serves React as ES modules. */
export function reactEsmPlugin() {
  let urls = {};
  return {
    name: 'react-esm',
    async serverStart() {
      urls = await buildReactEsm();
    },
    resolveImport({ source }) {
      return urls[source];
    },
  };
}
