// The web-test-runner plugin for mosquitto: browser tests start it through `executeServerCommand`
// (see test/helpers.ts).
import { startMosquitto } from './mosquitto.mjs';

/** Extra Chromium flags the mosquitto tests need (none yet). */
export function browserArgs() {
  return [];
}

/** Commands: `mosquitto-start` starts one anonymous mosquitto for the suite and returns its ws url. */
export function mosquittoPlugin() {
  let mosquitto;
  const commands = {
    'mosquitto-start': async () => {
      mosquitto ??= await startMosquitto();
      return { url: mosquitto.url };
    },
  };
  return {
    name: 'mosquitto',
    async serverStop() {
      await mosquitto?.close();
    },
    async executeCommand({ command, payload }) {
      const run = commands[command];
      return run ? await run(payload) : undefined;
    },
  };
}
