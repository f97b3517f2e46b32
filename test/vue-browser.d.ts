// Vue's in-browser build (with the template compiler) has the same API as the `vue` package.
declare module 'vue/dist/vue.esm-browser.js' {
  export * from 'vue';
}
