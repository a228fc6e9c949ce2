import type { Browser, Page } from 'playwright-core';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { moscowDateOf } from '../../domain/calendar/production-calendar';
import type { Database } from '../../prisma/client';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';
import { apiClient, createPartner, type PartnerFixture } from '../support/fixtures';
import { WIDTHS, expectText, launchBrowser, shot, signIn } from '../support/browser';

/**
 * A partner registers a deal in the portal, a manager approves it from the one review queue,
 * and the partner's running invoice shows the uplift — in a real headless Chromium against the
 * API and worker. Screenshots of each page at 1280 and 390 px, Russian and English, go to
 * test-results/screenshots/.
 */

describe('deal registration in the browser', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('browser-deals') });
  const stamp = Date.now().toString(36);
  const today = moscowDateOf(new Date());
  let worker: RunningWorker;
  let api: RunningApi;
  let db: Database;
  let browser: Browser;
  let partner: PartnerFixture;
  const tokens = { partner: '', manager: '' };
  const call = apiClient(() => api.url);

  beforeAll(async () => {
    db = testDatabase();
    partner = await createPartner(db, {
      tag: `br-deal-${stamp}`,
      name: 'ООО «Сделка»',
      customers: 2,
      memberSince: '2026-01-01',
    });
    // Today's consumption of the customer the deal will link: the uplift applies from approval.
    await db.consumptionLine.create({
      data: {
        sourceId: `br-deal-${stamp}-1`,
        billingAccountId: partner.customerIds[0] as string,
        cloudId: 'cloud-deal',
        folderId: 'folder-deal',
        serviceId: 'compute',
        sku: 'compute.vcpu',
        usageDate: new Date(`${today}T00:00:00Z`),
        amount: '10000.00',
      },
    });
    worker = await startWorker(config, { schedules: false });
    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    tokens.manager = await issuer.issue({ subject: 'user-maria', role: 'manager', name: 'Maria' });
    tokens.partner = await issuer.issue({
      subject: 'user-sdelka',
      role: 'partner',
      organizationId: partner.organizationId,
      name: 'Sofia',
    });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await worker?.shutdown();
    await db?.$disconnect();
  });

  jest.setTimeout(180_000);

  const signedIn = (token: string, language: 'ru' | 'en', width: number): Promise<Page> =>
    signIn(browser, api.url, token, { language, width });

  it('registers a deal, the manager approves it from the queue, the running invoice shows the uplift', async () => {
    const customer = partner.customerIds[0] as string;
    const seller = await signedIn(tokens.partner, 'en', WIDTHS.desktop);
    // Before the deal: 10 000.00 less the 10% bonus = 9 000.00.
    await seller.goto(`${api.url}/#/partner`);
    await expectText(seller, 'running-payable', '9,000.00 ₽');
    expect(await seller.getByTestId('running-uplift').count()).toBe(0);

    await seller.goto(`${api.url}/#/partner/registrations`);
    const form = seller.getByTestId('deal-form');
    await form.waitFor();
    await form.locator('select[name=customerAccountId]').selectOption(customer);
    // A bad amount is refused beside its field, and nothing is registered.
    await form.locator('input[name=expectedMonthlyConsumption]').fill('lots');
    await form.locator('textarea[name=description]').fill('Migration of the ERP to the cloud');
    await seller.getByTestId('submit-deal').click();
    await form.locator('.field.invalid').first().waitFor();
    expect(await seller.getByTestId('registration-row').count()).toBe(0);
    await form.locator('input[name=expectedMonthlyConsumption]').fill('12000.00');
    await seller.getByTestId('submit-deal').click();
    const row = seller.getByTestId('registration-row');
    await row.waitFor();
    expect(await row.count()).toBe(1);
    await expectText(seller, 'registration-status', 'Pending review');
    await shot(seller, 'partner-registrations-en-1280');
    await seller.context().close();

    const manager = await signedIn(tokens.manager, 'en', WIDTHS.desktop);
    const dealRow = manager.locator('[data-testid=queue-row][data-kind=deal]').first();
    await dealRow.waitFor();
    expect(await dealRow.textContent()).toContain('ООО «Сделка»');
    await shot(manager, 'manager-queue-en-1280');
    await dealRow.getByTestId('queue-open').click();
    const decision = manager.getByTestId('registration-decision');
    await decision.waitFor();
    // Above the 15-point cap: the API's refusal is shown and the deal stays pending.
    await decision.locator('input[name=upliftRate]').fill('0.2');
    await manager.getByTestId('approve-registration').click();
    await manager.getByRole('alert').first().waitFor();
    await decision.locator('input[name=upliftRate]').fill('0.05');
    await manager.getByTestId('approve-registration').click();
    await expectText(manager, 'registration-status', 'Approved');
    await shot(manager, 'manager-registration-en-1280');
    await manager.context().close();

    // After approval: bonus 10% + uplift 5% of 10 000.00 = 1 500.00; payable 8 500.00.
    const after = await signedIn(tokens.partner, 'en', WIDTHS.desktop);
    await after.goto(`${api.url}/#/partner`);
    await expectText(after, 'running-uplift', `−500.00 ₽`);
    await expectText(after, 'running-payable', '8,500.00 ₽');
    expect(await after.getByTestId('running-uplift-label').textContent()).toContain(customer);
    // The amounts are on screen inside their card, not pushed out by a long label.
    const card = await after.getByTestId('running-invoice').boundingBox();
    for (const amount of ['running-uplift', 'running-payable']) {
      const box = await after.getByTestId(amount).boundingBox();
      expect(box && card && box.x + box.width <= card.x + card.width && box.width > 0).toBe(true);
    }
    await shot(after, 'partner-running-invoice-uplift-en-1280');
    await after.context().close();
  });

  it('shows the new pages in Russian and English, on a desktop and on a phone, none wider than the screen', async () => {
    // A second deal waits in the queue.
    const pending = await call('POST', '/v1/partners/me/deal-registrations', tokens.partner, {
      customerAccountId: partner.customerIds[1],
      expectedMonthlyConsumption: '3000.00',
      description: 'Backup of the customer’s file servers',
    });
    expect(pending.status).toBe(202);
    for (const language of ['ru', 'en'] as const) {
      for (const [device, width] of Object.entries(WIDTHS)) {
        const seller = await signedIn(tokens.partner, language, width);
        for (const page of ['registrations', 'presales', 'specializations']) {
          await seller.goto(`${api.url}/#/partner/${page}`);
          await seller.locator('main .card').first().waitFor();
          await shot(seller, `partner-${page}-${language}-${width}`);
        }
        await seller.goto(`${api.url}/#/partner`);
        await seller.getByTestId('running-payable').waitFor();
        await shot(seller, `partner-overview-${language}-${width}`);
        await seller.context().close();

        const manager = await signedIn(tokens.manager, language, width);
        await manager.getByTestId('queue-row').first().waitFor();
        await shot(manager, `manager-queue-${language}-${width}`);
        await manager.getByTestId('queue-open').first().click();
        await manager.getByTestId('registration-status').waitFor();
        await shot(manager, `manager-registration-${language}-${device}`);
        await manager.context().close();
      }
    }
  });
});
