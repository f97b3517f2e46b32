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

/**
 * Publishes `count` messages at once into the anonymous mosquitto (`{i}` in topic or payload is the
 * index), in order, from a Node-side client; resolves once they are all written.
 */
export async function mosquittoPublish(options: {
  topic: string;
  payload?: string;
  count?: number;
  qos?: number;
  retain?: boolean;
}): Promise<void> {
  await executeServerCommand('mosquitto-publish', options);
}

/** Where the bridged mosquitto pair of scripts/mosquitto-cluster.mjs listens: node 0, node 1. */
export interface ClusterAccess {
  /** WebSocket urls (`ws://127.0.0.1:PORT/mqtt`) of node 0 and node 1. */
  urls: [string, string];
  /** Plain MQTT urls of node 0 and node 1. */
  mqttUrls: [string, string];
}

/** A node of the cluster: 0 or 1 (node 1 holds the bridge to node 0). */
export type ClusterNode = 0 | 1;

/** Starts (once for the run) two mosquitto nodes bridged both ways; resolves once both run. */
export function startCluster(): Promise<ClusterAccess> {
  return executeServerCommand<ClusterAccess, undefined>('mosquitto-cluster-start');
}

/** Kills a node of the cluster (kill -9: no DISCONNECT, no goodbye); resolves once it has exited. */
export async function killNode(node: ClusterNode): Promise<void> {
  await executeServerCommand('mosquitto-node-stop', { node });
}

/** Starts a killed node again on its ports; resolves once the bridge carries messages both ways. */
export async function restartNode(node: ClusterNode): Promise<void> {
  await executeServerCommand('mosquitto-node-start', { node });
}

/** A Node-side client on `node` starts collecting what is published on `topic` (a filter). */
export async function recordOnNode(topic: string, node: ClusterNode): Promise<void> {
  await executeServerCommand('mosquitto-cluster-record', { topic, node });
}

/** The payloads collected on `node` since {@link recordOnNode} for `topic`, in arrival order. */
export function recordedOnNode(topic: string, node: ClusterNode): Promise<string[]> {
  return executeServerCommand<string[], { topic: string; node: ClusterNode }>('mosquitto-cluster-recorded', {
    topic,
    node,
  });
}

/** A Node-side client publishes `from`, `from + 1`, … on `topic` at `node` every `every` ms. */
export async function streamFromNode(options: {
  topic: string;
  node: ClusterNode;
  every?: number;
  from?: number;
}): Promise<void> {
  await executeServerCommand('mosquitto-cluster-stream', options);
}

/** Ends the stream of {@link streamFromNode} on `topic`; resolves to the last number it sent. */
export async function stopStream(topic: string): Promise<number> {
  return (await executeServerCommand<{ last: number }, { topic: string }>('mosquitto-cluster-stream-stop', { topic }))
    .last;
}

/** Publishes one message on `node` from a Node-side client. */
export async function publishOnNode(options: {
  topic: string;
  node: ClusterNode;
  payload: string;
  qos?: 0 | 1 | 2;
}): Promise<void> {
  await executeServerCommand('mosquitto-cluster-publish', options);
}

/** Ends every recorder and stream, starts any killed node again and waits for the bridge. */
export async function resetCluster(): Promise<void> {
  await executeServerCommand('mosquitto-cluster-reset');
}
