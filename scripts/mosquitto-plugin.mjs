// The web-test-runner plugin for mosquitto: browser tests start brokers through
// `executeServerCommand` (see test/helpers.ts and test/mosquitto.ts).
import { createCertificate, startMosquitto } from './mosquitto.mjs';

/**
 * The certificate of the `tls` variant. It is made when the test config is loaded, because the
 * browser has to be told to trust it when it launches.
 */
let certificate;
/** Why the certificate could not be made (openssl missing): the `tls` variant fails with it. */
let certificateError;

function removeCertificate() {
  certificate?.remove();
  certificate = undefined;
}

/**
 * Extra Chromium flags the mosquitto tests need: trust the self-signed certificate of the `tls`
 * variant, in the test browser only, by the hash of its public key. Makes the certificate.
 */
export function browserArgs() {
  if (!certificate && !certificateError) {
    try {
      certificate = createCertificate();
      process.once('exit', removeCertificate);
    } catch (error) {
      certificateError = error;
      console.warn(`mosquitto-plugin: the wss:// tests will fail: ${error.message}`);
    }
  }
  return certificate ? [`--ignore-certificate-errors-spki-list=${certificate.spki}`] : [];
}

/**
 * Command `mosquitto-start {variant?}`: starts (once for the run) the mosquitto of a variant,
 * `anonymous` (the default), `password`, `tls` (trusted by the test browser) or `untrusted-tls`, and
 * returns `{ url, username?, password? }`.
 */
export function mosquittoPlugin() {
  /** @type {Map<string, Promise<Awaited<ReturnType<typeof startMosquitto>>>>} */
  const brokers = new Map();

  function start(variant) {
    if (variant === 'tls' && !certificate) {
      throw (
        certificateError ??
        new Error('No certificate for the browser to trust: spread browserArgs() into the Chromium args.')
      );
    }
    let broker = brokers.get(variant);
    if (!broker) {
      // `untrusted-tls`: wss:// with a certificate of its own, which the browser does not trust.
      broker =
        variant === 'untrusted-tls' ? startMosquitto({ variant: 'tls' }) : startMosquitto({ variant, certificate });
      brokers.set(variant, broker);
      broker.catch(() => brokers.delete(variant));
    }
    return broker;
  }

  const commands = {
    'mosquitto-start': async ({ variant = 'anonymous' } = {}) => {
      const { url, username, password } = await start(variant);
      return { url, username, password };
    },
  };
  return {
    name: 'mosquitto',
    async serverStop() {
      const running = [...brokers.values()];
      brokers.clear();
      await Promise.all(running.map(async (broker) => (await broker.catch(() => undefined))?.close()));
      removeCertificate();
    },
    async executeCommand({ command, payload }) {
      const run = commands[command];
      return run ? await run(payload ?? {}) : undefined;
    },
  };
}
