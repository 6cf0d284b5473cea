// Demo mode: a month of the institutions' own duties, so a fresh start shows them: each hospital's risk register,
// its control room (operators with certificates, a roster of day and night shifts with the leader on duty, signing on
// and off with handovers, the county bureau's 查岗 answered or missed), its training, plans and drills, and its
// on-site fire team with an equipment check. Written straight to the store, as the history is.
import type { NewPreparednessRecord } from '../../contracts/preparedness.js';
import type { Site } from '../../contracts/records.js';
import type { RiskCategory } from '../../contracts/risks.js';
import { DEMO_STAFF_HASH } from '../auth/users.js';
import { localDate } from '../reports/calendar.js';
import { assessRisk } from '../risks/assessment.js';
import { isHospital } from './province.js';
import type { Store } from '../store/store.js';

const DAY = 86_400_000;

const HOUR = 3_600_000;

type Point = [place: string, hazardSource: string, category: RiskCategory, likelihood: number, severity: number, controls: string];
const riskPoints: Point[] = [
  ['门诊楼 B1 配电室', '配电柜线路老化、过载发热', 'electrical', 3, 4, '每周红外测温，配电室专人巡查，配置干粉灭火器'],
  ['院区东侧电动车车棚', '电动自行车集中充电', 'ebike_charging', 2, 4, '集中充电桩定时断电，车棚设视频监控和喷淋'],
  ['住院楼旁医用液氧站', '液氧泄漏遇火源燃烧爆炸', 'medical_gas', 2, 5, '站区禁止明火，每日巡检压力与泄漏，设防火隔离'],
  ['检验科危化品库', '乙醇、二甲苯等易燃试剂', 'hazardous_chemicals', 3, 3, '双人双锁，分类存放，通风与 VOC 监测'],
  ['职工食堂后厨', '燃气灶具与排油烟管道积油', 'kitchen', 2, 3, '燃气泄漏报警，排油烟管道每季度清洗'],
];
/** Per hospital (by its index), which points it has and one rating raised: some hospitals have a red point. */
const riskPlan = (i: number): { points: number[]; raise?: { point: number; likelihood: number } } =>
  i % 4 === 1 ? { points: [0, 2, 3], raise: { point: 2, likelihood: 4 } } : i % 4 === 2 ? { points: [1, 4] } : { points: [0, 1, 3, 4] };

const handovers = [
  { open: '2 号楼 3F 烟感故障工单待后勤处理', happened: '夜间一次误报（厨房油烟），已复位并记录' },
  { open: '', happened: '交接正常，设备运行正常' },
  { open: '消防水泵房压力表待校验', happened: '巡查发现东侧安全出口杂物，已清理' },
];

export async function seedDemoDuties(store: Store, sites: readonly Site[], now: number, operatorOf: ReadonlyMap<string, string>): Promise<void> {
  const hospitals = sites.filter(isHospital);
  const today = localDate(now);
  for (const [i, site] of hospitals.entries()) {
    // the risk register
    const plan = riskPlan(i);
    for (const p of plan.points) {
      const [place, hazardSource, category, l, severity, controls] = riskPoints[p]!;
      const likelihood = plan.raise?.point === p ? plan.raise.likelihood : l;
      const assessment = {
        place, hazardSource, category, likelihood, severity, controls,
        responsible: { name: '王强', post: '后勤保障科科长', phone: null },
        reviewBy: localDate(now + ((i * 37 + p * 53) % 200 - 20) * DAY),
      };
      await store.risks.add({ ...assessment, siteId: site.id, regionCode: site.regionCode, level: assessRisk(likelihood, severity).level }, '安全管理人', now - (20 + p) * DAY, today);
    }

    // training, plans and drills: most on time, some overdue
    const records: Omit<NewPreparednessRecord, 'siteId'>[] = [
      { kind: 'drill', topic: 'evacuation', on: localDate(now - (20 + i * 23) % 220 * DAY), title: '住院部夜间疏散逃生演练', participants: 40 + i, participantNames: '住院部医护人员、保安队', evaluation: '疏散用时约 6 分钟；个别楼梯间应急照明不亮，已报修' },
      { kind: 'drill', topic: 'comprehensive', on: localDate(now - (60 + i * 41) % 420 * DAY), title: '综合应急预案演练（火灾）', participants: 80, participantNames: '全院各科室', evaluation: '报警、初起火灾扑救、疏散引导衔接顺畅' },
      { kind: 'training', topic: 'periodic', on: localDate(now - (30 + i * 29) % 400 * DAY), title: '全员消防安全培训（“四个能力”）', participants: 120, participantNames: '全院职工', evaluation: '' },
      { kind: 'plan', topic: 'comprehensive', on: localDate(now - (100 + i * 97) % 1200 * DAY), title: '火灾事故综合应急预案（修订）', participants: 0, participantNames: '', evaluation: '' },
    ];
    for (const r of records) await store.preparedness.add({ ...r, siteId: site.id, regionCode: site.regionCode }, '安全管理人', now - DAY);

    // the on-site fire team and its latest equipment check
    await store.preparedness.putFireTeam(site.id, {
      members: [{ name: '李明', post: '站长', phone: '' }, { name: '王刚', post: '队员', phone: '' }, { name: '赵磊', post: '队员', phone: '' }, { name: '孙伟', post: '消防控制室值班员', phone: '' }],
      equipment: [{ name: '灭火器', count: 12 }, { name: '消防水带', count: 4 }, { name: '防毒面具', count: 6 }, { name: '对讲机', count: 4 }],
    }, '安全管理人', now - 30 * DAY);
    await store.preparedness.addCheck(site.id, localDate(now - ((i % 5) + 2) * DAY), [
      { name: '灭火器', ok: true, note: '' }, { name: '消防水带', ok: i % 3 !== 0, note: i % 3 !== 0 ? '' : '一条破损，已申领' },
      { name: '防毒面具', ok: true, note: '' }, { name: '对讲机', ok: true, note: '' },
    ], '微型消防站站长', now - ((i % 5) + 2) * DAY);

    // the control room: three operators (two certified, one whose certificate is about to expire or has), a roster
    await controlRoom(store, site, i, now, operatorOf.get(site.id));
  }
}

