import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { FIXTURE_INN } from '../../activities/registry/fixtures';
import { createTokenService, type Principal } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { monthInMoscow } from '../../domain/settlement/periods';
import type { Database } from '../../prisma/client';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';
import { apiClient, createPartner, type PartnerFixture } from '../support/fixtures';
import { expectText, launchBrowser, shot, signInThroughIdp, WIDTHS } from '../support/browser';
import { reserveIssuer, startIdp, withIdp, type TestIdp } from '../support/identity-provider';

/**
 * The portal in a real headless Chromium (Debian's, driven by playwright-core) against the
 * API and worker on the dev server. Everyone signs in as a person does: "Sign in", the
 * development identity provider's login page, back in the portal with an access token held in
 * memory only. Screenshots of the main pages go to test-results/screenshots/.
 */
const NBSP = '\u00a0';

describe('the portal in the browser', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('browser') });
  const stamp = Date.now().toString(36);
  const month = monthInMoscow(new Date().toISOString());
  let worker: RunningWorker;
  let api: RunningApi;
  let db: Database;
  let browser: Browser;
  let idp: TestIdp;
  let reseller: PartnerFixture;
  let other: PartnerFixture;
  let otherInvoiceId: string;
  const tokens = { applicant: '' };
  /** The people of this file, known to its identity provider (filled in once partners exist). */
  const people: Record<
    'manager' | 'applicant' | 'reseller' | 'other' | 'finance' | 'russian',
    Principal
  > = {
    manager: { subject: 'user-maria', role: 'manager', name: 'Maria' },
    applicant: {
      subject: 'user-new',
      role: 'partner',
      organizationId: `org-br-new-${stamp}`,
      name: 'Nikolai',
    },
    reseller: { subject: 'user-vitrina', role: 'partner', name: 'Vera' },
    other: { subject: 'user-sosedi', role: 'partner', name: 'Semyon' },
    finance: { subject: 'user-fedor', role: 'finance', name: 'Fedor' },
    russian: {
      subject: 'user-ru',
      role: 'partner',
      organizationId: `org-br-ru-${stamp}`,
      name: 'Ruslan',
    },
  };
  const call = apiClient(() => api.url);

  beforeAll(async () => {
    db = testDatabase();
    reseller = await createPartner(db, {
      tag: `br-var-${stamp}`,
      name: 'ООО «Витрина»',
      memberSince: `${month}-01`,
    });
    other = await createPartner(db, {
      tag: `br-other-${stamp}`,
      name: 'ООО «Соседи»',
      memberSince: `${month}-01`,
    });
    otherInvoiceId = randomUUID();
    await db.invoice.create({
      data: {
        id: otherInvoiceId,
        number: `VAR-BR-${stamp}`,
        partnerId: other.partnerId,
        month: '2025-01',
        kind: 'monthly',
        sequence: 0,
        issuedAt: new Date(),
        consumptionTotal: '0',
        grantsTotal: '0',
        eligibleBase: '0',
        discountTotal: '0',
        payable: '0',
        vatRate: '0.2',
        vatAmount: '0',
        seqFrom: 0n,
        seqTo: 0n,
      },
    });
    worker = await startWorker(config, { schedules: false });
    people.reseller.organizationId = reseller.organizationId;
    people.other.organizationId = other.organizationId;
    const issuerUrl = await reserveIssuer();
    api = await startApi(withIdp(config, issuerUrl), { port: 0 });
    idp = await startIdp({
      issuer: issuerUrl,
      accounts: Object.values(people),
      portalUrl: api.url,
    });
    // What the test itself sends to the API goes with a shared-secret token.
    tokens.applicant = await createTokenService(config.auth).issue(people.applicant);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await idp?.stop();
    await worker?.shutdown();
    await db?.$disconnect();
  });

  // A browser journey on a busy 2-core machine (two test files at a time, each with a worker)
  // can take over a minute; a slow machine must not fail it, a hung page still does.
  jest.setTimeout(180_000);

  /** A fresh browser profile signed in through the identity provider, in English. */
  const signedIn = (person: Principal): Promise<Page> =>
    signInThroughIdp(browser, api.url, person.subject);

  it('signs in through the identity provider, keeps no token in storage, comes back after a reload and signs out of the provider too', async () => {
    // The sign-in page and the provider's login page as a person sees them, in both languages.
    for (const language of ['en', 'ru'] as const) {
      for (const [label, width] of Object.entries(WIDTHS)) {
        const page = await signInThroughIdp(browser, api.url, people.manager.subject, {
          language,
          width,
          onSignInPage: (p) => shot(p, `sign-in-${language}-${label}`),
          onLoginPage: async (p) => {
            const text = (await p.locator('main').textContent()) ?? '';
            expect(text).toContain(
              language === 'ru' ? 'Вход для разработки' : 'Development sign-in',
            );
            expect(text).toContain('dev');
            expect(text).toContain('Maria');
            await shot(p, `sign-in-provider-${language}-${label}`);
          },
        });
        expect(await page.getByTestId('who').textContent()).toBe('Maria');
        await page.context().close();
      }
    }

    const page = await signedIn(people.applicant);
    const origin = new URL(api.url).origin;
    expect(new URL(page.url()).origin).toBe(origin);
    // The code and state are gone from the address; no token is in the browser's storage.
    expect(new URL(page.url()).search).toBe('');
    const stored = await page.evaluate<string>(
      'JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])',
    );
    expect(stored).not.toMatch(/eyJ/);

    // A reload signs in again through the provider's session, on the same page, unasked.
    const visited: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url());
    });
    await page.goto(`${api.url}/#/partner/application`);
    await page.getByTestId('start-application').waitFor();
    await page.reload();
    await page.getByTestId('start-application').waitFor();
    expect(new URL(page.url()).hash).toBe('#/partner/application');
    // (The provider answered with a redirect at once: only the way back shows, with a code.)
    expect(visited.some((url) => url.includes('?code='))).toBe(true);
    expect(visited.some((url) => url.includes('/interaction/'))).toBe(false);

    // Signing out ends the provider's session: the next "Sign in" asks for the user again.
    visited.length = 0;
    await page.getByRole('button', { name: 'Sign out' }).click();
    for (let i = 0; i < 100; i++) {
      const ended = visited.some((url) => url.startsWith(`${idp.issuer}/session/end`));
      if (ended && new URL(page.url()).origin === origin) break;
      await page.waitForTimeout(100);
    }
    await page.getByTestId('sign-in').waitFor();
    expect(await page.getByTestId('who').count()).toBe(0);
    await page.reload();
    await page.getByTestId('sign-in').waitFor();
    expect(await page.getByTestId('who').count()).toBe(0);
    await page.getByTestId('sign-in').click();
    await page.locator('input[name=password]').waitFor();
    await page.context().close();
  });

  it('takes an applicant through the application, a manager approves from the queue, and the partner sees partner status', async () => {
    const applicant = await signedIn(people.applicant);
    await applicant.goto(`${api.url}/#/partner/application`);
    await applicant.getByTestId('start-application').waitFor();
    await applicant.locator('select[name=identityMethod]').selectOption('new_id');
    await applicant.getByRole('button', { name: 'Start an application' }).click();
    const form = applicant.getByTestId('step-form');
    // An INN with a wrong check digit is refused with the field named, and nothing moves on.
    await applicant.locator('input[name=contactName]').fill('Nikolai Orlov');
    await applicant.locator('input[name=contactEmail]').fill('n@example.com');
    await applicant.locator('input[name=contactPhone]').fill('+7 495 000-00-01');
    await applicant.locator('input[name=inn]').fill('7704123451');
    await form.getByRole('button', { name: 'Continue' }).click();
    const refusal = applicant.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('check digit');
    await shot(applicant, 'partner-application-refused');
    await applicant.locator('input[name=inn]').fill(FIXTURE_INN.active);
    await form.getByRole('button', { name: 'Continue' }).click();
    await applicant.getByRole('button', { name: 'This is my company' }).click();
    await applicant.getByRole('button', { name: /Play/ }).click();
    await applicant.locator('select[name=taxationType]').waitFor({ timeout: 15_000 });
    await applicant.locator('input[name=specializations]').fill('integration, devops');
    await applicant.locator('input[name=customerCount]').fill('5');
    await applicant.locator('textarea[name=motivation]').fill('Resell the cloud');
    await shot(applicant, 'partner-application-partnership');
    await form.getByRole('button', { name: 'Continue' }).click();
    await applicant.locator('input[name=accountName]').fill('Main account');
    await form.getByRole('button', { name: 'Continue' }).click();
    await expectText(applicant, 'application-status', 'Awaiting billing verification');

    // The billing system verifies the new account (a system, not a person: through the API).
    const list = await call<{ items: { applicationId: string }[] }>(
      'GET',
      '/v1/applications',
      tokens.applicant,
    );
    const id = list.body.items[0]?.applicationId as string;
    const application = await call<{ billingAccount: { id: string } }>(
      'GET',
      `/v1/applications/${id}`,
      tokens.applicant,
    );
    const billing = await createTokenService(config.auth).issue({
      subject: 'billing-system',
      role: 'billing-system',
    });
    await call('POST', '/v1/billing-verifications', billing, {
      billingAccountId: application.body.billingAccount.id,
      result: 'approved',
    });
    for (let i = 0; i < 50; i++) {
      await applicant.reload();
      const status = applicant.getByTestId('application-status');
      if ((await status.textContent().catch(() => null)) === 'In review') break;
      await applicant.waitForTimeout(200);
    }
    await expectText(applicant, 'application-status', 'In review');
    await shot(applicant, 'partner-application');
    await applicant.context().close();

    const manager = await signedIn(people.manager);
    await manager.getByTestId('review-queue').waitFor();
    const row = manager.getByTestId('queue-row').filter({ hasText: FIXTURE_INN.active }).first();
    await row.waitFor();
    await shot(manager, 'manager-review-queue');
    await row.getByRole('link', { name: 'Open' }).click();
    await manager.getByTestId('company-card').waitFor();
    await shot(manager, 'manager-application');
    await manager.getByRole('button', { name: 'Approve', exact: true }).click();
    await expectText(manager, 'application-status', 'Approved');
    await manager.context().close();

    const partner = await signedIn(people.applicant);
    await expectText(partner, 'partner-status-value', 'Partner');
    await shot(partner, 'partner-overview');
    await partner.context().close();
  });

  it('shows a withdrawal to bonus as the same drop in the running invoice', async () => {
    const [customer] = reseller.customerIds as [string];
    await db.consumptionLine.create({
      data: {
        sourceId: `br-${stamp}-1`,
        billingAccountId: customer,
        cloudId: 'cloud-br',
        folderId: 'folder-br',
        serviceId: 'compute',
        sku: 'compute.vcpu',
        usageDate: new Date(`${month}-01T00:00:00Z`),
        amount: '10000.00',
      },
    });
    await db.rebateLedgerEntry.create({
      data: {
        partnerId: reseller.partnerId,
        idempotencyKey: `br-credit-${stamp}`,
        kind: 'project_rebate',
        amount: '2500.00',
        month: '2025-12',
      },
    });
    const page = await signedIn(people.reseller);
    await page.goto(`${api.url}/#/partner/rebates`);
    // 10 000.00 of customer consumption less the 10% bonus: 9 000.00 payable.
    await expectText(page, 'rebate-balance', '2,500.00 ₽');
    await expectText(page, 'running-payable', '9,000.00 ₽');
    await page.locator('input[name=amount]').fill('1000.00');
    await page.locator('select[name=target]').selectOption('bonus');
    await page.getByRole('button', { name: 'Withdraw', exact: true }).click();
    // A withdrawal cannot be undone: the portal asks first, naming the amount and where it goes.
    const confirm = page.getByRole('dialog');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('1,000.00 ₽');
    await confirm.getByRole('button', { name: 'Confirm the withdrawal' }).click();
    // The balance and the running invoice both drop by exactly 1 000.00.
    await expectText(page, 'rebate-balance', '1,500.00 ₽');
    await expectText(page, 'running-payable', '8,000.00 ₽');
    await shot(page, 'partner-rebates');
    await page.goto(`${api.url}/#/partner`);
    await page.getByTestId('bonus-chart').waitFor();
    await shot(page, 'partner-overview-var');
    await page.context().close();
  });

  it('keeps a partner out of another partner’s pages and out of the consoles', async () => {
    const owner = await signedIn(people.other);
    await owner.goto(`${api.url}/#/partner/invoices/${otherInvoiceId}`);
    await owner.getByTestId('invoice-detail').waitFor();
    await shot(owner, 'partner-invoice');
    await owner.context().close();

    const intruder = await signedIn(people.reseller);
    await intruder.goto(`${api.url}/#/partner/invoices/${otherInvoiceId}`);
    const alert = intruder.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/not found/i);
    expect(await intruder.getByTestId('invoice-detail').count()).toBe(0);
    await intruder.goto(`${api.url}/#/manager`);
    await intruder.getByTestId('forbidden').waitFor();
    expect(await intruder.getByTestId('review-queue').count()).toBe(0);
    await intruder.context().close();
  });

  it('shows an unknown address as not found, with the way back to the partner’s overview', async () => {
    const page = await signedIn(people.reseller);
    for (const path of ['partner/no-such-page', 'no-such-area']) {
      await page.goto(`${api.url}/#/${path}`);
      const notFound = page.getByTestId('not-found');
      await notFound.waitFor();
      expect(await page.getByTestId('forbidden').count()).toBe(0);
      await notFound.getByRole('link').click();
      await page.getByTestId('partner-status').waitFor();
      expect(new URL(page.url()).hash).toBe('#/partner');
      // The navigation marks where the partner is now.
      const current = page.locator('header nav a[aria-current=page]');
      expect(await current.getAttribute('href')).toBe('#/partner');
    }
    await page.context().close();
  });

  it('offers finance the closes and managers the partners', async () => {
    const finance = await signedIn(people.finance);
    await finance.getByTestId('closes').waitFor();
    await shot(finance, 'finance-closes');
    await finance.context().close();
    const manager = await signedIn(people.manager);
    await manager.goto(`${api.url}/#/manager/partners`);
    await manager.getByTestId('partners').getByText('ООО «Витрина»').waitFor();
    await shot(manager, 'manager-partners');
    await manager.context().close();
  });

  it('speaks Russian when chosen: an invoice line, a status and a field problem in Russian words', async () => {
    // A base bonus line: 10 % of an eligible base of 150 000.00 ₽ = 15 000.00 ₽ off.
    await db.invoiceLine.create({
      data: {
        invoiceId: otherInvoiceId,
        position: 1,
        kind: 'base_bonus',
        description: 'Base partner bonus for 2025-01: 10% of eligible consumption 150000.00',
        rule: '10% base bonus on eligible consumption',
        rate: '0.1',
        base: '150000.00',
        amount: '-15000.00',
      },
    });
    const owner = await signInThroughIdp(browser, api.url, people.other.subject, {
      language: 'ru',
    });
    expect(await owner.locator('html').getAttribute('lang')).toBe('ru');
    await expectText(owner, 'partner-status-value', 'Партнёр');
    await owner.goto(`${api.url}/#/partner/invoices/${otherInvoiceId}`);
    const lines = owner.getByTestId('invoice-lines');
    // The rule has its own column at this width (it moves under the line on a phone).
    await lines
      .locator('td.line-rule', { hasText: 'Базовый бонус 10 % от учитываемого потребления' })
      .waitFor();
    const text = (await lines.textContent()) ?? '';
    expect(text).toContain(
      `Базовый партнёрский бонус за 2025-01: 10 % от учитываемого потребления 150${NBSP}000,00 ₽`,
    );
    expect(text).toContain(`−15${NBSP}000,00 ₽`);
    expect(text).not.toContain('eligible consumption');
    // The issue time is Moscow time, and says so.
    expect(await owner.getByTestId('invoice-detail').textContent()).toMatch(/\d{2}:\d{2}/);
    await owner.goto(`${api.url}/#/partner/invoices`);
    await owner.getByTestId('invoices').getByText('Ежемесячный').first().waitFor();
    await owner.context().close();

    // A new applicant's company INN with a wrong check digit: the problem under the form's label.
    const applicant = await signInThroughIdp(browser, api.url, people.russian.subject, {
      language: 'ru',
    });
    await applicant.goto(`${api.url}/#/partner/application`);
    await applicant.getByTestId('start-application').waitFor();
    await applicant.locator('select[name=identityMethod]').selectOption('new_id');
    await applicant.getByRole('button', { name: 'Подать заявку' }).click();
    await applicant.locator('input[name=contactName]').fill('Руслан Орлов');
    await applicant.locator('input[name=contactEmail]').fill('r@example.com');
    await applicant.locator('input[name=contactPhone]').fill('+7 495 000-00-02');
    await applicant.locator('input[name=inn]').fill('7704123451');
    await applicant.getByTestId('step-form').getByRole('button', { name: 'Продолжить' }).click();
    const refusal = applicant.getByRole('alert');
    await refusal.waitFor();
    const problem = (await refusal.textContent()) ?? '';
    expect(problem).toContain('ИНН компании: ');
    expect(problem).not.toMatch(/body\.|company\.inn|check digit/);
    await expectText(applicant, 'application-status', 'Черновик');
    await shot(applicant, 'partner-application-refused-ru');
    await applicant.context().close();
  });

  it('opens in the browser’s language when nothing was chosen: English for en-US, else Russian', async () => {
    for (const [locale, language, signInLabel] of [
      ['en-US', 'en', 'Sign in'],
      ['ru-RU', 'ru', 'Войти'],
      ['de-DE', 'ru', 'Войти'],
    ] as const) {
      const context = await browser.newContext({ locale });
      const page = await context.newPage();
      await page.goto(`${api.url}/`);
      await page.getByTestId('sign-in').waitFor();
      expect({ locale, lang: await page.locator('html').getAttribute('lang') }).toEqual({
        locale,
        lang: language,
      });
      expect(await page.getByTestId('sign-in').textContent()).toBe(signInLabel);
      await context.close();
    }
  });
});
