import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const dist = (file) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url));

export default defineConfig({
  plugins: [react()],
  base: './',
  resolve: {
    // In your own app, `npm install mqtt-elements` and drop alias, dedupe and cacheDir. Here
    // `mqtt-elements` is this repository's build (npm run build), React and lit come from the
    // repository's node_modules, and each example keeps its own pre-bundled dependencies.
    alias: [
      { find: /^mqtt-elements$/, replacement: dist('index.js') },
      { find: /^mqtt-elements\/react$/, replacement: dist('react.js') },
    ],
    dedupe: ['react', 'react-dom', 'lit'],
  },
  cacheDir: '../../node_modules/.vite/demo-react',
});
