import { firstOpenDate } from '../../domain/closed-period';
import type { Database } from '../client';
import type { Prisma } from '../generated/client/client';

/**
 * Which months are closed, read from month_closes (the rule is domain/closed-period.ts).
 * Writers of dated changes (deals, projects, specializations, referral sign-ups) read it
 * inside their own transaction through `lockFirstOpenDate`, so no close can begin between
 * their check and their commit.
 */
type Client = Pick<Database, '$queryRaw'>;

/** The newest month with a close, running or completed; null before the first close. */
export async function newestClosedMonth(client: Client): Promise<string | null> {
  const [row] = await client.$queryRaw<{ month: string | null }[]>`
    SELECT max(month) AS month FROM month_closes`;
  return row?.month ?? null;
}

/**
 * The first open date, read under a SHARE lock on month_closes held to the end of the
 * transaction. SHARE mode lets writers run side by side but conflicts with the INSERT that
 * begins a close (and the close's progress updates), so a close starts either before this
 * read, which then sees it, or after this transaction commits, when its reads see the write.
 * Call it first in the transaction, before any other lock: a writer that held another lock
 * while queued behind a waiting close could deadlock with a writer holding SHARE.
 */
export async function lockFirstOpenDate(tx: Prisma.TransactionClient): Promise<string | null> {
  await tx.$executeRaw`LOCK TABLE month_closes IN SHARE MODE`;
  return firstOpenDate(await newestClosedMonth(tx));
}
