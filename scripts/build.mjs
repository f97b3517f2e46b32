// npm run build: compiles src/ with tsc (ESM + .d.ts in dist/), then bundles with rollup.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { stdio: 'inherit' });
execFileSync(bin('rollup'), ['-c', '--silent'], { stdio: 'inherit' });
