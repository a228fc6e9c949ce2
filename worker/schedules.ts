import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import {
  MONTH_CLOSE_SCHEDULE_ID,
  MONTH_CLOSE_WORKFLOW_TYPE,
} from '../workflows/month-close.contracts';

/**
 * The month-end close fires at 00:00 Moscow time on the 1st for the previous month
 * (SPEC §2). Created once; a restart finds it and leaves it as it is.
 */
export async function ensureMonthCloseSchedule(
  client: Client,
  taskQueue: string,
): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: MONTH_CLOSE_SCHEDULE_ID,
      spec: {
        calendars: [{ comment: 'month-end close', dayOfMonth: 1, hour: 0, minute: 0 }],
        timezone: 'Europe/Moscow',
      },
      action: {
        type: 'startWorkflow',
        workflowType: MONTH_CLOSE_WORKFLOW_TYPE,
        workflowId: 'month-close:scheduled',
        taskQueue,
        args: [{}],
      },
      policies: { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: '7 days' },
      memo: { purpose: 'VAR month-end close of the previous month' },
    });
    return 'created';
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return 'exists';
    throw error;
  }
}
