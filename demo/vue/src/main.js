import { createApp } from 'vue';
// Defines <mqtt-connection>, <mqtt-value>, ... Import it before mounting, so that Vue sets bound
// values such as :digits="1" as properties of the defined elements.
import 'mqtt-elements';
import App from './App.vue';

createApp(App).mount('#app');