/** The demo bureau that runs a county's 查岗: its own where the demo has one, else the city's or the province's. */
const bureauOf = (regionCode: string): string => (regionCode === '220281' ? 'jiaohe-bureau' : regionCode.startsWith('2202') ? 'jilinshi-bureau' : 'jilin-bureau');

async function controlRoom(store: Store, site: Site, i: number, now: number, demoOperator: string | undefined): Promise<void> {
  const prefix = site.id.replace(/^site-/, '');
  const operators = [demoOperator ?? `${prefix}-op1`, `${prefix}-op2`, `${prefix}-op3`];
  for (const username of operators.slice(demoOperator ? 1 : 0)) {
    if (await store.findUser(username)) continue;
    // staff of the demo's control rooms: accounts nobody signs in with (no password verifies against this hash)
    await store.createUser({ username, passwordHash: DEMO_STAFF_HASH, role: 'operator', regionCode: null, siteIds: [site.id] });
  }
  const expiries = [now + 400 * DAY, now + (500 + i * 10) * DAY, now + (i % 2 === 0 ? 18 : -5) * DAY];
  for (const [k, username] of operators.entries()) {
    await store.controlRoom.putCertificate(username, { number: `2203${String(i).padStart(2, '0')}${k}0${(7_000_000 + i * 131 + k).toString()}`, level: k === 0 ? 'senior' : 'intermediate', expiresOn: localDate(expiries[k]!) }, '安全管理人', now - 60 * DAY);
  }
  // day (08-20) and night (20-08) shifts, China time, for the past week and the coming three days; the handover log
  // of the shifts that ended in the last three days (six, whatever the hour)
  const midnight = Date.parse(`${localDate(now)}T00:00:00+08:00`);
  const leaders = [{ name: '张院长', post: '副院长' }, { name: '刘主任', post: '保卫科主任' }];
  for (let d = -7; d < 3; d++) {
    for (const [s, startHour] of [8, 20].entries()) {
      const startsAt = midnight + d * DAY + startHour * HOUR;
      const pair = (d + s) % 2 === 0 ? [operators[0]!, operators[1]!] : [operators[1]!, operators[0]!];
      await store.controlRoom.addShift({ siteId: site.id, regionCode: site.regionCode, startsAt, endsAt: startsAt + 12 * HOUR, operators: pair, leader: leaders[(d + 7 + s) % 2]! }, '安全管理人', now - 8 * DAY);
      if (startsAt + 12 * HOUR <= now && startsAt + 12 * HOUR > now - 3 * DAY) {
        for (const [k, username] of pair.entries()) {
          const on = await store.controlRoom.signOn(site.id, site.regionCode, username, startsAt - (5 + k) * 60_000);
          if (on) await store.controlRoom.signOff(site.id, username, handovers[(d + 7 + s + k) % handovers.length]!, startsAt + 12 * HOUR + 10 * 60_000);
        }
      } else if (startsAt <= now && operators[1] !== demoOperator) {
        // the shift on now: its second operator is signed on (the demo operator signs on themself)
        await store.controlRoom.signOn(site.id, site.regionCode, pair.find((u) => u !== demoOperator) ?? pair[0]!, startsAt - 5 * 60_000);
      }
    }
  }
  // the county bureau's 查岗, about twice a week for a month: answered within minutes, now and then missed
  for (let d = 28; d >= 1; d -= 4) {
    const askedAt = midnight - d * DAY + (9 + ((d * 7 + i) % 12)) * HOUR;
    const check = await store.controlRoom.addCheck({ siteId: site.id, regionCode: site.regionCode, askedBy: bureauOf(site.regionCode), askedAt, answerBy: askedAt + 10 * 60_000, deviceId: null });
    if (d === 24 && i % 2 === 0) continue; // not answered: missed below
    await store.controlRoom.answer(check.id, operators[(d + i) % 2]!, askedAt + (1 + ((d + i) % 5)) * 60_000);
  }
  await store.controlRoom.missOverdue(now);
}
