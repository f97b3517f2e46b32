import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    vue({
      // <mqtt-*> are custom elements, not Vue components.
      template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('mqtt-') } },
    }),
  ],
  base: './',
  resolve: {
    // In your own app, `npm install mqtt-elements` and drop alias, dedupe and cacheDir. Here
    // `mqtt-elements` is this repository's build (npm run build), Vue and lit come from the
    // repository's node_modules, and each example keeps its own pre-bundled dependencies.
    alias: [{ find: /^mqtt-elements$/, replacement: fileURLToPath(new URL('../../dist/index.js', import.meta.url)) }],
    dedupe: ['vue', 'lit'],
  },
  cacheDir: '../../node_modules/.vite/demo-vue',
});
