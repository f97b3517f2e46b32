// The package as users get it: `npm pack`, install the tarball in a scratch project, then check that
// the tarball holds what it should (and nothing from test/), that every `exports` entry resolves in
// Node, that the types resolve with tsc, and leave the install for the browser test
// (test/package.test.ts loads the installed ESM entry in Chromium).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dir = join(root, 'build', 'pack');
const app = join(dir, 'app');
const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};

rmSync(dir, { recursive: true, force: true });
mkdirSync(app, { recursive: true });
// dist/ is built already (prepack would build it again).
const [packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], root));
const files = packed.files.map((file) => file.path);
for (const needed of [
  'package.json',
  'README.md',
  'custom-elements.json',
  'dist/index.js',
  'dist/index.d.ts',
  'dist/mqtt-elements.min.js',
  'dist/chart.js',
  'dist/chart.d.ts',
  'dist/chart-react.js',
  'dist/mqtt-elements-chart.min.js',
  'dist/discovery.js',
  'dist/discovery.d.ts',
  'dist/discovery-react.js',
  'dist/mqtt-elements-discovery.min.js',
  'dist/tree.js',
  'dist/tree.d.ts',
  'dist/tree-react.js',
  'dist/mqtt-elements-tree.min.js',
  'dist/react.js',
  'dist/react.d.ts',
  'dist/jsx.d.ts',
  'dist/vue.d.ts',
  'vscode.html-custom-data.json',
  'web-types.json',
]) {
  check(files.includes(needed), `the tarball lacks ${needed}`);
}
check(
  !files.some((file) => file.startsWith('test/') || file.startsWith('demo/') || file.startsWith('src/')),
  'the tarball holds test/, demo/ or src/ files'
);

// Every package that dist/ imports is declared: the scratch project sits inside this repository, so
// Node would otherwise find an undeclared one in the repository's node_modules.
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const declared = new Set([
  ...Object.keys(manifest.dependencies ?? {}),
  ...Object.keys(manifest.peerDependencies ?? {}),
]);
for (const file of files.filter((f) => /^dist\/.*\.(js|d\.ts)$/.test(f) && !f.endsWith('.min.js'))) {
  for (const [, specifier] of readFileSync(join(root, file), 'utf8').matchAll(
    /(?:from|import)\s*['"]([^'"./][^'"]*)['"]/g
  )) {
    const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
    check(declared.has(name), `${file} imports ${name}, which package.json does not declare`);
  }
}

writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }, null, 2));
// What a React or Vue user installs next to it. Packages come from npm's cache when this project was
// installed on this machine.
run(
  'npm',
  [
    'install',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--no-package-lock',
    join(dir, packed.filename),
    'react',
    'react-dom',
    '@types/react',
    'vue',
  ],
  app
);

// Every entry of the exports map resolves, and the main one and the chart entry import in Node (no DOM) without throwing.
const resolved = run(
  'node',
  [
    '--input-type=module',
    '-e',
    `for (const entry of ['mqtt-elements', 'mqtt-elements/chart', 'mqtt-elements/chart/react', 'mqtt-elements/react', 'mqtt-elements/jsx', 'mqtt-elements/vue', 'mqtt-elements/mqtt-elements.min.js', 'mqtt-elements/mqtt-elements-chart.min.js', 'mqtt-elements/discovery', 'mqtt-elements/discovery/react', 'mqtt-elements/mqtt-elements-discovery.min.js', 'mqtt-elements/tree', 'mqtt-elements/tree/react', 'mqtt-elements/mqtt-elements-tree.min.js', 'mqtt-elements/custom-elements.json'])
       console.log(import.meta.resolve(entry));
     const kit = await import('mqtt-elements');
     const { MqttChart } = await import('mqtt-elements/chart');
     if (typeof MqttChart !== 'function') throw new Error('mqtt-elements/chart exports no MqttChart');
     const { MqttDiscovery } = await import('mqtt-elements/discovery');
     if (typeof MqttDiscovery !== 'function') throw new Error('mqtt-elements/discovery exports no MqttDiscovery');
     const { MqttTree } = await import('mqtt-elements/tree');
     if (typeof MqttTree !== 'function') throw new Error('mqtt-elements/tree exports no MqttTree');
     const { MqttValue } = await import('mqtt-elements/react');
     const { createElement } = await import('react');
     const { renderToString } = await import('react-dom/server');
     console.log(typeof kit.MqttConnection + ' ' + renderToString(createElement(MqttValue, { topic: 'a' })));`,
  ],
  app
)
  .trim()
  .split('\n');
