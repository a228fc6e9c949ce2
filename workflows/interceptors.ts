import {
  defaultPayloadConverter,
  log,
  type Headers,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import { REQUEST_ID_HEADER } from './shared.contracts';

/**
 * Carries the id of the HTTP request that started or last signalled/updated a workflow into
 * the workflow's log lines and, as a header, into every activity, child and continue-as-new
 * it schedules; the worker's activity interceptor puts it on the activity's log lines.
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  let requestId: string | undefined;
  const read = (headers: Headers) => {
    const payload = headers[REQUEST_ID_HEADER];
    if (payload) requestId = defaultPayloadConverter.fromPayload<string>(payload);
  };
  const write = (headers: Headers): Headers =>
    requestId
      ? { ...headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId) }
      : headers;
  return {
    inbound: [
      {
        async execute(input, next) {
          read(input.headers);
          log.info('workflow started');
          return next(input);
        },
        async handleSignal(input, next) {
          read(input.headers);
          return next(input);
        },
        async handleUpdate(input, next) {
          read(input.headers);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next({ ...input, headers: write(input.headers) }),
        scheduleLocalActivity: (input, next) => next({ ...input, headers: write(input.headers) }),
        startChildWorkflowExecution: (input, next) =>
          next({ ...input, headers: write(input.headers) }),
        continueAsNew: (input, next) => next({ ...input, headers: write(input.headers) }),
        getLogAttributes: (input, next) => next(requestId ? { ...input, requestId } : input),
      },
    ],
  };
};
