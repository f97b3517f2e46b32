// Smoke check for the framework examples: builds demo/react and demo/vue with Vite into
// build/examples/<name>, and prints one line per app with its output size. Run after `npm run build`
// (the examples import the kit from dist/). Exits non-zero when dist/ is missing or a build fails.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const APPS = ['react', 'vue'];
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (!existsSync(join(root, 'dist/index.js'))) {
  console.error('dist/index.js is missing: run `npm run build` first.');
  process.exit(1);
}

/** Every file under `dir`. */
const files = (dir) =>
  readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile());

let failed = 0;
for (const name of APPS) {
  const appRoot = join(root, 'demo', name);
  const outDir = join(root, 'build/examples', name);
  try {
    await build({
      root: appRoot,
      configFile: join(appRoot, 'vite.config.js'),
      logLevel: 'warn',
      // MQTT.js is most of each bundle (about 340 KB minified): past Vite's 500 KB advice for a chunk.
      build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 1000 },
    });
    const out = files(outDir);
    const bytes = out.reduce((sum, file) => sum + statSync(file).size, 0);
    const gzip = out
      .filter((file) => /\.(js|css|html)$/.test(file))
      .reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0);
    console.log(
      `${name.padEnd(6)} ok  ${kb(bytes).padStart(9)} (${kb(gzip)} gzip) in ${out.length} files  ${relative(root, outDir)}/`
    );
  } catch (error) {
    failed++;
    console.error(`${name.padEnd(6)} FAILED  ${error?.message ?? error}`);
  }
}
process.exit(failed ? 1 : 0);
