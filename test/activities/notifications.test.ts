import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createNotificationActivities,
  NOTIFICATION_NON_RETRYABLE_ERRORS,
  type StoreNotificationInput,
} from '../../activities/notifications/notification.activities';
import {
  createWebhookSender,
  signatureHeader,
  signWebhook,
  verifyWebhookSignature,
  WebhookDeliveryError,
  WebhookRejectedError,
} from '../../activities/notifications/webhook';
import type { Database } from '../../prisma/client';
import {
  createNotificationRepository,
  type NotificationRepository,
} from '../../prisma/repositories/notification.repository';
import { testDatabase } from '../support/env';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Reply = (res: http.ServerResponse) => void;

/** A real HTTP receiver on a free port; each test says how it answers. */
class Receiver {
  readonly requests: Received[] = [];
  reply: Reply = (res) => res.writeHead(204).end();
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      this.reply(res);
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/partner`;
  }

  reset(): void {
    this.requests.length = 0;
    this.reply = (res) => res.writeHead(204).end();
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const SECRET = 'whsec-test-0123456789abcdef0123456789';

describe('notification activities', () => {
  let db: Database;
  let repo: NotificationRepository;
  const receiver = new Receiver();
  let url: string;

  beforeAll(async () => {
    db = testDatabase();
    repo = createNotificationRepository(db);
    url = await receiver.start();
  });

  afterEach(() => receiver.reset());

  afterAll(async () => {
    await receiver.stop();
    await db?.$disconnect();
  });

  /** Keys and recipients unique per test: other test files share the database. */
  function notification(overrides: Partial<StoreNotificationInput> = {}): StoreNotificationInput {
    const suffix = randomUUID().slice(0, 8);
    return {
      key: `test:notification:${suffix}`,
      recipientType: 'applicant',
      recipient: `applicant-${suffix}@example.test`,
      organizationId: `org-ntf-${suffix}`,
      kind: 'application_approved',
      subject: 'Your application was approved',
      body: 'Welcome to the partner program.',
      payload: { applicationId: randomUUID(), program: 'referral' },
      ...overrides,
    };
  }

  function activities(options: { webhook?: boolean; timeoutMs?: number; url?: string } = {}) {
    const webhook =
      options.webhook === false
        ? undefined
        : createWebhookSender({
            url: options.url ?? url,
            secret: SECRET,
            timeoutMs: options.timeoutMs,
          });
    return createNotificationActivities({ notifications: repo, webhook });
  }

  async function rowsWithKey(key: string) {
    return db.notification.findMany({ where: { idempotencyKey: key } });
  }

  describe('storeNotification', () => {
    it('stores one row per key and returns the same id when repeated', async () => {
      const acts = activities();
      const input = notification();
      const first = await acts.storeNotification(input);
      const second = await acts.storeNotification({ ...input, subject: 'a changed retry' });

      expect(second.notificationId).toBe(first.notificationId);
      const rows = await rowsWithKey(input.key);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        id: first.notificationId,
        recipientType: 'applicant',
        recipient: input.recipient,
        organizationId: input.organizationId,
        subject: 'Your application was approved',
        payload: input.payload,
        deliveredAt: null,
        deliveryAttempts: 0,
        lastError: null,
      });
    });

    it('stores one row when five calls race on the same key', async () => {
      const acts = activities();
      const input = notification({ recipientType: 'manager', recipient: 'partner-managers' });
      const results = await Promise.all(
        Array.from({ length: 5 }, () => acts.storeNotification(input)),
      );

      const ids = new Set(results.map((r) => r.notificationId));
      expect(ids.size).toBe(1);
      expect(await rowsWithKey(input.key)).toHaveLength(1);
    });

    it('stores without organization and payload', async () => {
      const input = notification({ organizationId: undefined, payload: undefined });
      const { notificationId } = await activities().storeNotification(input);
      const row = await repo.findById(notificationId);
      expect(row).toMatchObject({ organizationId: null, payload: {} });
    });
  });

  describe('deliverNotification', () => {
    it('posts the signed notification once and marks it delivered', async () => {
      const acts = activities();
      const input = notification();
      const { notificationId } = await acts.storeNotification(input);
      const before = Math.floor(Date.now() / 1000);

      await expect(acts.deliverNotification({ notificationId })).resolves.toEqual({
        delivered: true,
      });

      expect(receiver.requests).toHaveLength(1);
      const [request] = receiver.requests;
      expect(request!.headers['content-type']).toBe('application/json');
      expect(request!.headers['idempotency-key']).toBe(input.key);
      const signature = request!.headers['x-partner-signature'] as string;
      expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const now = Math.floor(Date.now() / 1000);
      expect(verifyWebhookSignature(SECRET, signature, request!.body, now)).toBe(true);
      const t = Number(/t=(\d+)/.exec(signature)![1]);
      expect(t).toBeGreaterThanOrEqual(before);
      expect(t).toBeLessThanOrEqual(now);

      const row = await repo.findById(notificationId);
      expect(JSON.parse(request!.body)).toEqual({
        id: notificationId,
        kind: input.kind,
        recipientType: input.recipientType,
        recipient: input.recipient,
        organizationId: input.organizationId,
        subject: input.subject,
        body: input.body,
        payload: input.payload,
        createdAt: row!.createdAt.toISOString(),
      });
      expect(row!.deliveredAt).toBeInstanceOf(Date);
      expect(row!.deliveryAttempts).toBe(1);
      expect(row!.lastError).toBeNull();
    });

    it('skips a notification already delivered without posting again', async () => {
      const acts = activities();
      const { notificationId } = await acts.storeNotification(notification());
      await acts.deliverNotification({ notificationId });
      const deliveredAt = (await repo.findById(notificationId))!.deliveredAt;

      await expect(acts.deliverNotification({ notificationId })).resolves.toEqual({
        delivered: false,
        skipped: 'already_delivered',
      });
      expect(receiver.requests).toHaveLength(1);
      expect((await repo.findById(notificationId))!.deliveredAt).toEqual(deliveredAt);
    });

    it('records a 500 as a retryable failure, and a later retry delivers', async () => {
      const acts = activities();
      const { notificationId } = await acts.storeNotification(notification());
      receiver.reply = (res) => res.writeHead(500).end('receiver down');

      const failure = await acts.deliverNotification({ notificationId }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(WebhookDeliveryError);
      expect((failure as WebhookDeliveryError).name).toBe('WebhookDeliveryError');
      expect((failure as WebhookDeliveryError).status).toBe(500);
      expect(NOTIFICATION_NON_RETRYABLE_ERRORS).not.toContain((failure as Error).name);

      let row = await repo.findById(notificationId);
      expect(row).toMatchObject({ deliveredAt: null, deliveryAttempts: 1 });
      expect(row!.lastError).toContain('500');
      expect(row!.lastError).toContain('receiver down');

      // What Temporal's retry policy does next: the same activity again.
      receiver.reply = (res) => res.writeHead(200).end('ok');
      await expect(acts.deliverNotification({ notificationId })).resolves.toEqual({
        delivered: true,
      });
      row = await repo.findById(notificationId);
      expect(row!.deliveredAt).toBeInstanceOf(Date);
      expect(row!.deliveryAttempts).toBe(2);
      expect(receiver.requests).toHaveLength(2);
      // Both attempts carry the same key, so the receiver can drop the redelivery.
      expect(receiver.requests[0]!.headers['idempotency-key']).toBe(
        receiver.requests[1]!.headers['idempotency-key'],
      );
    });

    it('treats a 400 as a rejection that must not be retried', async () => {
      const acts = activities();
      const { notificationId } = await acts.storeNotification(notification());
      receiver.reply = (res) => res.writeHead(400).end('unknown kind');

      const failure = await acts.deliverNotification({ notificationId }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(WebhookRejectedError);
      expect((failure as WebhookRejectedError).name).toBe('WebhookRejectedError');
      expect((failure as WebhookRejectedError).status).toBe(400);
      expect(NOTIFICATION_NON_RETRYABLE_ERRORS).toContain((failure as Error).name);

      const row = await repo.findById(notificationId);
      expect(row).toMatchObject({ deliveredAt: null, deliveryAttempts: 1 });
      expect(row!.lastError).toContain('WebhookRejectedError');
    });

    it.each([408, 429, 503])('treats %i as retryable', async (status) => {
      const acts = activities();
      const { notificationId } = await acts.storeNotification(notification());
      receiver.reply = (res) => res.writeHead(status).end();

      await expect(acts.deliverNotification({ notificationId })).rejects.toBeInstanceOf(
        WebhookDeliveryError,
      );
    });

    it('treats a slow receiver as a retryable timeout', async () => {
      const acts = activities({ timeoutMs: 200 });
      const { notificationId } = await acts.storeNotification(notification());
      receiver.reply = (res) => setTimeout(() => res.writeHead(204).end(), 1000);

      const failure = await acts.deliverNotification({ notificationId }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(WebhookDeliveryError);
      expect((failure as Error).message).toContain('timed out after 200 ms');
      expect(await repo.findById(notificationId)).toMatchObject({
        deliveredAt: null,
        deliveryAttempts: 1,
      });
    });

    it('treats an unreachable receiver as retryable', async () => {
      // A port that was free a moment ago: nothing listens there.
      const closed = new Receiver();
      const closedUrl = await closed.start();
      await closed.stop();
      const acts = activities({ url: closedUrl });
      const { notificationId } = await acts.storeNotification(notification());

      const failure = await acts.deliverNotification({ notificationId }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(WebhookDeliveryError);
      expect((failure as Error).message).toContain('unreachable');
    });

    it('keeps the notification stored and skips delivery without a webhook', async () => {
      const acts = activities({ webhook: false });
      const input = notification({ recipientType: 'supervisor', recipient: 'partner-supervisors' });
      const { notificationId } = await acts.storeNotification(input);

      await expect(acts.deliverNotification({ notificationId })).resolves.toEqual({
        delivered: false,
        skipped: 'no_webhook',
      });
      expect(receiver.requests).toHaveLength(0);
      expect(await repo.findById(notificationId)).toMatchObject({
        idempotencyKey: input.key,
        deliveredAt: null,
        deliveryAttempts: 0,
      });
    });

    it('fails without retry for an unknown notification', async () => {
      await expect(
        activities().deliverNotification({ notificationId: randomUUID() }),
      ).rejects.toMatchObject({ type: 'NotificationNotFound', nonRetryable: true });
      expect(receiver.requests).toHaveLength(0);
    });
  });

  describe('repository list', () => {
    it('lists a recipient’s notifications newest first', async () => {
      const acts = activities({ webhook: false });
      const recipient = `applicant-${randomUUID().slice(0, 8)}@example.test`;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await acts.storeNotification(notification({ recipient }))).notificationId);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }

      const listed = await repo.list({ recipientType: 'applicant', recipient, limit: 10 });
      expect(listed.map((n) => n.id)).toEqual([...ids].reverse());
      expect(await repo.list({ recipientType: 'manager', recipient, limit: 10 })).toEqual([]);
      expect(await repo.list({ recipient, limit: 2 })).toHaveLength(2);
    });
  });
});

describe('webhook signature', () => {
  const body = JSON.stringify({ id: 'n-1', subject: 'Hello' });
  const t = 1_760_000_000;

  it('is the hex HMAC-SHA256 of "<t>.<body>" in the header format t=…,v1=…', () => {
    const signature = signWebhook(SECRET, t, body);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(signatureHeader(SECRET, t, body)).toBe(`t=${t},v1=${signature}`);
    expect(signWebhook(SECRET, t + 1, body)).not.toBe(signature);
  });

  it('accepts a valid signature within the tolerance, either side of the clock', () => {
    const header = signatureHeader(SECRET, t, body);
    expect(verifyWebhookSignature(SECRET, header, body, t)).toBe(true);
    expect(verifyWebhookSignature(SECRET, header, body, t + 300)).toBe(true);
    expect(verifyWebhookSignature(SECRET, header, body, t - 300)).toBe(true);
  });

  it('accepts any matching v1 (secret rotation) and ignores unknown schemes', () => {
    const header = `t=${t},v1=${signWebhook('old-secret', t, body)},v0=abc,v1=${signWebhook(SECRET, t, body)}`;
    expect(verifyWebhookSignature(SECRET, header, body, t)).toBe(true);
  });

  it('rejects a tampered body', () => {
    const header = signatureHeader(SECRET, t, body);
    expect(verifyWebhookSignature(SECRET, header, body.replace('Hello', 'Hellp'), t)).toBe(false);
  });

  it('rejects a wrong secret', () => {
    const header = signatureHeader('another-secret', t, body);
    expect(verifyWebhookSignature(SECRET, header, body, t)).toBe(false);
  });

  it('rejects a timestamp beyond the tolerance (a replay)', () => {
    const header = signatureHeader(SECRET, t, body);
    expect(verifyWebhookSignature(SECRET, header, body, t + 301)).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, body, t - 301)).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, body, t + 60, 30)).toBe(false);
  });

  it('rejects a timestamp changed after signing', () => {
    const header = signatureHeader(SECRET, t, body).replace(`t=${t}`, `t=${t + 1}`);
    expect(verifyWebhookSignature(SECRET, header, body, t)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['no timestamp', `v1=${signWebhook(SECRET, t, body)}`],
    ['no signature', `t=${t}`],
    ['bad timestamp', `t=abc,v1=${signWebhook(SECRET, t, body)}`],
    ['short signature', `t=${t},v1=abcd`],
    ['garbage', 'not a header'],
  ])('rejects a malformed header (%s)', (_label, header) => {
    expect(verifyWebhookSignature(SECRET, header, body, t)).toBe(false);
  });

  it('signs with the sender clock', async () => {
    let captured: { headers: Headers; body: string } | undefined;
    const fetchImpl: typeof fetch = (_url, init) => {
      captured = { headers: new Headers(init?.headers), body: init?.body as string };
      return Promise.resolve(new Response(null, { status: 202 }));
    };
    const sender = createWebhookSender({
      url: 'https://hooks.example.test/partner?token=x',
      secret: SECRET,
      fetchImpl,
      now: () => t * 1000 + 999,
    });
    await sender.send({ idempotencyKey: 'k-1', event: { a: 1 } });
    expect(captured!.headers.get('x-partner-signature')).toBe(
      signatureHeader(SECRET, t, '{"a":1}'),
    );
    expect(captured!.headers.get('idempotency-key')).toBe('k-1');
  });
});
