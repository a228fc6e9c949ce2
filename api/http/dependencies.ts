import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

/**
 * The services the API cannot answer without. When one of them is down, a request that needs
 * it is answered at once with 503 and a Retry-After, naming the dependency (never its
 * address); the error itself goes to the server log.
 */
export type Dependency = 'database' | 'temporal' | 'identity-provider';

export const DEPENDENCY_NAMES: Record<Dependency, string> = {
  database: 'The database',
  temporal: 'The workflow service (Temporal)',
  'identity-provider': 'The identity provider',
};

/** Seconds a client is asked to wait before it tries again. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

/** Thrown where code sees a dependency fail and wants to say so explicitly. */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: Dependency,
    options?: { cause?: unknown },
  ) {
    super(`${DEPENDENCY_NAMES[dependency]} is unavailable`, options);
    this.name = 'DependencyUnavailableError';
  }
}

/**
 * Prisma's codes for a database it cannot reach or that stopped answering: P1001 can't
 * reach, P1002 timed out, P1008 operation timed out, P1017 server closed the connection,
 * P2024 no connection from the pool in time.
 */
const PRISMA_CONNECTION_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

/** The driver adapter's kinds of the same failures (they arrive under P2010 on raw queries). */
const ADAPTER_CONNECTION_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);

/**
 * node-postgres and PostgreSQL's own: sockets refused or reset, the server shutting down or
 * starting (57P01–57P03), a statement cancelled by statement_timeout (57014), too many
 * connections (53300), connection failures (08xxx).
 */
const PG_CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '53300',
]);
const PG_CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error/i;

/** gRPC statuses that mean Temporal could not be reached or did not answer in time. */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE_CODE = 14;
const GRPC_UNAVAILABLE = new Set<number>([GRPC_UNAVAILABLE_CODE, GRPC_DEADLINE_EXCEEDED]);

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
  cause?: unknown;
  details?: unknown;
  metadata?: unknown;
}

function databaseFailure(error: ErrorLike): boolean {
  const name = typeof error.name === 'string' ? error.name : '';
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (name === 'PrismaClientInitializationError') return true;
  if (name.startsWith('PrismaClient') && code && PRISMA_CONNECTION_CODES.has(code)) return true;
  const kind = error.meta?.driverAdapterError?.cause?.kind;
  if (typeof kind === 'string' && ADAPTER_CONNECTION_KINDS.has(kind)) return true;
  if (name === 'DriverAdapterError') {
    const causeKind = (error.cause as { kind?: unknown } | undefined)?.kind;
    if (typeof causeKind === 'string' && ADAPTER_CONNECTION_KINDS.has(causeKind)) return true;
  }
  if (code && PG_CONNECTION_CODES.has(code)) return true;
  if (/^08/.test(code ?? '')) return true;
  return typeof error.message === 'string' && PG_CONNECTION_MESSAGES.test(error.message);
}

function temporalFailure(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const e = error as ErrorLike;
  // A gRPC error: a numeric code with details and metadata, as @grpc/grpc-js makes them.
  const grpc =
    typeof e.code === 'number' && typeof e.details === 'string' && e.metadata !== undefined;
  if (grpc && GRPC_UNAVAILABLE.has(e.code as number)) return true;
  return error instanceof ServiceError && e.cause !== undefined && temporalFailure(e.cause);
}

/**
 * Which dependency an error says is down, or undefined when it is some other error. Follows
 * `cause` chains (a workflow-client error wraps the gRPC one, Prisma wraps the driver's).
 */
export function unavailableDependency(error: unknown): Dependency | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    if (current instanceof DependencyUnavailableError) return current.dependency;
    if (temporalFailure(current)) return 'temporal';
    if (databaseFailure(current)) return 'database';
    current = (current as ErrorLike).cause;
  }
  return undefined;
}
