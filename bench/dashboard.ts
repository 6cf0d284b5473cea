// `npm run bench:dashboard`: how the alarm desk copes with a big institution group: 10,000 devices and
// 500 active alarms, in Debian's Chromium. Reference: the same page with no alarms, in the same run.
import { hashSecret } from '../platform/auth/hash.js';
import { deviceTopic } from '../contracts/topics.js';
import { eventPayload, startTestFireNet } from '../tests/helpers/firenet.js';
import { launchChromium } from '../tests/helpers/browser.js';
import type { Page } from 'playwright-core';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const ALARMS = Number(process.env.BENCH_ACTIVE_ALARMS ?? 500);
const COUNTIES = ['220281', '220282', '220283', '220284', '220204', '220221', '220104', '220102', '220302', '222401'];

const fn = await startTestFireNet({ LOG_LEVEL: 'warn' });
const browser = await launchChromium();

/** Signs in afresh, then milliseconds from opening the desk until it counts `rows` alarms and draws the first screenful (it renders only the rows in view). */
async function openDesk(page: Page, rows: number): Promise<number> {
  await page.goto('about:blank');
  await page.goto(fn.httpUrl);
  if (await page.locator('input[name=username]').count()) {
    await page.fill('input[name=username]', 'bench');
    await page.fill('input[name=password]', 'bench-pw');
    await page.click('button[type=submit]');
  }
  await page.waitForURL(/#\/overview/);
  const start = Date.now();
  await page.evaluate(() => { location.hash = '#/desk'; });
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid=alarm-total]')?.textContent?.trim() === String(n) && document.querySelectorAll('[data-alarm-id]').length >= Math.min(n, 8),
    rows,
    { timeout: 120_000 },
  );
  return Date.now() - start;
}

const IDLE_MS = 5000;

/** Main-thread time (ms) the open page spends per second while nothing arrives: countdowns and timers only. */
async function idleBusy(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
  };
  const before = await taskSeconds();
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const busy = ((await taskSeconds()) - before) * 1000 / (IDLE_MS / 1000);
  await cdp.detach();
  return busy;
}

try {
  // a user who sees everything the desk will show
  await fn.store.createUser({ username: 'bench', passwordHash: await hashSecret('bench-pw'), role: 'admin', regionCode: null, siteIds: [] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const empty = await openDesk(page, 0);
  const emptyIdle = await idleBusy(page);

  const sites = Array.from({ length: 100 }, (_, i) => ({ id: `bench-site-${i}`, regionCode: COUNTIES[i % COUNTIES.length]! }));
  for (const s of sites) await fn.provisionSite(s.id, s.regionCode, `测试医院 ${s.id}`);
  const hash = await hashSecret('unused', { N: 2 ** 10, r: 8, p: 1 });
  await fn.store.createDevices(Array.from({ length: DEVICES }, (_, i) => ({
    device: { id: `bench-sd-${i}`, family: 'smoke_detector' as const, siteId: sites[i % sites.length]!.id, model: null, building: '住院楼', floor: `${(i % 9) + 1}F`, zone: `病区${i % 40}`, heartbeatSec: 300 },
    secretHash: hash,
  })));
  const at = Date.now();
  for (let i = 0; i < ALARMS; i++) {
    const site = sites[i % sites.length]!;
    await fn.store.transaction((tx) => fn.store.alarms.raise(tx, {
      ruleId: 'smoke.alarm', subject: `bench-sd-${i}`, deviceId: `bench-sd-${i}`, family: 'smoke_detector',
      site: { ...site, name: `测试医院 ${site.id}`, ackSec: 60, confirmSec: 180, escalateSec: 300 },
      type: 'smoke.alarm', location: `住院楼 / ${(i % 9) + 1}F / 病区${i % 40}`, zone: `病区${i % 40}`, data: {}, at: at - i * 1000,
    }));
  }
  const loaded = await openDesk(page, ALARMS);
  const loadedIdle = await idleBusy(page);

  // one more alarm over MQTT while 500 are on the desk
  const secret = await fn.provisionDevice({ id: 'bench-live', family: 'smoke_detector', siteId: sites[0]!.id });
  const device = await fn.connectDevice('bench-live', secret);
  const before = Date.now();
  await device.publishAsync(deviceTopic('bench-live', 'events'), eventPayload('live-1', 'smoke.alarm'), { qos: 1 });
  // the desk puts overdue and escalated alarms first (most of the 500, raised minutes ago): the new one's row is
  // below them, out of view and not drawn; it has arrived when the desk counts it
  await page.waitForFunction((n) => document.querySelector('[data-testid=alarm-total]')?.textContent?.trim() === String(n), ALARMS + 1, { timeout: 30_000 });
  const live = Date.now() - before;
  const heapMb = await page.evaluate(() => ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 1e6);

  process.stdout.write([
    `Dashboard benchmark: ${DEVICES.toLocaleString('en-US')} devices, ${ALARMS} active alarms, headless Chromium (reference: the same desk with no alarms, same run)`,
    '',
    '| figure | value | reference | ratio |',
    '|---|---|---|---|',
    `| alarm desk: open until all ${ALARMS} alarms are counted and the first screenful drawn | ${loaded} ms | ${empty} ms (no alarms) | ${(loaded / Math.max(empty, 1)).toFixed(1)}x |`,
    `| a new alarm over MQTT → counted on the desk, with ${ALARMS} there | ${live} ms | | |`,
    `| main-thread time per second on the open desk, nothing arriving (countdowns ticking) | ${loadedIdle.toFixed(0)} ms | ${emptyIdle.toFixed(0)} ms (no alarms) | ${(loadedIdle / Math.max(emptyIdle, 1)).toFixed(1)}x |`,
    `| page JS heap after that | ${heapMb.toFixed(0)} MB | | |`,
    '',
  ].join('\n'));
} finally {
  await browser.close();
  await fn.stop();
}
