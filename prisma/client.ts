import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client/client';

export type Database = PrismaClient;

/**
 * Prisma through the node-postgres driver adapter: no query-engine binary needed.
 *
 * When PostgreSQL restarts or drops a connection, its clients emit 'error' — idle or checked
 * out, at any moment. Left without a listener, that event ends the process. Every client the
 * pool opens gets a listener for its whole life: the error is reported through `onError`, the
 * query in flight fails (its activity is retried by Temporal), and the pool replaces the
 * broken client on the next query.
 *
 * The API bounds both waits so that a stopped or stuck database is reported at once (503)
 * rather than holding requests: `connectTimeoutMs` for a connection (also a free one from a
 * busy pool), `statementTimeoutMs` for one statement (PostgreSQL cancels it; the socket is
 * given up a second later should the server not answer at all). Unset, nothing is bounded,
 * as the worker wants for its long settlement queries.
 */
export function createDatabase(
  databaseUrl: string,
  options: {
    poolSize?: number;
    onError?: (error: Error) => void;
    connectTimeoutMs?: number;
    statementTimeoutMs?: number;
  } = {},
): Database {
  const onError =
    options.onError ??
    ((error: Error) => process.emitWarning(`PostgreSQL connection lost: ${error.message}`));
  const statementTimeout = options.statementTimeoutMs;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 0,
    ...(statementTimeout
      ? { statement_timeout: statementTimeout, query_timeout: statementTimeout + 1_000 }
      : {}),
  });
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  const adapter = new PrismaPg(pool, {
    onPoolError: onError,
    onConnectionError: onError,
    disposeExternalPool: true,
  });
  return new PrismaClient({ adapter });
}
