import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client/client';

export type Database = PrismaClient;

/**
 * Prisma through the node-postgres driver adapter: no query-engine binary needed.
 *
 * When PostgreSQL restarts or drops a connection, the pool's idle clients emit 'error'. Left
 * unhandled, that event would end the process; here it is reported through `onError` and
 * the broken client is dropped: the next query opens a new connection, and the activity that
 * was running fails and is retried by Temporal.
 */
export function createDatabase(
  databaseUrl: string,
  options: { poolSize?: number; onError?: (error: Error) => void } = {},
): Database {
  const onError =
    options.onError ??
    ((error: Error) => process.emitWarning(`PostgreSQL connection lost: ${error.message}`));
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, max: options.poolSize ?? 10 },
    { onPoolError: onError, onConnectionError: onError },
  );
  return new PrismaClient({ adapter });
}
