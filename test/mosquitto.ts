// Browser-side helpers for the mosquitto brokers of scripts/mosquitto-plugin.mjs.
import { executeServerCommand } from '@web/test-runner-commands';

/** `anonymous`: ws://, anyone; `password`: ws://, user alice only; `tls`: wss:// (certificate made for the run), anonymous. */
export type MosquittoVariant = 'anonymous' | 'password' | 'tls';

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

/** Stops the mosquitto of `variant`; `startMosquitto(variant)` starts a new one, on new ports. */
export async function stopMosquitto(variant: MosquittoVariant = 'anonymous'): Promise<void> {
  await executeServerCommand('mosquitto-stop', { variant });
}
