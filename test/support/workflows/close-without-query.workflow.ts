import { condition } from '@temporalio/workflow';

/**
 * Stands in for a month close that has started but registered no query handler yet: it
 * waits, answering no query, until it is terminated.
 */
export async function monthCloseWorkflow(): Promise<void> {
  await condition(() => false);
}
