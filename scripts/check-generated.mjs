// Fails when a generated file that is committed is stale: custom-elements.json (from the JSDoc in
// src/), and the element reference in README.md and the IDE data files (from custom-elements.json).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { updateReadme } from './readme-reference.mjs';
import { ideFiles, staleFiles } from './ide-data.mjs';

// cem resolves --outdir against the working directory.
const dir = join('build', 'cem-check');
let failed = false;
try {
  execFileSync(
    new URL('../node_modules/.bin/cem', import.meta.url).pathname,
    ['analyze', '--litelement', '--outdir', dir],
    { stdio: 'pipe' }
  );
  const fresh = readFileSync(join(dir, 'custom-elements.json'), 'utf8');
  const committed = readFileSync('custom-elements.json', 'utf8');
  if (JSON.stringify(JSON.parse(fresh)) !== JSON.stringify(JSON.parse(committed))) {
    console.error('custom-elements.json is stale: the JSDoc in src/ changed. Run: npm run analyze && npm run docs');
    failed = true;
  }
  const readme = readFileSync('README.md', 'utf8');
  if (updateReadme(readme, JSON.parse(fresh)) !== readme) {
    console.error('README.md: the element reference does not match the source. Run: npm run analyze && npm run docs');
    failed = true;
  }
  const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
  const stale = staleFiles(ideFiles(JSON.parse(fresh), version));
  if (stale.length) {
    console.error(
      `${stale.join(', ')}: the IDE data does not match the source. Run: npm run analyze && node scripts/ide-data.mjs`
    );
    failed = true;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exit(1);
console.log('custom-elements.json, the README reference and the IDE data match the source.');
