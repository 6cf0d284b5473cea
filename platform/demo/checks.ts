// Demo mode: a month of 日周月 checklist checks, so completion, missed checks and the fixed-on-the-spot count have
// something to show: most institutions check daily, a few skip days (one county hospital often), a failed item now
// and then fixed on the spot. The institutions are registered 40 days back, so the month counts.
import { templateId, type CheckRhythm, type CheckTemplate } from '../../contracts/duties.js';
import { localMidnight, periodAt } from '../duties/periods.js';
import { localDate } from '../reports/calendar.js';
import type { Site } from '../../contracts/records.js';
import type { Store } from '../store/store.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export async function seedDemoChecks(store: Store, sites: readonly Site[], now: number): Promise<void> {
  const ids = sites.map((s) => s.id);
  await store.transaction((tx) => tx.query(`update sites set created_at = $2 where id = any($1::text[])`, [ids, new Date(now - 40 * DAY).toISOString()]));
  const templates = new Map<string, CheckTemplate>();
  for (const site of sites) {
    for (const rhythm of ['daily', 'weekly', 'monthly'] as const) {
      const id = templateId(site.kind, rhythm);
      if (!templates.has(id)) templates.set(id, (await store.checks.template(id))!);
    }
  }
  const today = localMidnight(localDate(now));
  for (const [i, site] of sites.entries()) {
    const laggard = i % 7 === 3;
    const checks: { rhythm: CheckRhythm; at: number; by: string }[] = [];
    for (let d = 1; d <= 30; d++) {
      if ((laggard && d % 3 === 0) || (i * 7 + d) % 17 === 0) continue;
      checks.push({ rhythm: 'daily', at: today - d * DAY + 9 * HOUR + (i % 4) * 600_000, by: '安全员' });
    }
    for (let w = 1; w <= 4; w++) {
      if (laggard && w === 2) continue;
      checks.push({ rhythm: 'weekly', at: periodAt('weekly', today - w * 7 * DAY).from + ((i % 5) * DAY) + 15 * HOUR, by: '科室负责人' });
    }
    checks.push({ rhythm: 'monthly', at: periodAt('monthly', periodAt('monthly', now).from - 1).from + ((i % 20) + 2) * DAY + 10 * HOUR, by: site.fireSafetyResponsible?.name ?? '院领导' });
    await store.transaction(async (tx) => {
      for (const [n, c] of checks.entries()) {
        const template = templates.get(templateId(site.kind, c.rhythm))!;
        // now and then an item fails and is put right there and then (即知即改)
        const failing = (i + n) % 13 === 0 ? (i + n) % template.items.length : -1;
        const items = template.items.map((item, k) => ({
          code: item.code, label: item.label, result: k === failing ? 'fail' as const : 'pass' as const,
          note: k === failing ? '发现问题，已当场整改' : '', fixedOnSpotBy: k === failing ? '值班保安' : null, ticketId: null,
        }));
        await store.checks.record(tx, {
          id: `demo-check-${site.id}-${c.rhythm}-${n}`, siteId: site.id, regionCode: site.regionCode, template,
          period: periodAt(c.rhythm, c.at).period, performedAt: c.at, performedBy: c.by, items, at: c.at,
        });
      }
    });
  }
}
