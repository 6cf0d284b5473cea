// Demo mode: a month of history, so the one-network map, the ticket board and the monthly report
// have something to show on a fresh start: inspections at the 日周月 rhythm, and hazards in every
// state and level (one major hazard still open in 蛟河市, one overdue rectification).
import type { Site } from '../../contracts/records.js';
import type { Store } from '../store/store.js';
import type { HazardGrade } from '../../contracts/rules.js';
import type { RiskLevel } from '../../contracts/risks.js';
import { defaultTicketLimits, stateDeadline, type TicketState } from '../tickets/lifecycle.js';
import { localDate } from '../reports/calendar.js';

const DAY = 86_400_000;

interface DemoTicket { site: string; title: string; location: string; level: RiskLevel; grade: HazardGrade; daysAgo: number; until: TicketState; deadlineInDays?: number }

const hazards: DemoTicket[] = [
  { site: 'site-220281-rmyy', title: '消防控制室值班人员未持证上岗', location: '门诊楼 1F 消防控制室', level: 'major', grade: 'major', daysAgo: 6, until: 'rectifying', deadlineInDays: 10 },
  { site: 'site-220281-zyy', title: '住院楼安全出口堵塞', location: '住院楼 3F 东侧', level: 'significant', grade: 'general', daysAgo: 12, until: 'closed' },
  { site: 'site-220281-fybj', title: '灭火器压力不足', location: '门诊楼 2F', level: 'general', grade: 'general', daysAgo: 3, until: 'registered', deadlineInDays: 7 },
  { site: 'site-220282-rmyy', title: '电动车在楼道内充电', location: '住院楼 5F 楼道', level: 'significant', grade: 'general', daysAgo: 9, until: 'rectifying', deadlineInDays: -2 },
  { site: 'site-220204-zxyy', title: '疏散指示标志损坏', location: '医技楼 B1', level: 'low', grade: 'general', daysAgo: 15, until: 'pending_verification', deadlineInDays: 5 },
  { site: 'site-220104-jdyy', title: '危化品库通风设施故障', location: '危化品库', level: 'significant', grade: 'general', daysAgo: 20, until: 'closed' },
  { site: 'site-222401-ybyy', title: '消防通道被占用', location: '院区北侧消防通道', level: 'general', grade: 'general', daysAgo: 2, until: 'reported' },
];

const steps: TicketState[] = ['registered', 'rectifying', 'pending_verification', 'closed'];

export async function seedDemoHistory(store: Store, sites: readonly Site[], now: number): Promise<void> {
  // inspections: daily in hospitals for the last week, weekly and monthly everywhere
  for (const [i, site] of sites.entries()) {
    const base = { siteId: site.id, regionCode: site.regionCode, inspector: '安全员', findings: '巡查正常', hazardsFound: 0, createdBy: 'demo' };
    if (['general_hospital', 'tcm_hospital', 'specialty_hospital'].includes(site.kind)) {
      for (let d = 1; d <= 7; d++) await store.inspections.record({ ...base, kind: 'daily', performedAt: now - d * DAY, at: now - d * DAY });
    }
    for (let w = 0; w < 4; w++) await store.inspections.record({ ...base, kind: 'weekly', inspector: '科室负责人', performedAt: now - (w * 7 + (i % 7)) * DAY - 3_600_000, at: now - w * 7 * DAY });
    await store.inspections.record({ ...base, kind: 'monthly', inspector: '分管院领导', performedAt: now - ((i % 20) + 1) * DAY, at: now - DAY });
  }
  // the online rate's history: 96 samples a day for the last 30 days, mostly online, a few institutions less so
  const devices = await store.listDevices([{}], { limit: 1_000_000, offset: 0 });
  const perSite = new Map<string, number>();
  for (const d of devices) perSite.set(d.siteId, (perSite.get(d.siteId) ?? 0) + 1);
  for (const [i, site] of sites.entries()) {
    const n = perSite.get(site.id) ?? 0;
    if (n === 0) continue;
    const share = i % 9 === 4 ? 0.86 : 0.97 + (i % 3) * 0.01;
    for (let d = 1; d <= 30; d++) {
      await store.stats.addOnlineSamples(site.id, localDate(now - d * DAY), { samples: 96, deviceSamples: 96 * n, onlineSamples: Math.round(96 * n * share) });
    }
  }

  const byId = new Map(sites.map((s) => [s.id, s]));
  for (const h of hazards) {
    const site = byId.get(h.site);
    if (!site) continue;
    const reportedAt = now - h.daysAgo * DAY;
    const ticket = await store.tickets.report({
      deviceId: null, siteId: site.id, regionCode: site.regionCode, title: h.title, description: `${h.title}（日常巡查发现）`,
      location: h.location, level: h.level, grade: h.grade, data: {}, reportedBy: '安全员', at: reportedAt,
      stateDeadline: stateDeadline('reported', { grade: h.grade, rectificationDeadline: null }, reportedAt, defaultTicketLimits), reportedUpward: h.grade === 'major',
    });
    let from: TicketState = 'reported';
    for (const [k, to] of steps.slice(0, steps.indexOf(h.until) + 1).entries()) {
      const at = reportedAt + (k + 1) * 3_600_000;
      const fiveInPlace = to === 'registered'
        ? { owner: '后勤保障科', funds: '院内专项经费', measures: `${h.title}：限期整改`, deadline: new Date(now + (h.deadlineInDays ?? 7) * DAY).toISOString(), contingencyPlan: '整改期间加强巡查，落实临时防范措施' }
        : undefined;
      const rectificationDeadline = now + (h.deadlineInDays ?? 7) * DAY;
      await store.tickets.transition(ticket.id, from, to, {
        actor: to === 'registered' || to === 'closed' ? '安全管理人' : '后勤保障科', note: to === 'closed' ? '验收合格，销号' : undefined, fiveInPlace, rejected: false,
        acceptanceCriteria: to === 'registered' && h.grade === 'major' ? '整改完成，经现场检查符合要求' : undefined,
        stateDeadline: stateDeadline(to, { grade: h.grade, rectificationDeadline }, at, defaultTicketLimits),
      }, at);
      from = to;
    }
  }
}
