import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { addDays, moscowDateOf } from '../../domain/calendar/production-calendar';
import type { Database } from '../../prisma/client';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';
import { apiClient, createPartner, type PartnerFixture } from '../support/fixtures';

/** Exit notice, withdrawal and revocation through the HTTP API on the dev server. */
describe('partner lifecycle through the HTTP API', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-lifecycle') });
  let worker: RunningWorker;
  let api: RunningApi;
  let db: Database;
  let partner: PartnerFixture;
  const tokens = { partner: '', manager: '' };
  const call = apiClient(() => api.url);

  beforeAll(async () => {
    db = testDatabase();
    const today = moscowDateOf(new Date());
    partner = await createPartner(db, {
      tag: `e2e-life-${Date.now()}`,
      name: 'ООО «Выход»',
      memberSince: today,
    });
    worker = await startWorker(config, { schedules: false });
    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    tokens.partner = await issuer.issue({
      subject: 'user-leaver',
      role: 'partner',
      organizationId: partner.organizationId,
    });
    tokens.manager = await issuer.issue({ subject: 'user-maria', role: 'manager' });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
    await db?.$disconnect();
  });

  async function status(): Promise<string> {
    return (await db.partner.findUniqueOrThrow({ where: { id: partner.partnerId } })).status;
  }

  async function waitForStatus(expected: string): Promise<void> {
    for (let i = 0; i < 100 && (await status()) !== expected; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await status()).toBe(expected);
  }

  it('refuses an exit date less than 30 days ahead, naming the earliest date', async () => {
    const today = moscowDateOf(new Date());
    const res = await call<{ errors: { field: string; message: string }[] }>(
      'POST',
      '/v1/partners/me/exit-notice',
      tokens.partner,
      { exitDate: addDays(today, 29) },
    );
    expect(res.status).toBe(422);
    // The code and its parameters let the portal say it in the partner's language.
    expect(res.body.errors[0]).toEqual({
      field: 'exitDate',
      message: `must be on or after ${addDays(today, 30)} (30 days after the notice)`,
      code: 'notice_too_short',
      params: { days: 30, earliest: addDays(today, 30) },
    });
    expect(await status()).toBe('active');
  });

  it('gives notice for 30 days ahead, refuses a second one, and lets the partner withdraw it', async () => {
    const today = moscowDateOf(new Date());
    const notice = await call<{ exitDate: string }>(
      'POST',
      '/v1/partners/me/exit-notice',
      tokens.partner,
      {},
    );
    expect(notice.status).toBe(202);
    expect(notice.body.exitDate).toBe(addDays(today, 30));
    await waitForStatus('leaving');
    const me = await call<{ status: string; exitDate: string }>(
      'GET',
      '/v1/partners/me',
      tokens.partner,
    );
    expect(me.body).toMatchObject({ status: 'leaving', exitDate: addDays(today, 30) });

    expect((await call('POST', '/v1/partners/me/exit-notice', tokens.partner, {})).status).toBe(
      409,
    );
    const withdrawn = await call<{ status: string }>(
      'POST',
      '/v1/partners/me/exit-notice/withdraw',
      tokens.partner,
    );
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(await status()).toBe('active');
  });

  it('lets only a manager revoke, at once, superseding an open notice', async () => {
    expect((await call('POST', '/v1/partners/me/exit-notice', tokens.partner, {})).status).toBe(
      202,
    );
    await waitForStatus('leaving');
    expect(
      (
        await call('POST', `/v1/partners/${partner.partnerId}/revoke`, tokens.partner, {
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    const empty = await call('POST', `/v1/partners/${partner.partnerId}/revoke`, tokens.manager, {
      reason: ' ',
    });
    expect(empty.status).toBe(400);
    const revoked = await call('POST', `/v1/partners/${partner.partnerId}/revoke`, tokens.manager, {
      reason: 'non-compliance with the agreement',
    });
    expect(revoked.status).toBe(202);
    await waitForStatus('revoked');
    const row = await db.partner.findUniqueOrThrow({ where: { id: partner.partnerId } });
    expect(row.endReason).toBe('non-compliance with the agreement');
    expect(
      (
        await call('POST', `/v1/partners/${partner.partnerId}/revoke`, tokens.manager, {
          reason: 'again',
        })
      ).status,
    ).toBe(409);

    // The partner is told why, with what the final steps produced, and can no longer
    // withdraw rebates: the balance was paid out on leaving.
    let kinds: string[] = [];
    for (let i = 0; i < 100 && !kinds.includes('partner_revoked'); i++) {
      const notes = await call<{ items: { kind: string; body: string }[] }>(
        'GET',
        '/v1/notifications',
        tokens.partner,
      );
      kinds = notes.body.items.map((n) => n.kind);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(kinds).toEqual(
      expect.arrayContaining(['exit_notice_received', 'exit_notice_withdrawn', 'partner_revoked']),
    );
    const me = await call<{ status: string }>('GET', '/v1/partners/me', tokens.partner);
    expect(me.body.status).toBe('revoked');
    const res = await fetch(`${api.url}/v1/partners/me/rebates/withdrawals`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${tokens.partner}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': 'after-revocation',
      },
      body: JSON.stringify({ amount: '1.00', target: 'bonus' }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/revoked/);
    const audit = await db.auditEvent.findMany({
      where: { entityType: 'partner', entityId: partner.partnerId },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual(['notice', 'withdraw_notice', 'notice', 'revoke']);
    expect(audit[3]).toMatchObject({ actor: 'user-maria', fromState: 'leaving' });
  });
});
