// npm run lint: Prettier decides the layout, ESLint the rest (typescript-eslint, Lit, web components).
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'build/',
      'node_modules/',
      'demo/react/dist/',
      'demo/vue/dist/',
      // Generated from custom-elements.json by scripts/framework-types.mjs.
      'src/react.ts',
      'src/chart-react.ts',
      'src/jsx.ts',
      'src/vue.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'test/**/*.tsx'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'test/**/*.tsx'],
    ...wc.configs['flat/recommended'],
  },
  {
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Chai's assertions are property reads: expect(x).to.be.true.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['scripts/**', 'demo/*.mjs', 'bench/**', '*.mjs', 'test/node/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  }
);
