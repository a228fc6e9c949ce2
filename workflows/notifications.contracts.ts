/**
 * Error types the workflows list in `nonRetryableErrorTypes` of the deliverNotification
 * proxy: a receiver that refuses the payload will refuse it again.
 */
export const NOTIFICATION_NON_RETRYABLE_ERRORS: string[] = ['WebhookRejectedError'];

/**
 * How workflows call the notification activities: delivery retried with backoff for about
 * half an hour, a refusal by the receiver not retried. Kept with the contracts, so workflow
 * code imports nothing but types from `activities/`.
 */
export const NOTIFICATION_ACTIVITY_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 12,
    nonRetryableErrorTypes: NOTIFICATION_NON_RETRYABLE_ERRORS,
  },
} as const;
