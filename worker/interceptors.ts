import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Logger } from 'pino';
import { REQUEST_ID_HEADER } from '../workflows/shared.contracts';

/**
 * Every activity execution logs one line — type, workflow, attempt, duration, outcome — with
 * the id of the HTTP request behind it (a header the workflow interceptors pass on), and the
 * SDK's own activity log lines carry the id too.
 */
export function activityLogInterceptors(logger: Logger): ActivityInterceptorsFactory {
  return (ctx) => {
    let requestId: string | undefined;
    return {
      inbound: {
        async execute(input, next) {
          const payload = input.headers[REQUEST_ID_HEADER];
          if (payload) requestId = defaultPayloadConverter.fromPayload<string>(payload);
          const started = performance.now();
          const fields = {
            requestId,
            activityType: ctx.info.activityType,
            workflowId: ctx.info.workflowExecution?.workflowId,
            attempt: ctx.info.attempt,
          };
          try {
            const result = await next(input);
            logger.info(
              { ...fields, ms: Math.round(performance.now() - started) },
              'activity completed',
            );
            return result;
          } catch (error) {
            logger.warn(
              { ...fields, ms: Math.round(performance.now() - started), err: error },
              'activity failed',
            );
            throw error;
          }
        },
      },
      outbound: {
        getLogAttributes: (input, next) => next(requestId ? { ...input, requestId } : input),
      },
    };
  };
}
