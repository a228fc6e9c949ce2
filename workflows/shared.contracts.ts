/**
 * Contracts every workflow shares: the task queue and the request-id header. Each workflow's
 * own messages, inputs, outputs and id builders live in its `<workflow>.contracts.ts`; the API
 * imports those, never the workflow implementations. Wire names (the strings passed to
 * define*) never change once deployed.
 */
export const DEFAULT_TASK_QUEUE = 'partner-platform';

/** The Temporal header that carries the id of the HTTP request behind a workflow or activity. */
export const REQUEST_ID_HEADER = 'x-request-id';