check(
  resolved.length === 16 && resolved.slice(0, 15).every((url) => url.includes('/node_modules/mqtt-elements/')),
  `exports did not resolve: ${resolved.join(' ')}`
);
check(
  resolved[15] === 'function <mqtt-value></mqtt-value>',
  `importing mqtt-elements and rendering mqtt-elements/react in Node gave: ${resolved[15]}`
);

// The types resolve for a TypeScript user, with the package's own .d.ts files.
writeFileSync(
  join(app, 'index.tsx'),
  `import { MqttConnection, type MqttMessage } from 'mqtt-elements';
import { MqttValue } from 'mqtt-elements/react';
import 'mqtt-elements/vue';
import 'mqtt-elements/jsx';
import { MqttChart, type ChartSeries } from 'mqtt-elements/chart';
export const chart: MqttChart = document.createElement('mqtt-chart');
export const series: ChartSeries[] = chart.series;
import { MqttChart as MqttChartComponent } from 'mqtt-elements/chart/react';
export const wrappedChart = <MqttChartComponent topic="home/+room/temperature" maxPoints={500} onMqttError={(event) => event.detail.hint} />;
export const rawChart = <mqtt-chart topic="a" max-points="500" window={60} />;
import { MqttDiscovery, type DeviceCard } from 'mqtt-elements/discovery';
export const cards: DeviceCard[] = (document.createElement('mqtt-discovery') satisfies MqttDiscovery).cards;
import { MqttDiscovery as MqttDiscoveryComponent } from 'mqtt-elements/discovery/react';
export const wrappedDiscovery = <MqttDiscoveryComponent prefix="homeassistant" components="sensor switch" />;
export const rawDiscovery = <mqtt-discovery prefix="zigbee" devices="Kitchen plug" />;
import { MqttTree } from 'mqtt-elements/tree';
export const tree: MqttTree = document.createElement('mqtt-tree');
import { MqttTree as MqttTreeComponent } from 'mqtt-elements/tree/react';
export const wrappedTree = <MqttTreeComponent topic="home/#" onMqttSelect={(event) => event.detail.topic} />;
const el: MqttConnection = document.createElement('mqtt-connection');
el.addEventListener('mqtt-message', (event) => event.detail.topic satisfies string);
export const message: MqttMessage | undefined = document.createElement('mqtt-value').message;
export const value = <MqttValue topic="a" digits={1} onMqttMessage={(event) => event.detail.value} />;
export const raw = <mqtt-value topic="a" digits={1} />;
`
);
writeFileSync(
  join(app, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      jsx: 'react-jsx',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      lib: ['ES2022', 'DOM'],
      types: [],
    },
    files: ['index.tsx'],
  })
);
// Modern resolution reads `exports`; the older `node` resolution reads `typesVersions`.
for (const resolution of [
  ['NodeNext', 'NodeNext'],
  ['ESNext', 'node'],
]) {
  try {
    run(
      join(root, 'node_modules', '.bin', 'tsc'),
      ['-p', 'tsconfig.json', '--module', resolution[0], '--moduleResolution', resolution[1]],
      app
    );
  } catch (error) {
    failures.push(`the types do not check in a user's project (moduleResolution ${resolution[1]}):\n${error.stdout}`);
  }
}

if (failures.length > 0) {
  console.error(`Package check failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log(
  `Package check: ${packed.filename}, ${files.length} files, ${(packed.size / 1024).toFixed(1)} KB packed; exports resolve, types check, installed in build/pack/app.`
);
