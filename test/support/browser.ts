import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { IDP_PASSWORD } from './identity-provider';

/**
 * What the browser tests share: the project's Chromium (process.env.CHROMIUM_PATH, set by the
 * test setup), signing in the way a person does, screenshots with the page-width check, and
 * axe-core's accessibility check.
 */
export const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-results', 'screenshots');
export const WIDTHS = { desktop: 1280, phone: 390 } as const;
export type Language = 'ru' | 'en';

export async function launchBrowser(): Promise<Browser> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A fresh browser profile signed in with the token: the language is picked in the header's
 * select and the token pasted into the developers' sign-in form (development and tests only).
 * The portal's own way in is `signInThroughIdp`.
 */
export async function signIn(
  browser: Browser,
  url: string,
  token: string,
  options: { language?: Language; width?: number } = {},
): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    viewport: { width: options.width ?? WIDTHS.desktop, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(`${url}/`);
  // The header's select is labelled in the language the page opened in (the browser's).
  await page.getByLabel(/^(Язык|Language)$/).selectOption(options.language ?? 'en');
  await page.getByTestId('token-sign-in').locator('summary').click();
  await page.locator('textarea[name=token]').fill(token);
  await page.locator('form button[type=submit]').first().click();
  await page.getByTestId('who').waitFor();
  return page;
}

/**
 * A fresh browser profile signed in as a person does: the language picked in the header, then
 * "Sign in", the identity provider's login page (the user chosen, the development password
 * typed), and back in the portal. The hooks run on the portal's sign-in page and on the
 * provider's login page (screenshots, checks).
 */
export async function signInThroughIdp(
  browser: Browser,
  url: string,
  subject: string,
  options: {
    language?: Language;
    width?: number;
    onSignInPage?: (page: Page) => Promise<void>;
    onLoginPage?: (page: Page) => Promise<void>;
  } = {},
): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    viewport: { width: options.width ?? WIDTHS.desktop, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.getByLabel(/^(Язык|Language)$/).selectOption(options.language ?? 'en');
  await page.getByTestId('sign-in').waitFor();
  await options.onSignInPage?.(page);
  await page.getByTestId('sign-in').click();
  const password = page.locator('input[name=password]');
  await password.waitFor();
  await options.onLoginPage?.(page);
  await page.locator(`input[name=user][value="${subject}"]`).check();
  await password.fill(IDP_PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.getByTestId('who').waitFor();
  return page;
}

/** Saves the whole page and checks it is no wider than the screen (wide tables scroll in cards). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  // Evaluated in the page, where `document` exists (the tests are compiled without the DOM).
  const overflow = await page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
  expect({ page: name, overflow }).toEqual({ page: name, overflow: 0 });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core on the page and lists every serious or critical violation — its rule, impact,
 * the elements it found and what to do — so a failure says what to fix. Lesser findings
 * (moderate, minor) are not counted.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate<boolean>('typeof window.axe !== "undefined"'))) {
    await page.addScriptTag({ path: require.resolve('axe-core') });
  }
  const violations = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })),
    })))`,
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

/** Waits until the element with the test id shows exactly the text. */
export async function expectText(page: Page, testId: string, text: string): Promise<void> {
  const locator = page.getByTestId(testId).first();
  await page
    .getByTestId(testId)
    .filter({ hasText: text })
    .first()
    .waitFor({ timeout: 15_000 })
    .catch(() => undefined);
  expect((await locator.textContent())?.trim()).toBe(text);
}
