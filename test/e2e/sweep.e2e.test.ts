import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { addDays, moscowDateOf } from '../../domain/calendar/production-calendar';
import type { Database } from '../../prisma/client';
import { createPresaleRepository } from '../../prisma/repositories/presale.repository';
import { createRegistrationRepository } from '../../prisma/repositories/registration.repository';
import { freePort } from '../../scripts/infra/process';
import { startMissingWorkflows } from '../../worker/sweep';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { presaleRequestWorkflowId } from '../../workflows/presale-request.contracts';
import { registrationReviewWorkflowId } from '../../workflows/registration-review.contracts';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';
import { apiClient, createPartner, type PartnerFixture } from '../support/fixtures';

/**
 * A partner registers a deal and asks for presale help while Temporal is unreachable from the
 * API: both are kept (202 / 201, nothing to submit again), and the worker's sweep starts their
 * workflows once it runs — exactly once.
 */
describe('records stored while Temporal was unreachable', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-sweep') });
  const call = apiClient(() => api.url);
  const tag = randomUUID().slice(0, 8);
  let api: RunningApi;
  let worker: RunningWorker | undefined;
  let db: Database;
  let partner: PartnerFixture;
  let connection: Connection;
  let client: Client;
  let token = '';

  beforeAll(async () => {
    db = testDatabase();
    partner = await createPartner(db, {
      tag: `sweep-${tag}`,
      name: 'ООО «Отложенный»',
      customers: 1,
      memberSince: '2026-01-01',
    });
    // The API is given a Temporal address where nothing listens.
    const nowhere = `127.0.0.1:${await freePort()}`;
    api = await startApi(
      { ...config, temporal: { ...config.temporal, address: nowhere } },
      {
        port: 0,
      },
    );
    connection = await Connection.connect({ address: config.temporal.address as string });
    client = new Client({ connection, namespace: config.temporal.namespace });
    token = await createTokenService(config.auth).issue({
      subject: `user-${tag}`,
      role: 'partner',
      organizationId: partner.organizationId,
    });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
    await connection?.close();
    await db?.$disconnect();
  });

  it('keeps both records, starts their workflows at the worker’s sweep, and never twice', async () => {
    const customer = partner.customerIds[0] as string;
    const deal = await call<{ id: string; status: string; reviewDeadline: string | null }>(
      'POST',
      '/v1/partners/me/deal-registrations',
      token,
      {
        customerAccountId: customer,
        expectedMonthlyConsumption: '50000.00',
        description: 'Migration of the customer’s ERP',
      },
    );
    expect(deal.status).toBe(202);
    expect(deal.body).toMatchObject({ status: 'pending', reviewDeadline: null });
    const presale = await call<{ id: string; status: string }>(
      'POST',
      '/v1/partners/me/presale-requests',
      token,
      {
        customerAccountId: customer,
        topic: 'Kubernetes sizing',
        description: 'Two clusters, 40 nodes',
        desiredDate: addDays(moscowDateOf(new Date()), 10),
      },
    );
    expect(presale.status).toBe(201);
    // Registering the same customer again is refused: the first registration is kept.
    expect(
      (
        await call('POST', '/v1/partners/me/deal-registrations', token, {
          customerAccountId: customer,
          expectedMonthlyConsumption: '50000.00',
          description: 'again',
        })
      ).status,
    ).toBe(409);

    // The worker's sweep runs at its start.
    worker = await startWorker(config, { schedules: true });
    const registrations = createRegistrationRepository(db);
    let stored = await registrations.find(deal.body.id);
    for (let i = 0; i < 150 && !stored?.reviewDeadline; i++) {
      await new Promise((r) => setTimeout(r, 100));
      stored = await registrations.find(deal.body.id);
    }
    // The review ran: it set the deadline on the production calendar, still pending.
    expect(stored).toMatchObject({ status: 'pending' });
    expect(stored?.reviewDeadline).toEqual(expect.any(String));
    const review = await client.workflow
      .getHandle(registrationReviewWorkflowId(deal.body.id))
      .describe();
    expect(review.status.name).toBe('RUNNING');
    const request = await client.workflow
      .getHandle(presaleRequestWorkflowId(presale.body.id))
      .describe();
    expect(request.status.name).toBe('RUNNING');

    // A second sweep finds both running and starts nothing.
    const again = await startMissingWorkflows({
      client,
      taskQueue: config.temporal.taskQueue,
      registrations,
      presales: createPresaleRepository(db),
      config,
    });
    expect(again.started).toEqual([]);
    expect(again.checked).toBeGreaterThanOrEqual(2);
  });
});
