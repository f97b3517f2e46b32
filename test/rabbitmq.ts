// Browser-side helpers for the RabbitMQ node of scripts/rabbitmq-plugin.mjs, and what RabbitMQ
// 3.10's MQTT plugin (MQTT 3.1.1 only) does differently from aedes and mosquitto.
import { executeServerCommand } from '@web/test-runner-commands';
import type { BrokerAccess } from './mosquitto.js';

/** `anonymous`: the url only; `password`: the url and the node's user (alice) with its password. */
export type RabbitmqVariant = 'anonymous' | 'password';

/** How long the first start may take: RabbitMQ needs about 10 s on two cores, more when they are busy. */
export const RABBITMQ_START_TIMEOUT = 90_000;

/** Starts (once for the run) the RabbitMQ node; its Web MQTT url ends in `/ws`. */
export function startRabbitmq(variant: RabbitmqVariant = 'anonymous'): Promise<BrokerAccess> {
  return executeServerCommand<BrokerAccess, { variant: RabbitmqVariant }>('rabbitmq-start', { variant });
}

/**
 * RabbitMQ 3.10 grants a subscription at QoS 2 as QoS 1 (QoS 2 came with its MQTT 5 support, in
 * 3.13), so a message published at QoS 2 arrives at QoS 1. Publishing at QoS 2 works: the broker
 * completes the PUBREC/PUBREL/PUBCOMP exchange.
 */
export const RABBITMQ_MAX_QOS = 1;
