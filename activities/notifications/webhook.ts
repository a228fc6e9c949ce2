/**
 * Signed webhook delivery of notifications.
 *
 * Every request is a `POST` of a JSON body with these headers:
 *
 *   Content-Type:        application/json
 *   Idempotency-Key:     <the notification's idempotency key>
 *   X-Partner-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
 *
 * `v1` is the lowercase hex HMAC-SHA256, keyed with the shared secret, of the string
 * `<t>.<raw request body>` (the timestamp, a dot, the body bytes exactly as received).
 * A receiver should:
 *   1. compute the HMAC over the raw body before parsing it (re-serialised JSON differs);
 *   2. compare it with every `v1` in the header in constant time (several may be sent
 *      while a secret is being rotated);
 *   3. reject a `t` further than its tolerance (5 minutes by default) from its own clock,
 *      which stops a captured request from being replayed later;
 *   4. drop a request whose Idempotency-Key it has already processed: delivery is
 *      at-least-once, so the same notification may arrive more than once.
 * `verifyWebhookSignature` below does steps 1–3.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Partner-Signature';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/** The delivery did not get through (network, timeout, 5xx, 408, 429…): retry it later. */
export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The receiver answered and refused the payload (a 4xx other than 408 and 429): sending the
 * same bytes again cannot succeed, so the activity's retry policy must not retry it.
 */
export class WebhookRejectedError extends Error {
  override readonly name = 'WebhookRejectedError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Hex HMAC-SHA256 of `${timestamp}.${body}`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The `X-Partner-Signature` header value for a body sent at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signWebhook(secret, timestamp, body)}`;
}

/**
 * Checks an `X-Partner-Signature` header against the raw body. False for a malformed header,
 * a timestamp outside `toleranceSeconds` of `nowSeconds` (either direction), or no matching
 * `v1`. Comparison is constant-time so the signature cannot be guessed byte by byte.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined | null,
  body: string,
  nowSeconds: number,
  toleranceSeconds: number = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  if (!header) return false;
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return false;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return false;
      timestamp = Number(value);
    } else if (key === 'v1') {
      candidates.push(value);
    }
    // Other schemes (a future v2) are ignored, so receivers keep working during an upgrade.
  }
  if (timestamp === undefined || candidates.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;

  const expected = Buffer.from(signWebhook(secret, timestamp, body), 'hex');
  let matched = false;
  for (const candidate of candidates) {
    if (!/^[0-9a-f]{64}$/i.test(candidate)) continue;
    // No early exit: every candidate is compared, whether or not an earlier one matched.
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
  }
  return matched;
}

export interface WebhookSenderOptions {
  url: string;
  secret: string;
  /** Per request, headers and body included; a slow receiver counts as a failed attempt. */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  /** Milliseconds since the epoch; tests pin it to check the timestamp tolerance. */
  now?: () => number;
}

export interface WebhookSender {
  /** Posts `event` as JSON; resolves on a 2xx, throws WebhookDeliveryError/WebhookRejectedError. */
  send(input: { idempotencyKey: string; event: unknown }): Promise<void>;
}

/** How much of a failed response's body goes into the error (and so into lastError). */
const MAX_RESPONSE_EXCERPT = 300;

export function createWebhookSender({
  url,
  secret,
  timeoutMs = 5000,
  fetchImpl = fetch,
  now = Date.now,
}: WebhookSenderOptions): WebhookSender {
  // The URL may carry a token in its query: errors name the host only.
  const target = new URL(url).host;

  return {
    async send({ idempotencyKey, event }) {
      const body = JSON.stringify(event);
      const timestamp = Math.floor(now() / 1000);
      const signal = AbortSignal.timeout(timeoutMs);

      let response: Response;
      try {
        response = await fetchImpl(url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            [SIGNATURE_HEADER]: signatureHeader(secret, timestamp, body),
            [IDEMPOTENCY_HEADER]: idempotencyKey,
          },
          body,
          // A redirected POST may turn into a GET elsewhere; the receiver must give the real URL.
          redirect: 'manual',
          signal,
        });
      } catch (error) {
        throw new WebhookDeliveryError(
          signal.aborted
            ? `webhook ${target} timed out after ${timeoutMs} ms`
            : `webhook ${target} unreachable: ${describe(error)}`,
          undefined,
          { cause: error },
        );
      }

      // Read the body in every case so the connection goes back to the pool.
      const text = await response.text().catch(() => '');
      if (response.status >= 200 && response.status < 300) return;

      const excerpt = text.slice(0, MAX_RESPONSE_EXCERPT);
      const message = `webhook ${target} answered ${response.status}${excerpt ? `: ${excerpt}` : ''}`;
      const status = response.status;
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        throw new WebhookRejectedError(message, status);
      }
      throw new WebhookDeliveryError(message, status);
    },
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici reports "fetch failed" and puts the reason (ECONNREFUSED…) in `cause`.
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
