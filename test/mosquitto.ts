// Browser-side helpers for the mosquitto brokers of scripts/mosquitto-plugin.mjs.
import { executeServerCommand } from '@web/test-runner-commands';

/**
 * `anonymous`: ws://, anyone; `password`: ws://, user alice only; `tls`: wss://, anonymous, with a
 * certificate made for the run and trusted by the test browser; `untrusted-tls`: the same with a
 * certificate the browser does not trust.
 */
export type MosquittoVariant = 'anonymous' | 'password' | 'tls' | 'untrusted-tls';

/** Where a test broker is, and the credentials it accepts (none for the anonymous ones). */
export interface BrokerAccess {
  url: string;
  username?: string;
  password?: string;
}

/** Starts (once for the run) the mosquitto of `variant`. */
export function startMosquitto(variant: MosquittoVariant = 'anonymous'): Promise<BrokerAccess> {
  return executeServerCommand<BrokerAccess, { variant: MosquittoVariant }>('mosquitto-start', { variant });
}
