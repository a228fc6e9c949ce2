import { createTokenService, type Principal } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { FIXTURE_INN } from '../../activities/registry/fixtures';
import { moscowDateOf } from '../../domain/calendar/production-calendar';
import type { Database } from '../../prisma/client';
import { startWorker, type RunningWorker } from '../../worker/worker';
import type { Browser, Page } from 'playwright-core';
import {
  WIDTHS,
  accessibilityProblems,
  launchBrowser,
  shot,
  signInThroughIdp,
  type Language,
} from '../support/browser';
import { reserveIssuer, startIdp, withIdp, type TestIdp } from '../support/identity-provider';
import { testConfig, testDatabase, uniqueTaskQueue } from '../support/env';
import { apiClient, consumeLine, createPartner, type PartnerFixture } from '../support/fixtures';

/**
 * Every role's main pages in a real headless Chromium, in Russian and English, at 1280 and
 * 390 px: each page is saved to test-results/screenshots/<role>-<page>-<lang>-<width>.png, must
 * be no wider than the screen, and must have no serious or critical axe-core violation. One more
 * test registers a deal with the keyboard alone.
 */
const MONTH = '2025-06';
const LANGUAGES: Language[] = ['ru', 'en'];
const LOADING = ['Loading…', 'Загрузка…'];

interface Visit {
  name: string;
  path: string;
  /** What shows once the page has its content, beyond its first card. */
  ready?: string;
}

