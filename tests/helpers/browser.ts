// Debian's Chromium driven by playwright-core (never a downloaded browser).
//
// Every page a test opens through launchChromium() is watched: a console error, an uncaught exception, a
// Content-Security-Policy refusal, a failed request or a 4xx/5xx answer fails the test (checked after each
// test, and when the browser closes), unless the test said it expects that answer (expectHttpError).
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));

/** What went wrong on a page, one line each, since the last check. */
interface Watch {
  problems: string[];
  expected: { status: number; url: RegExp; left: number }[];
}

const watches = new Map<Page, Watch>();

export async function launchChromium(): Promise<Browser> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  // Browser.newPage goes through newContext, so every page of this browser is watched.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser['newContext']>): Promise<BrowserContext> => {
    const context = await newContext(...args);
    await context.addInitScript(reportPolicyViolations);
    context.on('page', watchPage);
    return context;
  };
  const close = browser.close.bind(browser);
  browser.close = async (...args: Parameters<Browser['close']>) => {
    const left = takeProblems();
    await close(...args);
    if (left.length) throw new Error(`browser pages reported problems:\n${left.join('\n')}`);
  };
  return browser;
}

/**
 * The test expects `page` to get an answer of `status` from a URL matching `url` (a refused password, a revoked
 * session): that answer, and Chromium's console line about it, are not problems. `times` answers at most.
 */
export function expectHttpError(page: Page, status: number, url: RegExp, times = 1): void {
  if (!watches.has(page)) watchPage(page);
  watches.get(page)!.expected.push({ status, url, left: times });
}

/**
 * The test ends the page's session on the server (a new password, a disabled user, a revoked token): its renewal is
 * refused (401).
 */
export function expectSessionEnd(page: Page): void {
  expectHttpError(page, 401, /\/api\/auth\/refresh$/, 10);
}

/** The test makes a request to a URL matching `url` fail on purpose (page.route(...).abort()): not a problem. */
export function expectFailedRequest(page: Page, url: RegExp, times = 1): void {
  expectHttpError(page, 0, url, times);
}

/** Signed in, the shell shown and its socket connected. */
export const LIVE = '[data-testid=connection][data-state=live]';

export interface SignInOptions {
  /** What shows once signed in (the live link by default); null: nothing to wait for (a refusal, say). */
  until?: string | null;
  timeout?: number;
}

/** Signs in on the login form `page` shows, and waits until `until` shows. */
export async function fillSignIn(page: Page, username: string, password: string, options: SignInOptions = {}): Promise<void> {
  const { until = LIVE, timeout } = options;
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  if (until) await page.waitForSelector(until, timeout ? { timeout } : undefined);
}

/**
 * Opens `url` on `page` and signs in on its login form. With `#/path` in the URL the page was opened there first (a
 * bookmark); without, "/" picks the role's first view.
 */
export async function signInAt(page: Page, url: string, username: string, password: string, options: SignInOptions = {}): Promise<Page> {
  await page.goto(url);
  await fillSignIn(page, username, password, options);
  return page;
}

/** The problems recorded on `page` so far (not consumed). */
export function pageProblems(page: Page): string[] {
  return [...(watches.get(page)?.problems ?? [])];
}

/** Every problem recorded since the last check, on all watched pages; pages closed meanwhile are forgotten. */
function takeProblems(): string[] {
  const all: string[] = [];
  for (const [page, watch] of watches) {
    all.push(...watch.problems.map((p) => `${page.url()}: ${p}`));
    watch.problems = [];
    if (page.isClosed()) watches.delete(page);
  }
  return all;
}

function watchPage(page: Page): void {
  if (watches.has(page)) return;
  const watch: Watch = { problems: [], expected: [] };
  watches.set(page, watch);
  // An answer the test expected is consumed once by the response, once by Chromium's console line about it.
  const expectedAnswer = (status: number, url: string, consume: boolean): boolean => {
    const hit = watch.expected.find((e) => e.status === status && e.url.test(url) && e.left > 0);
    if (hit && consume) hit.left -= 1;
    return Boolean(hit);
  };
  const seenAnswers: { status: number; url: string }[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const where = message.location().url;
    const failed = /^Failed to load resource: (?:the server responded with a status of (\d+)|net::)/.exec(text);
    if (failed) {
      // the answer (or the failure) itself is judged in 'response' or 'requestfailed'; this is Chromium's echo of it
      const status = Number(failed[1] ?? 0);
      const i = seenAnswers.findIndex((a) => a.status === status && a.url === where);
      if (i >= 0) { seenAnswers.splice(i, 1); return; }
      if (expectedAnswer(status, where, false)) return;
    }
    watch.problems.push(`console.error: ${text}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (error) => watch.problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'failed';
    // the page (or a navigation) cancelled it on purpose: an AbortController, a view left
    if (reason === 'net::ERR_ABORTED') return;
    seenAnswers.push({ status: 0, url: request.url() });
    if (expectedAnswer(0, request.url(), true)) return;
    watch.problems.push(`request failed: ${request.method()} ${request.url()} ${reason}`);
  });
  page.on('response', (response) => {
    const status = response.status();
    if (status < 400) return;
    const url = response.url();
    if (expectedAnswer(status, url, true)) {
      seenAnswers.push({ status, url });
      return;
    }
    seenAnswers.push({ status, url });
    watch.problems.push(`HTTP ${status}: ${response.request().method()} ${url}`);
  });
}

/** Runs in every page before its scripts: a CSP refusal becomes a console error (Chromium logs some, not all). */
function reportPolicyViolations(): void {
  document.addEventListener('securitypolicyviolation', (e) => {
    console.error(`CSP refused ${e.blockedURI || '(inline)'} by ${e.violatedDirective}`);
  });
}

// Under vitest, each test ends with the check; a benchmark (tsx) only gets the check at browser.close().
if (process.env.VITEST) {
  const { afterEach } = await import('vitest');
  afterEach(() => {
    const problems = takeProblems();
    if (problems.length) throw new Error(`the browser reported problems:\n${problems.join('\n')}`);
  });
}
