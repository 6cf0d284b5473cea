// The monthly report submitted upward (每月报送) and the scorecard (考核评估) in Chromium against a real FireNet: a
// safety manager submits last month's report; the county bureau returns it with a reason, which the safety manager
// reads and answers by submitting again; the bureau approves it, submits the county's summary upward, and sees the
// institution's score with its reasons, in Chinese and in English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { signInUsers, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { launchChromium, SCREENSHOT_DIR, fillSignIn } from '../helpers/browser.js';

const SITE = 'sb-rmyy';
const COUNTY = '220281';
const SIZE = { width: 1440, height: 900 };
const shanghaiMonth = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(ms)).slice(0, 7);
const thisMonth = shanghaiMonth(Date.now());
const prev = (() => {
  const d = new Date(Date.UTC(Number(thisMonth.slice(0, 4)), Number(thisMonth.slice(5)) - 2, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
})();

let fn: TestFireNet;
let browser: Browser;

beforeAll(async () => {
  fn = await startTestFireNet();
  browser = await launchChromium();
  await fn.provisionSite(SITE, COUNTY, '蛟河市人民医院');
  await signInUsers(fn, {
    'sb-safety': { role: 'safety_manager', regionCode: null, siteIds: [SITE] },
    'sb-bureau': { role: 'bureau', regionCode: COUNTY, siteIds: [] },
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await fn?.stop();
});

async function signIn(username: string, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const page = await browser.newPage({ viewport: SIZE, locale: lang });
  await page.addInitScript((l) => localStorage.setItem('firenet.lang', l), lang);
  await page.goto(fn.httpUrl);
  await fillSignIn(page, username, `${username}-pw`);
  return page;
}

const row = (page: Page, subject: string) => page.locator(`[data-testid=submission-row][data-subject="${subject}"]`);

describe('monthly submission and scorecard in the dashboard', () => {
  it('goes from the safety manager\'s submission through the bureau\'s return, resubmission and approval to the score with its reasons', async () => {
    const safety = await signIn('sb-safety');
    await safety.goto(`${fn.httpUrl}/#/reports`);
    // this month is not over: the panel offers last month
    await safety.locator('[data-testid=month-not-over]').waitFor();
    await safety.click('[data-testid=to-previous-month]');
    await safety.locator(`[data-testid=submission-panel][data-month="${prev}"]`).waitFor();
    expect(await row(safety, SITE).getAttribute('data-status')).toMatch(/^(missing|late)$/);
    await row(safety, SITE).locator('[data-testid=submit-report]').click();
    await safety.locator(`[data-testid=submission-row][data-subject="${SITE}"][data-status=submitted]`).waitFor();
    expect(await row(safety, SITE).textContent()).toContain('已报送待审核');
    await safety.screenshot({ path: `${SCREENSHOT_DIR}/report-submitted.png`, fullPage: true });

    const bureau = await signIn('sb-bureau');
    await bureau.goto(`${fn.httpUrl}/#/reports?month=${prev}`);
    await row(bureau, SITE).locator('[data-testid=return-report]').click();
    await bureau.fill('[data-testid=return-reason]', '检查台账与报表不符');
    await bureau.click('[data-testid=confirm-return]');
    await bureau.locator(`[data-testid=submission-row][data-subject="${SITE}"][data-status=returned]`).waitFor();

    await safety.reload();
    await row(safety, SITE).locator('[data-testid=return-reason-text]').waitFor();
    expect(await row(safety, SITE).locator('[data-testid=return-reason-text]').textContent()).toBe('退回原因：检查台账与报表不符');
    await row(safety, SITE).locator('[data-testid=submit-report]', { hasText: '修改后重新报送' }).click();
    await safety.locator(`[data-testid=submission-row][data-subject="${SITE}"][data-status=submitted]`).waitFor();

    // the submitted report, frozen, in the report sheet (and printable from there)
    await safety.click('[data-testid=view-submission]');
    await safety.locator('[data-testid=frozen-note]').waitFor();
    expect(await safety.locator('[data-testid=report-sheet] h1').textContent()).toContain('蛟河市人民医院');

    await bureau.reload();
    await row(bureau, SITE).locator('[data-testid=approve-report]').click();
    await bureau.locator(`[data-testid=submission-row][data-subject="${SITE}"][data-status=approved]`).waitFor();
    // the county's summary of its approved reports, upward
    await row(bureau, COUNTY).locator('[data-testid=submit-summary]').click();
    await bureau.locator(`[data-testid=submission-row][data-subject="${COUNTY}"][data-status=submitted]`).waitFor();
    await bureau.screenshot({ path: `${SCREENSHOT_DIR}/report-submissions-bureau.png`, fullPage: true });

    await bureau.click('[data-testid=to-scorecard]');
    await bureau.locator(`[data-testid=score-row][data-site="${SITE}"]`).waitFor();
    expect(bureau.url()).toContain(`month=${prev}`);
    const scored = bureau.locator(`[data-testid=score-row][data-site="${SITE}"]`);
    const card = (await fn.api<any>(`/api/scorecard?month=${prev}&region=${COUNTY}`)).body;
    const expected = card.institutions.find((i: any) => i.siteId === SITE);
    expect(await scored.getAttribute('data-score')).toBe(String(expected.score));
    expect(await scored.locator('[data-testid=score-reason][data-rule=preparedness_overdue]').textContent()).toMatch(/培训、预案或演练逾期 5 项\s*-15 分/);
    expect(await scored.locator('[data-testid=score-reason]').count()).toBe(expected.points.length);
    await bureau.screenshot({ path: `${SCREENSHOT_DIR}/scorecard.png`, fullPage: true });
    await Promise.all([safety.close(), bureau.close()]);
  });

  it('words the scorecard and the submission panel in English', async () => {
    const bureau = await signIn('sb-bureau', 'en');
    await bureau.goto(`${fn.httpUrl}/#/scorecard?month=${prev}`);
    const reason = bureau.locator(`[data-testid=score-row][data-site="${SITE}"] [data-testid=score-reason][data-rule=preparedness_overdue]`);
    await reason.waitFor();
    expect(await reason.textContent()).toMatch(/5 training, plan or drill records overdue\s*-15 points/);
    await bureau.goto(`${fn.httpUrl}/#/reports?month=${prev}`);
    await row(bureau, SITE).waitFor();
    expect(await row(bureau, SITE).textContent()).toContain('Approved');
    // no Chinese of ours: only the names of the institution and the county (data)
    const text = (await bureau.locator('[data-testid=submission-panel]').textContent())!.replaceAll('蛟河市人民医院', '').replaceAll('蛟河市', '');
    expect(text).not.toMatch(/[\u3400-\u9fff]/);
    await bureau.close();
  });
});