describe('every console page in the browser: both widths, both languages, accessible', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('browser-consoles') });
  const stamp = Date.now().toString(36);
  const today = moscowDateOf(new Date());
  let worker: RunningWorker;
  let api: RunningApi;
  let db: Database;
  let browser: Browser;
  let partner: PartnerFixture;
  const tokens = { partner: '', manager: '', finance: '', presale: '', applicant: '' };
  /** The people of this file: they sign in through its identity provider. */
  const people: Record<keyof typeof tokens, Principal> = {
    manager: { subject: 'user-maria', role: 'manager', name: 'Maria' },
    finance: { subject: 'user-fedor', role: 'finance', name: 'Fedor' },
    presale: { subject: 'user-pavel', role: 'presale', name: 'Pavel' },
    partner: { subject: 'user-konsol', role: 'partner', name: 'Kira' },
    applicant: {
      subject: 'user-applicant',
      role: 'partner',
      organizationId: `org-br-cons-new-${stamp}`,
      name: 'Nikolai',
    },
  };
  let idp: TestIdp;
  const ids = { invoice: '', application: '', registration: '', presale: '' };
  const call = apiClient(() => api.url);

  beforeAll(async () => {
    db = testDatabase();
    partner = await createPartner(db, {
      tag: `br-cons-${stamp}`,
      name: 'ООО «Консоль»',
      customers: 2,
      memberSince: `${MONTH}-01`,
    });
    await db.billingAccount.update({
      where: { id: partner.ownAccountId },
      data: { bik: '044525225', settlementAccount: '40702810938000000001' },
    });
    // Consumption of the closed month (its invoice) and of today (the running invoice).
    const [first, second] = partner.customerIds as [string, string];
    await consumeLine(db, {
      sourceId: `${stamp}-1`,
      accountId: first,
      date: `${MONTH}-10`,
      amount: '12000.00',
    });
    await consumeLine(db, {
      sourceId: `${stamp}-2`,
      accountId: second,
      date: `${MONTH}-12`,
      amount: '3000.00',
    });
    await consumeLine(db, {
      sourceId: `${stamp}-3`,
      accountId: first,
      date: today,
      amount: '8000.00',
    });
    await db.rebateLedgerEntry.create({
      data: {
        partnerId: partner.partnerId,
        idempotencyKey: `br-cons-${stamp}`,
        kind: 'project_rebate',
        amount: '2500.00',
        month: '2025-05',
      },
    });
    worker = await startWorker(config, { schedules: false });
    people.partner.organizationId = partner.organizationId;
    const issuerUrl = await reserveIssuer();
    api = await startApi(withIdp(config, issuerUrl), { port: 0 });
    idp = await startIdp({
      issuer: issuerUrl,
      accounts: Object.values(people),
      portalUrl: api.url,
    });
    // What the test itself sends to the API goes with shared-secret tokens of the same people.
    const issuer = createTokenService(config.auth);
    for (const key of Object.keys(people) as (keyof typeof people)[]) {
      tokens[key] = await issuer.issue(people[key]);
    }

    // The month's close makes the invoice the partner, the manager and finance open.
    expect((await call('POST', '/v1/closes', tokens.finance, { month: MONTH })).status).toBe(202);
    let status = '';
    for (let i = 0; i < 150 && status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await call<{ status: string }>('GET', `/v1/closes/${MONTH}`, tokens.finance)).body
        .status;
    }
    expect(status).toBe('completed');
    const invoices = await call<{ items: { id: string }[] }>(
      'GET',
      `/v1/finance/months/${MONTH}/invoices`,
      tokens.finance,
    );
    ids.invoice = invoices.body.items[0]?.id as string;
    expect(ids.invoice).toBeTruthy();

    // A deal to review, a presale request, a specialization application and a new application.
    const deal = await call<{ id: string }>(
      'POST',
      '/v1/partners/me/deal-registrations',
      tokens.partner,
      {
        customerAccountId: second,
        expectedMonthlyConsumption: '3000.00',
        description: 'Backup of the customer’s file servers',
      },
    );
    expect(deal).toMatchObject({ status: 202 });
    ids.registration = deal.body.id;
    const presale = await call<{ id: string }>(
      'POST',
      '/v1/partners/me/presale-requests',
      tokens.partner,
      {
        topic: 'Kubernetes migration',
        description: 'Three clusters to move',
        desiredDate: `${Number(today.slice(0, 4)) + 1}-03-01`,
        customerAccountId: first,
      },
    );
    expect(presale).toMatchObject({ status: 201 });
    ids.presale = presale.body.id;
    const specialization = await call(
      'POST',
      '/v1/partners/me/specialization-applications',
      tokens.partner,
      {
        code: 'containers',
        evidence: 'Four engineers certified on Kubernetes',
        certifiedEngineers: 4,
      },
    );
    expect(specialization).toMatchObject({ status: 201 });
    const started = await call<{ applicationId: string }>(
      'POST',
      '/v1/applications',
      tokens.applicant,
      {
        identityMethod: 'new_id',
      },
    );
    expect(started).toMatchObject({ status: 201 });
    ids.application = started.body.applicationId;
    const filled = await call(
      'POST',
      `/v1/applications/${ids.application}/application`,
      tokens.applicant,
      {
        contact: { name: 'Nikolai Orlov', email: 'n@example.com', phone: '+7 495 000-00-01' },
        company: { inn: FIXTURE_INN.active },
      },
    );
    expect(filled).toMatchObject({ status: 200 });

    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await idp?.stop();
    await worker?.shutdown();
    await db?.$disconnect();
  });

  jest.setTimeout(180_000);

  /**
   * Opens each page in one signed-in profile per language, and at each width saves it, checks
   * its width and runs axe-core; every problem found is listed, page by page.
   */
  async function visitAll(role: string, person: Principal, visits: Visit[]): Promise<void> {
    const problems: string[] = [];
    for (const language of LANGUAGES) {
      const page = await signInThroughIdp(browser, api.url, person.subject, {
        language,
        width: WIDTHS.desktop,
      });
      // axe-core is loaded with every page of this profile rather than injected on each check.
      await page.context().addInitScript({ path: require.resolve('axe-core') });
      for (const visit of visits) {
        await open(page, visit);
        for (const width of Object.values(WIDTHS)) {
          const name = `${role}-${visit.name}-${language}-${width}`;
          await page.setViewportSize({ width, height: 900 });
          try {
            await shot(page, name);
          } catch {
            problems.push(`${name}: wider than the screen`);
          }
          for (const problem of await accessibilityProblems(page)) {
            problems.push(`${name}: ${problem}`);
          }
        }
      }
      await page.context().close();
    }
    expect(problems).toEqual([]);
  }

  async function open(page: Page, visit: Visit): Promise<void> {
    await page.goto(`${api.url}/#/${visit.path}`);
    await page.reload();
    await page.locator('main .card').first().waitFor();
    if (visit.ready) await page.locator(visit.ready).first().waitFor();
    // A locator, not a script evaluated in the page: the portal's CSP forbids eval.
    await page
      .locator('main p.muted')
      .filter({ hasText: new RegExp(`^\\s*(${LOADING.join('|')})\\s*$`) })
      .first()
      .waitFor({ state: 'hidden' });
  }

  it('shows the partner’s pages', async () => {
    await visitAll('partner', people.partner, [
      { name: 'overview', path: 'partner', ready: '[data-testid=running-payable]' },
      { name: 'application', path: 'partner/application' },
      { name: 'invoices', path: 'partner/invoices', ready: '[data-testid=invoices] tbody tr' },
      {
        name: 'invoice',
        path: `partner/invoices/${ids.invoice}`,
        ready: '[data-testid=invoice-lines]',
      },
      { name: 'rebates', path: 'partner/rebates', ready: '[data-testid=rebate-balance]' },
      { name: 'customers', path: 'partner/customers', ready: '[data-testid=customer-row]' },
      { name: 'referrals', path: 'partner/referrals' },
      {
        name: 'registrations',
        path: 'partner/registrations',
        ready: '[data-testid=registration-row]',
      },
      { name: 'presales', path: 'partner/presales' },
      { name: 'specializations', path: 'partner/specializations' },
      { name: 'notifications', path: 'partner/notifications' },
      { name: 'exit', path: 'partner/exit' },
    ]);
  });

  it('shows the manager’s pages', async () => {
    const tabs = ['overview', 'deals', 'invoices', 'rebates', 'customers', 'specializations'];
    await visitAll('manager', people.manager, [
      { name: 'queue', path: 'manager', ready: '[data-testid=queue-row]' },
      {
        name: 'applications',
        path: 'manager/applications',
        ready: '[data-testid=application-row]',
      },
      { name: 'application', path: `manager/applications/${ids.application}` },
      { name: 'partners', path: 'manager/partners', ready: '[data-testid=partner-row]' },
      ...tabs.map((tab) => ({
        name: `partner-${tab}`,
        path: `manager/partners/${partner.partnerId}/${tab}`,
        ready: '[data-testid=partner-tabs]',
      })),
      { name: 'registration', path: `manager/registrations/${ids.registration}` },
    ]);
  });

  it('shows finance’s pages', async () => {
    await visitAll('finance', people.finance, [
      { name: 'closes', path: 'finance', ready: '[data-testid=closes]' },
      {
        name: 'month',
        path: `finance/months/${MONTH}`,
        ready: '[data-testid=month-invoices] tbody tr',
      },
      {
        name: 'invoice',
        path: `finance/invoices/${ids.invoice}`,
        ready: '[data-testid=invoice-lines]',
      },
      { name: 'payouts', path: 'finance/payouts' },
    ]);
  });

  it('shows the presale desk and a request', async () => {
    await visitAll('presale', people.presale, [
      { name: 'desk', path: 'presale', ready: '[data-testid=queue-row]' },
      {
        name: 'request',
        path: `presale/presales/${ids.presale}`,
        ready: '[data-testid=presale-status]',
      },
    ]);
  });
  it('registers a deal with the keyboard alone, the focused button showing an outline', async () => {
    const page = await signInThroughIdp(browser, api.url, people.partner.subject, {
      language: 'en',
    });
    await page.goto(`${api.url}/#/partner/registrations`);
    await page.reload();
    await page.getByTestId('deal-form').waitFor();
    // The deal registered for the other customer is listed already.
    await page.getByTestId('registration-row').first().waitFor();
    const before = await page.getByTestId('registration-row').count();
    /** Presses Tab until the element matching the test holds the focus. */
    const tabTo = async (test: string): Promise<void> => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        if (
          await page.evaluate<boolean>(`!!document.activeElement?.matches(${JSON.stringify(test)})`)
        )
          return;
      }
      throw new Error(`Tab never reached ${test}`);
    };
    await tabTo('select[name=customerAccountId]');
    // Typing an option's text picks it in a focused select; this customer has no deal yet.
    const customer = partner.customerIds[0] as string;
    await page.keyboard.type(customer);
    expect(await page.locator('select[name=customerAccountId]').inputValue()).toBe(customer);
    await tabTo('input[name=expectedMonthlyConsumption]');
    await page.keyboard.type('4500.00');
    await tabTo('textarea[name=description]');
    await page.keyboard.type('Disaster recovery site');
    await tabTo('[data-testid=submit-deal]');
    // The focused button is visibly marked for a keyboard user.
    const outline = await page.evaluate<string>(
      'getComputedStyle(document.activeElement).outlineStyle + " " + getComputedStyle(document.activeElement).outlineWidth',
    );
    expect(outline).toBe('solid 2px');
    await shot(page, 'partner-deal-keyboard-en-1280');
    await page.keyboard.press('Enter');
    await page.getByTestId('registration-row').nth(before).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('registration-row').count()).toBe(before + 1);
    expect(await page.getByTestId('registration-row').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining(customer)]),
    );
    await page.context().close();
  });
});
