import fs from 'node:fs';
import type { Config } from './index';

/**
 * Connection options for a Temporal frontend: the dev server locally, or a production
 * cluster / Temporal Cloud with mTLS client certificates or an API key.
 */
export interface TemporalConnectionOptions {
  address: string;
  tls?: { clientCertPair?: { crt: Buffer; key: Buffer } };
  apiKey?: string;
  metadata?: Record<string, string>;
}

/** Options accepted by both the client's Connection and the worker's NativeConnection. */
export function temporalConnectionOptions(
  config: Config,
  address: string,
): TemporalConnectionOptions {
  const { temporal } = config;
  const tls = temporal.tls
    ? {
        clientCertPair:
          temporal.tlsCertPath && temporal.tlsKeyPath
            ? {
                crt: fs.readFileSync(temporal.tlsCertPath),
                key: fs.readFileSync(temporal.tlsKeyPath),
              }
            : undefined,
      }
    : undefined;
  return {
    address,
    tls,
    apiKey: temporal.apiKey,
    metadata: temporal.apiKey ? { 'temporal-namespace': temporal.namespace } : undefined,
  };
}
