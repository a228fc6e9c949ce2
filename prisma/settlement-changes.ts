import pg from 'pg';

/**
 * Notices from PostgreSQL that something a kept read is computed from has changed (a channel
 * per kind of read, sent by triggers when the writing transaction commits).
 *
 * `generation()` moves on with every notice, and also whenever the listening connection is
 * lost or comes back, since notices may have been missed meanwhile. A reader that recorded the
 * generation before it read the database may keep what it read only while the generation is
 * still the same. While not listening, nothing may be kept at all (`listening()` is false).
 */
export interface ChangeFeed {
  generation(): number;
  listening(): boolean;
  /**
   * Resolves once every change committed before the call has moved the generation on:
   * PostgreSQL delivers pending notices on the listening connection before it answers a query
   * there. Concurrent callers share round trips. Rejects while not listening.
   */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export type SettlementChanges = ChangeFeed;

/** Changes to what a settlement reads (running invoices). */
export function listenForSettlementChanges(
  databaseUrl: string,
  options: ListenOptions = {},
): ChangeFeed {
  return listenForChanges(databaseUrl, 'settlement_inputs', options);
}

/** Changes to what an application's status is read from (channel 'application_inputs'). */
export function listenForApplicationChanges(
  databaseUrl: string,
  options: ListenOptions = {},
): ChangeFeed {
  return listenForChanges(databaseUrl, 'application_inputs', options);
}

interface ListenOptions {
  reconnectMs?: number;
  onError?: (error: Error) => void;
}

function listenForChanges(
  databaseUrl: string,
  channel: 'settlement_inputs' | 'application_inputs',
  options: ListenOptions,
): ChangeFeed {
  const reconnectMs = options.reconnectMs ?? 1_000;
  let generation = 0;
  let connected = false;
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;

  /** Stops listening on the current connection and closes it, whatever state it is in. */
  const drop = async () => {
    connected = false;
    const old = client;
    client = null;
    old?.removeAllListeners();
    old?.on('error', () => undefined);
    await old?.end().catch(() => undefined);
  };

  const lost = (error?: Error) => {
    if (error) options.onError?.(error);
    generation += 1;
    void drop();
    if (!closed && !retry) {
      retry = setTimeout(() => {
        retry = null;
        void connect();
      }, reconnectMs);
      retry.unref();
    }
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: databaseUrl });
    client = next;
    next.on('error', (error) => lost(error));
    next.on('end', () => {
      if (client === next) lost();
    });
    next.on('notification', () => {
      generation += 1;
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      if (closed || client !== next) {
        await next.end().catch(() => undefined);
        return;
      }
      // Whatever changed before LISTEN took effect was not announced: start a new generation.
      generation += 1;
      connected = true;
    } catch (error) {
      if (client === next) lost(error as Error);
    }
  };

  let inFlight: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const roundTrip = (): Promise<void> => {
    const current = client;
    if (!connected || !current) return Promise.reject(new Error('not listening for changes'));
    const trip = current.query('SELECT 1').then(() => undefined);
    inFlight = trip.finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  void connect();

  return {
    sync() {
      if (!inFlight) return roundTrip();
      // A round trip already under way may have started before this call: wait for the next.
      queued ??= inFlight.then(
        () => {
          queued = null;
          return roundTrip();
        },
        () => {
          queued = null;
          return roundTrip();
        },
      );
      return queued;
    },
    generation: () => generation,
    listening: () => connected,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await drop();
    },
  };
}
