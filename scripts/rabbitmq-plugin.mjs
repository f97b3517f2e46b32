// The web-test-runner plugin for RabbitMQ: browser tests start its node through
// `executeServerCommand` (see test/rabbitmq.ts). One node for the run (it takes ~10 s to start),
// started by the first test that asks for it and stopped with the runner.
import { startRabbitmq, USER } from './rabbitmq.mjs';

/**
 * Command `rabbitmq-start {variant?}`: starts (once for the run) the RabbitMQ node and returns
 * `{ url }` for `anonymous` (the default), `{ url, username, password }` of its user for `password`.
 */
export function rabbitmqPlugin() {
  /** @type {Promise<Awaited<ReturnType<typeof startRabbitmq>>> | undefined} */
  let node;

  function start() {
    if (!node) {
      node = startRabbitmq();
      node.catch(() => (node = undefined));
    }
    return node;
  }

  const commands = {
    'rabbitmq-start': async ({ variant = 'anonymous' } = {}) => {
      if (!['anonymous', 'password'].includes(variant)) throw new Error(`unknown RabbitMQ variant "${variant}"`);
      const { url } = await start();
      return variant === 'password' ? { url, ...USER } : { url };
    },
  };
  return {
    name: 'rabbitmq',
    async serverStop() {
      const running = node;
      node = undefined;
      await (await running?.catch(() => undefined))?.close();
    },
    async executeCommand({ command, payload }) {
      const run = commands[command];
      return run ? await run(payload ?? {}) : undefined;
    },
  };
}
