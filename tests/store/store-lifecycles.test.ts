// The storage contract for what rules raise and people move on: alarms, work orders, hazard tickets,
// downlink commands and the rules themselves; against both adapters, PGlite and a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmChange } from '../../platform/alarms/lifecycle.js';
import { defaultRules } from '../../platform/rules/defaults.js';
import { Rule } from '../../contracts/rules.js';
import { Site, type DeadlineFlag, type NewDevice } from '../../contracts/records.js';
import type { AlarmRaise } from '../../platform/store/alarms.js';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { Store } from '../../platform/store/store.js';
import type { TicketRaise } from '../../platform/store/tickets.js';
import type { WorkOrderRaise } from '../../platform/store/workorders.js';
import { bothAdapters } from '../helpers/adapters.js';

const adapters = bothAdapters('lifecycles');

// Two institutions with the default response policy (1 / 3 / 5 min), one with its own (30 s / 2 / 4 min).
const JIAOHE = Site.parse({ id: 'jh-hospital', name: '蛟河市人民医院', regionCode: '220281' });
const HUADIAN = Site.parse({ id: 'hd-hospital', name: '桦甸市人民医院', regionCode: '220282' });
const CHAOYANG = Site.parse({ id: 'cy-hospital', name: '长春市朝阳区医院', regionCode: '220104', ackSec: 30, confirmSec: 120, escalateSec: 240 });
const codes = (s: Site) => ({ regionCode: s.regionCode, cityCode: `${s.regionCode.slice(0, 4)}00`, provinceCode: '220000' });

const device = (id: string, siteId: string, family: NewDevice['family'] = 'fire_panel', zone = '东区'): NewDevice => ({
  id, family, siteId, model: null, building: '门诊楼', floor: '3F', zone, heartbeatSec: 60,
});

const T0 = Date.parse('2026-03-01T08:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();
const sec = (n: number): number => n * 1000;

const ACK: AlarmChange = { status: 'acknowledged', stamp: 'acknowledged' };
const CONFIRM_FALSE: AlarmChange = { status: 'confirmed', outcome: 'false_alarm', stamp: 'confirmed' };
const CONFIRM_FIRE: AlarmChange = { status: 'confirmed', outcome: 'fire', stamp: 'confirmed' };
const CLOSE: AlarmChange = { status: 'closed', stamp: 'closed' };

const fire = (s: Site, deviceId: string, subject: string, at: number, zone: string | null = '东区'): AlarmRaise => ({
  ruleId: 'panel.fire_alarm', subject, deviceId, site: s, family: 'fire_panel', type: 'fire.alarm',
  location: '门诊楼 3F 东区', zone, data: { loop: 1, point: 17 }, at,
});

const fault = (s: Site, deviceId: string, at: number, data: Record<string, unknown> = { code: 'E12' }): WorkOrderRaise => ({
  ruleId: 'panel.fault', subject: deviceId, deviceId, siteId: s.id, regionCode: s.regionCode, category: 'fault', data, at,
});

const hazard = (s: Site, deviceId: string, at: number, over: Partial<TicketRaise> = {}): TicketRaise => ({
  ruleId: 'panel.isolation_24h', subject: `${deviceId}#1:17`, source: 'rule', deviceId, siteId: s.id, regionCode: s.regionCode,
  title: '火灾报警控制器屏蔽超过24小时', titleEn: 'Fire panel point isolated over 24 h', description: '火灾报警控制器屏蔽超过24小时',
  descriptionEn: 'Fire panel point isolated over 24 h', location: '门诊楼 3F 东区',
  level: 'general', grade: 'general', data: { loop: 1, point: 17 }, reportedBy: 'system', at, ...over,
});

const manual = (s: Site, at: number, over: Partial<TicketRaise> = {}): Omit<TicketRaise, 'ruleId' | 'subject' | 'source'> => ({
  deviceId: null, siteId: s.id, regionCode: s.regionCode, title: '疏散通道堆放杂物', description: '住院部2F东侧疏散通道堆放纸箱',
  location: '住院部 2F', level: 'significant', grade: 'general', data: {}, reportedBy: 'inspector-zhang', at, ...over,
});

const FIVE_IN_PLACE = {
  owner: '后勤科 王主任', funds: '科室维修经费 2000 元', measures: '清理杂物，设置禁止堆放标识',
  // given with the site's offset, read back in UTC
  deadline: '2027-04-01T18:00:00+08:00', contingencyPlan: '整改期间安排专人值守',
};

describe.each(adapters)('Store lifecycles on %s', (_kind, open) => {
  let db: SqlExecutor;
  let store: Store;

  beforeAll(async () => {
    db = await open();
    store = new Store(db);
    await store.migrate();
    for (const s of [JIAOHE, HUADIAN, CHAOYANG]) await store.upsertSite(s, codes(s));
    for (const d of [
      device('fp-life', JIAOHE.id), device('fp-recover', JIAOHE.id), device('fp-flags', CHAOYANG.id),
      device('fp-zone-a', HUADIAN.id, 'fire_panel', '住院部2F'), device('smoke-zone-b', HUADIAN.id, 'smoke_detector', '住院部2F'),
      device('fp-other-zone', HUADIAN.id, 'fire_panel', '门诊楼1F'),
      device('fp-fault', JIAOHE.id), device('fp-steps', HUADIAN.id), device('charger-cmd', JIAOHE.id, 'charging_station'),
    ]) expect(await store.createDevice(d, 'h')).toBe(true);
  });

  afterAll(async () => {
    await db?.close();
  });

  const raiseAlarm = (r: AlarmRaise) => store.transaction((tx) => store.alarms.raise(tx, r));

  describe('alarms', () => {
    it('moves an alarm new -> acknowledged -> confirmed -> closed, refusing a step decided on a stale status', async () => {
      const alarm = await raiseAlarm(fire(JIAOHE, 'fp-life', 'fp-life#1:17', T0));
      const acked = await store.alarms.transition(alarm.id, 'new', ACK, 'operator-li', T0 + sec(20));
      expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedAt: iso(T0 + sec(20)), acknowledgedBy: 'operator-li', outcome: null });
      // a second operator acted on the same screen: the alarm is no longer new
      expect(await store.alarms.transition(alarm.id, 'new', ACK, 'operator-wang', T0 + sec(21))).toBeNull();
      expect(await store.alarms.get(alarm.id)).toEqual(acked);

      const confirmed = await store.alarms.transition(alarm.id, 'acknowledged', CONFIRM_FALSE, 'operator-li', T0 + sec(90), '厨房蒸汽');
      expect(confirmed).toMatchObject({
        status: 'confirmed', outcome: 'false_alarm', confirmedAt: iso(T0 + sec(90)), confirmedBy: 'operator-li', note: '厨房蒸汽',
        acknowledgedBy: 'operator-li', acknowledgedAt: iso(T0 + sec(20)),
      });
      expect(await store.alarms.transition(alarm.id, 'acknowledged', CONFIRM_FIRE, 'operator-wang', T0 + sec(91))).toBeNull();

      const closed = await store.alarms.transition(alarm.id, 'confirmed', CLOSE, 'manager-zhao', T0 + sec(300));
      // closing keeps the outcome and the note it was confirmed with
      expect(closed).toMatchObject({ status: 'closed', outcome: 'false_alarm', note: '厨房蒸汽', closedAt: iso(T0 + sec(300)), closedBy: 'manager-zhao' });
      expect(await store.alarms.get(alarm.id)).toEqual(closed);
      expect(await store.alarms.transition('no-such-alarm', 'new', ACK, 'operator-li', T0)).toBeNull();

      // the subject alarms again: a new alarm, not a repeat of the closed one
      const next = await raiseAlarm(fire(JIAOHE, 'fp-life', 'fp-life#1:17', T0 + sec(600)));
      expect(next).toMatchObject({ status: 'new', count: 1, raisedAt: iso(T0 + sec(600)), acknowledgedBy: null, outcome: null, note: null });
      expect(next.id).not.toBe(alarm.id);
    });

    it('recovery marks the alarm, a repeat clears the mark, and close=true closes it as the system', async () => {
      const first = await raiseAlarm(fire(JIAOHE, 'fp-recover', 'fp-recover#2:5', T0));
      const marked = await store.transaction((tx) => store.alarms.recover(tx, 'panel.fire_alarm', 'fp-recover#2:5', T0 + sec(30), false));
      expect(marked).toMatchObject({ id: first.id, status: 'new', recoveredAt: iso(T0 + sec(30)), closedAt: null, closedBy: null });

      const repeat = await raiseAlarm(fire(JIAOHE, 'fp-recover', 'fp-recover#2:5', T0 + sec(40)));
      expect(repeat).toMatchObject({ id: first.id, count: 2, recoveredAt: null, raisedAt: iso(T0), lastSeenAt: iso(T0 + sec(40)) });

      const closed = await store.transaction((tx) => store.alarms.recover(tx, 'panel.fire_alarm', 'fp-recover#2:5', T0 + sec(50), true));
      expect(closed).toMatchObject({ id: first.id, status: 'closed', recoveredAt: iso(T0 + sec(50)), closedAt: iso(T0 + sec(50)), closedBy: 'system', count: 2 });
      expect(await store.alarms.get(first.id)).toEqual(closed);
      // nothing open any more for that rule and subject; another rule's subject is never touched
      expect(await store.transaction((tx) => store.alarms.recover(tx, 'panel.fire_alarm', 'fp-recover#2:5', T0 + sec(60), true))).toBeNull();
      expect(await store.transaction((tx) => store.alarms.recover(tx, 'smoke.alarm', 'fp-recover#2:5', T0 + sec(60), false))).toBeNull();
    });

    it('flags the open alarms of one zone as a likely fire', async () => {
      const a = await raiseAlarm(fire(HUADIAN, 'fp-zone-a', 'fp-zone-a#1:1', T0, '住院部2F'));
      const b = await raiseAlarm({ ...fire(HUADIAN, 'smoke-zone-b', 'smoke-zone-b', T0 + sec(5), '住院部2F'), ruleId: 'smoke.alarm', family: 'smoke_detector', type: 'smoke.alarm' });
      const other = await raiseAlarm(fire(HUADIAN, 'fp-other-zone', 'fp-other-zone#1:1', T0, '门诊楼1F'));
      const flagged = await store.transaction((tx) => store.alarms.markLikelyFire(tx, [{ siteId: HUADIAN.id, zone: '住院部2F', devices: ['fp-zone-a', 'smoke-zone-b'] }]));
      expect(flagged.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
      for (const x of flagged) {
        expect(x).toMatchObject({ likelyFire: true, data: { correlatedDevices: ['fp-zone-a', 'smoke-zone-b'] } });
      }
      expect((await store.alarms.get(a.id))?.data).toEqual({ loop: 1, point: 17, correlatedDevices: ['fp-zone-a', 'smoke-zone-b'] });
      expect((await store.alarms.get(other.id))?.likelyFire).toBe(false);
    });

    it('raises a batch in one statement: repeats of one subject in it count as one alarm raised that many times', async () => {
      const first = await raiseAlarm(fire(CHAOYANG, 'fp-batch', 'fp-batch#1:1', T0));
      const batch = [
        ...[10, 11, 12].map((ms) => fire(CHAOYANG, 'fp-batch', 'fp-batch#1:1', T0 + ms)),
        ...[20, 19, 18, 17].map((ms) => fire(CHAOYANG, 'fp-batch', 'fp-batch#1:2', T0 + ms)),
      ];
      const raised = await store.transaction((tx) => store.alarms.raiseMany(tx, batch));
      expect(raised.map((a) => [a.subject, a.count]).sort()).toEqual([['fp-batch#1:1', 4], ['fp-batch#1:2', 4]]);
      expect(raised.find((a) => a.subject === 'fp-batch#1:1')).toMatchObject({ id: first.id, raisedAt: iso(T0), lastSeenAt: iso(T0 + 12) });
      expect(raised.find((a) => a.subject === 'fp-batch#1:2')).toMatchObject({ raisedAt: iso(T0 + 20), lastSeenAt: iso(T0 + 20), status: 'new' });
      // as stored (passed as epoch milliseconds): to the millisecond
      expect(await store.alarms.get(raised.find((a) => a.subject === 'fp-batch#1:2')!.id)).toMatchObject({ raisedAt: iso(T0 + 20), lastSeenAt: iso(T0 + 20) });
      // several zones flagged in one statement, each alarm once
      const flagged = await store.transaction((tx) => store.alarms.markLikelyFire(tx, [
        { siteId: CHAOYANG.id, zone: '东区', devices: ['fp-batch'] }, { siteId: CHAOYANG.id, zone: '西区', devices: [] },
      ]));
      expect(flagged.map((a) => a.id).sort()).toEqual(expect.arrayContaining(raised.map((a) => a.id).sort()));
      expect(await store.transaction((tx) => store.alarms.markLikelyFire(tx, [{ siteId: CHAOYANG.id, zone: '东区', devices: ['fp-batch'] }]))).toEqual([]);
      for (const a of raised) await store.alarms.transition(a.id, 'new', CLOSE, 'cy-operator', T0 + sec(1));
    });

    it('answers each raised alarm exactly as it reads back: new ones from what was written, repeats from the table', async () => {
      const before = await raiseAlarm(fire(HUADIAN, 'fp-exact', 'fp-exact#1:1', T0, '急诊1F'));
      const flaggedZone = await store.transaction((tx) => store.alarms.markLikelyFire(tx, [{ siteId: HUADIAN.id, zone: '急诊1F', devices: ['fp-exact'] }]));
      expect(flaggedZone.map((a) => a.id)).toEqual([before.id]);
      const raised = await store.transaction((tx) => store.alarms.raiseMany(tx, [
        fire(HUADIAN, 'fp-exact', 'fp-exact#1:1', T0 + 5), // a repeat of the open alarm
        fire(HUADIAN, 'fp-exact', 'fp-exact#1:2', T0 + 6, '急诊1F'), // new, joining a zone already flagged
        { ...fire(CHAOYANG, 'fp-exact-2', 'fp-exact-2#1:1', T0 + 7, '西区'), likelyFire: { devices: ['fp-exact-2', 'fp-exact-3'] } }, // flagged in its batch
        fire(CHAOYANG, 'fp-exact-2', 'fp-exact-2#1:2', T0 + 8, null), // new, no zone, Chaoyang's own deadlines
      ]));
      expect(raised).toHaveLength(4);
      const read = await Promise.all(raised.map((a) => store.alarms.get(a.id)));
      expect(raised).toEqual(read);
      const bySubject = new Map(raised.map((a) => [a.subject, a]));
      expect(bySubject.get('fp-exact#1:1')).toMatchObject({ id: before.id, count: 2, likelyFire: true });
      expect(bySubject.get('fp-exact#1:2')).toMatchObject({ count: 1, likelyFire: true, siteName: HUADIAN.name });
      expect(bySubject.get('fp-exact-2#1:1')).toMatchObject({ likelyFire: true, data: { loop: 1, point: 17, correlatedDevices: ['fp-exact-2', 'fp-exact-3'] } });
      expect(bySubject.get('fp-exact-2#1:2')).toMatchObject({ likelyFire: false, zone: null, ackBy: iso(T0 + 8 + sec(30)), escalateAt: iso(T0 + 8 + sec(240)) });
      for (const a of raised) await store.alarms.transition(a.id, a.status, CLOSE, 'operator', T0 + sec(1));
    });

    it('lists unconfirmed alarms past a deadline until they have earned every deadline flag, each flag set once', async () => {
      const fresh = await raiseAlarm(fire(CHAOYANG, 'fp-flags', 'fp-flags#1:1', T0));
      const acked = await raiseAlarm(fire(CHAOYANG, 'fp-flags', 'fp-flags#1:2', T0));
      const confirmed = await raiseAlarm(fire(CHAOYANG, 'fp-flags', 'fp-flags#1:3', T0));
      // deadlines from Chaoyang's own policy
      expect(fresh).toMatchObject({ ackBy: iso(T0 + sec(30)), confirmBy: iso(T0 + sec(120)), escalateAt: iso(T0 + sec(240)) });
      await store.alarms.transition(acked.id, 'new', ACK, 'cy-operator', T0 + sec(10));
      await store.alarms.transition(confirmed.id, 'new', CONFIRM_FIRE, 'cy-operator', T0 + sec(10));

      const flag = async (id: string, flags: DeadlineFlag[], at: number) => (await store.alarms.setFlagsMany([{ id, flags }], at))[0] ?? null;
      const awaiting = async (at = T0 + sec(241)) => new Set((await store.alarms.pastDeadline(at)).map((a) => a.id));
      let ids = await awaiting();
      expect(ids.has(fresh.id)).toBe(true);
      expect(ids.has(acked.id)).toBe(true);
      expect(ids.has(confirmed.id)).toBe(false);
      // before a deadline nothing is due; the new alarm's acknowledge deadline comes first, the acknowledged one's confirm deadline next
      expect((await awaiting(T0 + sec(30) - 1)).has(fresh.id)).toBe(false);
      expect(await awaiting(T0 + sec(30))).toSatisfy((due: Set<string>) => due.has(fresh.id) && !due.has(acked.id));
      expect((await awaiting(T0 + sec(120) - 1)).has(acked.id)).toBe(false);
      expect((await awaiting(T0 + sec(120))).has(acked.id)).toBe(true);

      expect(await flag(fresh.id, ['ack_overdue'], T0 + sec(31))).toMatchObject({ ackOverdueAt: iso(T0 + sec(31)), confirmOverdueAt: null, escalatedAt: null });
      // a flag already set keeps its first time
      const twice = await flag(fresh.id, ['ack_overdue', 'confirm_overdue'], T0 + sec(121));
      expect(twice).toMatchObject({ ackOverdueAt: iso(T0 + sec(31)), confirmOverdueAt: iso(T0 + sec(121)), escalatedAt: null, status: 'new' });
      expect((await awaiting()).has(fresh.id)).toBe(true);
      expect((await awaiting(T0 + sec(240) - 1)).has(fresh.id)).toBe(false); // its escalation is still ahead
      expect(await flag(fresh.id, ['escalated'], T0 + sec(241))).toMatchObject({
        ackOverdueAt: iso(T0 + sec(31)), confirmOverdueAt: iso(T0 + sec(121)), escalatedAt: iso(T0 + sec(241)),
      });

      // an acknowledged alarm has no acknowledge deadline left to earn
      await flag(acked.id, ['confirm_overdue', 'escalated'], T0 + sec(241));
      ids = await awaiting();
      expect(ids.has(fresh.id)).toBe(false);
      expect(ids.has(acked.id)).toBe(false);
      expect((await store.alarms.get(acked.id))?.ackOverdueAt).toBeNull();
      expect(await flag('no-such-alarm', ['escalated'], T0)).toBeNull();
      // several in one statement, each with its own flags (a storm's alarms pass a deadline together); an unknown id is left out
      const together = await store.alarms.setFlagsMany([
        { id: fresh.id, flags: ['escalated'] }, { id: 'no-such-alarm', flags: ['ack_overdue'] }, { id: confirmed.id, flags: ['ack_overdue'] },
      ], T0 + sec(500));
      expect(together.map((a) => a.id).sort()).toEqual([fresh.id, confirmed.id].sort());
      expect(together.find((a) => a.id === fresh.id)).toMatchObject({ escalatedAt: iso(T0 + sec(241)) });
      expect(together.find((a) => a.id === confirmed.id)).toMatchObject({ ackOverdueAt: iso(T0 + sec(500)), confirmOverdueAt: null, escalatedAt: null });
    });

    it('counts confirmed false alarms on the device', async () => {
      expect(await store.countFalseAlarm('fp-life')).toBe(1);
      expect(await store.countFalseAlarm('fp-life')).toBe(2);
      expect(await store.countFalseAlarm('no-such-device')).toBe(0);
    });

    it('gives the rules engine only enabled devices', async () => {
      await db.query('update devices set disabled = true where id = $1', ['fp-other-zone']);
      const engine = await store.devicesForEngine();
      expect(engine.map((d) => d.id)).not.toContain('fp-other-zone');
      expect(engine.find((d) => d.id === 'fp-zone-a')).toEqual({ id: 'fp-zone-a', family: 'fire_panel', siteId: HUADIAN.id, zone: '住院部2F', heartbeatSec: 60, lastSeenAt: null });
    });
  });

  describe('work orders', () => {
    const raise = (w: WorkOrderRaise) => store.transaction((tx) => store.workorders.raise(tx, w));
    const recover = (at: number, close: boolean) => store.transaction((tx) => store.workorders.recover(tx, 'panel.fault', 'fp-fault', at, close));

    it('keeps one open order per rule and subject, counting repeats', async () => {
      const first = await raise(fault(JIAOHE, 'fp-fault', T0));
      expect(first).toMatchObject({
        ruleId: 'panel.fault', subject: 'fp-fault', deviceId: 'fp-fault', siteId: JIAOHE.id, siteName: JIAOHE.name, regionCode: '220281',
        category: 'fault', state: 'open', count: 1, data: { code: 'E12' }, openedAt: iso(T0), lastSeenAt: iso(T0),
        assignedTo: null, fixedAt: null, verifiedAt: null, verifiedBy: null, recoveredAt: null, repairSeconds: null, note: null,
      });
      const second = await raise(fault(JIAOHE, 'fp-fault', T0 + sec(60), { code: 'E13' }));
      // the repeat carries the latest fault's data
      expect(second).toMatchObject({ id: first.id, count: 2, openedAt: iso(T0), lastSeenAt: iso(T0 + sec(60)), data: { code: 'E13' } });
      expect(await store.workorders.get(first.id)).toEqual(second);
    });

    it('repeats of one fault arriving together make one open order', async () => {
      const orders = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        raise({ ...fault(JIAOHE, 'fp-life', T0 + i), ruleId: 'panel.main_power_fault', category: 'power', subject: 'fp-life' })));
      expect(new Set(orders.map((w) => w.id)).size).toBe(1);
      expect(orders.map((w) => w.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await store.workorders.list([], { deviceId: 'fp-life', open: true, limit: 10 })).toMatchObject([{ id: orders[0]!.id, count: 20, lastSeenAt: iso(T0 + 19) }]);
    });

    it('a recovery without close marks the order; a repeat clears the mark', async () => {
      expect(await recover(T0 + sec(90), false)).toMatchObject({ state: 'open', recoveredAt: iso(T0 + sec(90)), verifiedAt: null });
      expect(await raise(fault(JIAOHE, 'fp-fault', T0 + sec(120)))).toMatchObject({ count: 3, recoveredAt: null });
    });

    it('a recovery with close verifies the order as the system, with its time to repair; the next fault opens a new order', async () => {
      const verified = await recover(T0 + sec(600), true);
      expect(verified).toMatchObject({
        state: 'verified', verifiedAt: iso(T0 + sec(600)), verifiedBy: 'system', recoveredAt: iso(T0 + sec(600)), repairSeconds: 600, count: 3,
      });
      expect(await store.workorders.get(verified!.id)).toEqual(verified);
      expect(await recover(T0 + sec(700), true)).toBeNull();

      const next = await raise(fault(JIAOHE, 'fp-fault', T0 + sec(900)));
      expect(next).toMatchObject({ state: 'open', count: 1, openedAt: iso(T0 + sec(900)), verifiedBy: null, repairSeconds: null });
      expect(next.id).not.toBe(verified!.id);
      expect((await store.workorders.list([], { deviceId: 'fp-fault', open: true, limit: 10 })).map((w) => w.id)).toEqual([next.id]);
      expect((await store.workorders.list([], { deviceId: 'fp-fault', state: 'verified', limit: 10 })).map((w) => w.id)).toEqual([verified!.id]);
      expect((await store.workorders.list([], { deviceId: 'fp-fault', limit: 10 })).map((w) => w.id)).toEqual([next.id, verified!.id]);
    });

    it('moves an order open -> assigned -> fixed -> (rejected) assigned -> fixed -> verified, refusing stale steps', async () => {
      const order = await raise({ ...fault(HUADIAN, 'fp-steps', T0), category: 'battery', ruleId: 'panel.battery', subject: 'fp-steps' });
      const assigned = await store.workorders.transition(order.id, 'open', 'assigned', { assignee: 'tech-liu', actor: 'logistics-lead' }, T0 + sec(60));
      expect(assigned).toMatchObject({ state: 'assigned', assignedTo: 'tech-liu', assignedAt: iso(T0 + sec(60)), note: null });
      expect(await store.workorders.transition(order.id, 'open', 'assigned', { assignee: 'tech-sun', actor: 'logistics-lead' }, T0 + sec(61))).toBeNull();

      const fixed = await store.workorders.transition(order.id, 'assigned', 'fixed', { actor: 'tech-liu', note: '更换备用电池' }, T0 + sec(3600));
      expect(fixed).toMatchObject({ state: 'fixed', fixedAt: iso(T0 + sec(3600)), fixedBy: 'tech-liu', note: '更换备用电池', assignedTo: 'tech-liu', verifiedAt: null });

      // verification failed: back to the same assignee
      const rejected = await store.workorders.transition(order.id, 'fixed', 'assigned', { actor: 'logistics-lead', note: '电池电压仍偏低' }, T0 + sec(4000));
      expect(rejected).toMatchObject({ state: 'assigned', assignedTo: 'tech-liu', assignedAt: iso(T0 + sec(4000)), note: '电池电压仍偏低' });
      await store.workorders.transition(order.id, 'assigned', 'fixed', { actor: 'tech-liu' }, T0 + sec(7000));

      const verified = await store.workorders.transition(order.id, 'fixed', 'verified', { actor: 'logistics-lead' }, T0 + sec(7200));
      expect(verified).toMatchObject({
        state: 'verified', verifiedAt: iso(T0 + sec(7200)), verifiedBy: 'logistics-lead', repairSeconds: 7200,
        fixedAt: iso(T0 + sec(7000)), fixedBy: 'tech-liu', note: '电池电压仍偏低',
      });
      expect(await store.workorders.get(order.id)).toEqual(verified);
      expect(await store.workorders.transition(order.id, 'fixed', 'verified', { actor: 'logistics-lead' }, T0 + sec(7300))).toBeNull();
      expect(await store.workorders.transition('no-such-order', 'open', 'assigned', { assignee: 'x', actor: 'y' }, T0)).toBeNull();
    });

    it('lists orders within scope and by category', async () => {
      expect((await store.workorders.list([{ region: '220282' }], { limit: 10 })).map((w) => w.deviceId)).toEqual(['fp-steps']);
      expect((await store.workorders.list([{ region: '220200' }], { category: 'battery', limit: 10 })).map((w) => w.category)).toEqual(['battery']);
      expect(await store.workorders.list([{ region: '220104' }], { limit: 10 })).toEqual([]);
      expect(await store.workorders.get((await store.workorders.list([], { deviceId: 'fp-steps', limit: 1 }))[0]!.id, [{ region: '220281' }])).toBeNull();
    });
  });

  describe('tickets', () => {
    const raise = (t: TicketRaise) => store.transaction((tx) => store.tickets.raise(tx, t));

    it('keeps one open ticket per rule and subject, counting repeats in the audit trail', async () => {
      const first = await raise(hazard(JIAOHE, 'fp-life', T0));
      expect(first.opened).toBe(true);
      expect(first.ticket).toMatchObject({
        ruleId: 'panel.isolation_24h', subject: 'fp-life#1:17', source: 'rule', deviceId: 'fp-life', siteId: JIAOHE.id, siteName: JIAOHE.name,
        title: '火灾报警控制器屏蔽超过24小时', titleEn: 'Fire panel point isolated over 24 h', descriptionEn: 'Fire panel point isolated over 24 h',
        state: 'reported', count: 1, level: 'general', grade: 'general', reportedAt: iso(T0), reportedBy: 'system', lastSeenAt: iso(T0),
        fiveInPlace: null, recoveredAt: null, overdue: false, overdueAt: null, escalatedAt: null, closedAt: null, photos: [],
      });
      const second = await raise(hazard(JIAOHE, 'fp-life', T0 + sec(3600), { data: { loop: 1, point: 17, hours: 25 } }));
      expect(second.opened).toBe(false);
      expect(second.ticket).toMatchObject({ id: first.ticket.id, count: 2, reportedAt: iso(T0), lastSeenAt: iso(T0 + sec(3600)) });
      // the first report's data stays; the latest is kept beside it
      expect(second.ticket.data).toEqual({ loop: 1, point: 17, latest: { loop: 1, point: 17, hours: 25 } });
      expect(await store.tickets.events(first.ticket.id)).toEqual([
        { at: iso(T0), actor: 'system', action: 'reported', from: null, to: 'reported', note: '火灾报警控制器屏蔽超过24小时', data: { loop: 1, point: 17 } },
        { at: iso(T0 + sec(3600)), actor: 'system', action: 'repeated', from: null, to: null, note: null, data: { count: 2 } },
      ]);
    });

    it('repeats of one hazard arriving together make one ticket, opened once', async () => {
      const raised = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        raise(hazard(JIAOHE, 'fp-life', T0 + i, { subject: 'fp-life#9:9' }))));
      expect(new Set(raised.map((r) => r.ticket.id)).size).toBe(1);
      expect(raised.filter((r) => r.opened)).toHaveLength(1);
      expect(raised.map((r) => r.ticket.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const trail = await store.tickets.events(raised[0]!.ticket.id);
      // whoever opened it wrote its audit row first: the others waited on the open ticket
      expect(trail.map((e) => e.action)).toEqual(['reported', ...Array<string>(19).fill('repeated')]);
      expect(trail.slice(1).map((e) => e.data.count)).toEqual(Array.from({ length: 19 }, (_, i) => i + 2));
    });

    it('notes a recovery in the ticket and its audit trail; a repeat clears it', async () => {
      const recovered = await store.transaction((tx) => store.tickets.recover(tx, 'panel.isolation_24h', 'fp-life#1:17', T0 + sec(7200)));
      expect(recovered).toMatchObject({ state: 'reported', count: 2, recoveredAt: iso(T0 + sec(7200)) });
      expect((await store.tickets.events(recovered!.id)).at(-1)).toMatchObject({ action: 'recovered', actor: 'system', at: iso(T0 + sec(7200)) });
      expect((await raise(hazard(JIAOHE, 'fp-life', T0 + sec(9000)))).ticket).toMatchObject({ id: recovered!.id, count: 3, recoveredAt: null });
      expect(await store.transaction((tx) => store.tickets.recover(tx, 'panel.isolation_24h', 'no-such-subject', T0))).toBeNull();
    });

    it('files every manual report as a new ticket', async () => {
      const a = await store.tickets.report(manual(JIAOHE, T0));
      const b = await store.tickets.report(manual(JIAOHE, T0 + sec(60)));
      expect(a).toMatchObject({ source: 'manual', ruleId: null, subject: null, deviceId: null, state: 'reported', count: 1, reportedBy: 'inspector-zhang', level: 'significant' });
      // what people wrote is shown as written: no English of it
      expect(a).toMatchObject({ title: '疏散通道堆放杂物', titleEn: null, descriptionEn: null });
      expect(b.id).not.toBe(a.id);
      expect(b.count).toBe(1);
      expect(await store.tickets.events(a.id)).toEqual([
        { at: iso(T0), actor: 'inspector-zhang', action: 'reported', from: null, to: 'reported', note: '住院部2F东侧疏散通道堆放纸箱', data: {} },
      ]);
      expect(await store.tickets.get(a.id)).toEqual(a);
    });

    it('moves a ticket through its loop with the five in place persisted and every step audited', async () => {
      const ticket = await store.tickets.report(manual(JIAOHE, T0, { title: '配电室灭火器过期' }));
      const registered = await store.tickets.transition(ticket.id, 'reported', 'registered', { actor: 'manager-zhao', fiveInPlace: FIVE_IN_PLACE, rejected: false }, T0 + sec(600));
      const fiveInPlace = { ...FIVE_IN_PLACE, deadline: '2027-04-01T10:00:00.000Z' };
      expect(registered).toMatchObject({ state: 'registered', fiveInPlace, updatedAt: iso(T0 + sec(600)), overdue: false, closedAt: null });
      expect(await store.tickets.get(ticket.id)).toEqual(registered);
      // someone registered it first: refused, and nothing added to the trail
      expect(await store.tickets.transition(ticket.id, 'reported', 'registered', { actor: 'manager-qian', fiveInPlace: { ...FIVE_IN_PLACE, owner: '钱' }, rejected: false }, T0 + sec(601))).toBeNull();
      expect((await store.tickets.get(ticket.id))?.fiveInPlace?.owner).toBe(FIVE_IN_PLACE.owner);

      await store.tickets.transition(ticket.id, 'registered', 'rectifying', { actor: 'logistics-wang', rejected: false }, T0 + sec(700));
      await store.tickets.transition(ticket.id, 'rectifying', 'pending_verification', { actor: 'logistics-wang', note: '已更换灭火器', rejected: false }, T0 + sec(800));
      const sentBack = await store.tickets.transition(ticket.id, 'pending_verification', 'rectifying', { actor: 'manager-zhao', note: '标识未设置', rejected: true }, T0 + sec(900));
      // the five in place stay with the ticket through later steps
      expect(sentBack).toMatchObject({ state: 'rectifying', fiveInPlace, closedAt: null });
      await store.tickets.transition(ticket.id, 'rectifying', 'pending_verification', { actor: 'logistics-wang', note: '已设置标识', rejected: false }, T0 + sec(1000));
      const closed = await store.tickets.transition(ticket.id, 'pending_verification', 'closed', { actor: 'manager-zhao', rejected: false }, T0 + sec(1100));
      expect(closed).toMatchObject({ state: 'closed', closedAt: iso(T0 + sec(1100)), updatedAt: iso(T0 + sec(1100)), fiveInPlace });
      await store.tickets.comment(ticket.id, 'bureau-jilin', '已抽查', T0 + sec(1200));

      const trail = await store.tickets.events(ticket.id);
      expect(trail.map((e) => [e.action, e.from, e.to, e.actor, e.note])).toEqual([
        ['reported', null, 'reported', 'inspector-zhang', '住院部2F东侧疏散通道堆放纸箱'],
        ['transition', 'reported', 'registered', 'manager-zhao', null],
        ['transition', 'registered', 'rectifying', 'logistics-wang', null],
        ['transition', 'rectifying', 'pending_verification', 'logistics-wang', '已更换灭火器'],
        ['rejected', 'pending_verification', 'rectifying', 'manager-zhao', '标识未设置'],
        ['transition', 'rectifying', 'pending_verification', 'logistics-wang', '已设置标识'],
        ['transition', 'pending_verification', 'closed', 'manager-zhao', null],
        ['comment', null, null, 'bureau-jilin', '已抽查'],
      ]);
      expect(trail[1]).toMatchObject({ at: iso(T0 + sec(600)), data: { fiveInPlace: FIVE_IN_PLACE } });
    });

    it('filters tickets by open, level, grade and overdue (past the registered deadline)', async () => {
      const scope = [{ siteIds: [HUADIAN.id] }];
      const now = Date.now();
      const major = await store.tickets.report(manual(HUADIAN, T0, { title: '消防水泵故障', level: 'major', grade: 'major' }));
      const low = await store.tickets.report(manual(HUADIAN, T0 + sec(1), { level: 'low' }));
      const late = await store.tickets.report(manual(HUADIAN, T0 + sec(2), { level: 'general' }));
      await store.tickets.transition(late.id, 'reported', 'registered', { actor: 'm', fiveInPlace: { ...FIVE_IN_PLACE, deadline: iso(now - 86_400_000) }, rejected: false }, T0 + sec(3));
      const onTime = await store.tickets.report(manual(HUADIAN, T0 + sec(4), { level: 'general' }));
      await store.tickets.transition(onTime.id, 'reported', 'registered', { actor: 'm', fiveInPlace: { ...FIVE_IN_PLACE, deadline: iso(now + 30 * 86_400_000) }, rejected: false }, T0 + sec(5));
      // past its deadline, but through verification already: not overdue
      const done = await store.tickets.report(manual(HUADIAN, T0 + sec(6), { level: 'general' }));
      await store.tickets.transition(done.id, 'reported', 'registered', { actor: 'm', fiveInPlace: { ...FIVE_IN_PLACE, deadline: iso(now - 86_400_000) }, rejected: false }, T0 + sec(7));
      await store.tickets.transition(done.id, 'registered', 'rectifying', { actor: 'm', rejected: false }, T0 + sec(8));
      await store.tickets.transition(done.id, 'rectifying', 'pending_verification', { actor: 'm', note: 'done', rejected: false }, T0 + sec(9));
      await store.tickets.transition(done.id, 'pending_verification', 'closed', { actor: 'm', rejected: false }, T0 + sec(10));

      const list = async (filter: Omit<Parameters<Store['tickets']['list']>[1], 'limit'>) => (await store.tickets.list(scope, { ...filter, limit: 50 })).map((t) => t.id);
      expect(await list({})).toEqual([done.id, onTime.id, late.id, low.id, major.id]);
      expect(await list({ open: true })).toEqual([onTime.id, late.id, low.id, major.id]);
      expect(await list({ state: 'closed' })).toEqual([done.id]);
      expect(await list({ level: 'major' })).toEqual([major.id]);
      expect(await list({ grade: 'major' })).toEqual([major.id]);
      expect(await list({ level: 'general', open: true })).toEqual([onTime.id, late.id]);
      expect(await list({ overdue: true })).toEqual([late.id]);
      expect(await list({ overdue: false })).toEqual([done.id, onTime.id, low.id, major.id]);
      expect((await store.tickets.get(late.id))?.overdue).toBe(true);
      expect(await store.tickets.list([{ region: '220104' }], { limit: 50 })).toEqual([]);
      expect(await store.tickets.get(late.id, [{ region: '220281' }])).toBeNull();
    });

    it('flags an overdue ticket once, escalating it, by the clock it is given', async () => {
      const [late] = await store.tickets.list([{ siteIds: [HUADIAN.id] }], { overdue: true, limit: 10 });
      const deadline = Date.parse(late!.fiveInPlace!.deadline);
      expect(await store.tickets.flagOverdue(deadline - sec(1))).toEqual([]);
      const at = Date.now();
      const flagged = await store.tickets.flagOverdue(at);
      expect(flagged.map((t) => t.id)).toEqual([late!.id]);
      expect(flagged[0]).toMatchObject({ overdue: true, overdueAt: iso(at), escalatedAt: iso(at) });
      expect(await store.tickets.flagOverdue(at + sec(60))).toEqual([]);
      expect(await store.tickets.get(late!.id)).toEqual(flagged[0]);
      expect((await store.tickets.events(late!.id)).filter((e) => e.action === 'overdue')).toEqual([
        { at: iso(at), actor: 'system', action: 'overdue', from: null, to: null, note: 'past the rectification deadline: escalated', data: {} },
      ]);
    });

    it('round-trips a photo byte for byte and lists it on the ticket', async () => {
      const ticket = await store.tickets.report(manual(JIAOHE, T0 + sec(5000)));
      const bytes = Buffer.from(Array.from({ length: 1024 }, (_, i) => (i * 7) % 256));
      const id = await store.tickets.addPhoto(ticket.id, 'image/jpeg', bytes, 'inspector-zhang', T0 + sec(5001));
      const photo = await store.tickets.photo(ticket.id, id);
      expect(photo?.contentType).toBe('image/jpeg');
      expect(photo?.bytes.equals(bytes)).toBe(true);
      expect((await store.tickets.get(ticket.id))?.photos).toEqual([{ id, contentType: 'image/jpeg', url: `/api/tickets/${ticket.id}/photos/${id}` }]);
      expect((await store.tickets.events(ticket.id)).at(-1)).toEqual({
        at: iso(T0 + sec(5001)), actor: 'inspector-zhang', action: 'photo', from: null, to: null, note: null, data: { photoId: id, contentType: 'image/jpeg', size: 1024 },
      });
      expect(await store.tickets.photo(ticket.id, 'no-such-photo')).toBeNull();
      const other = await store.tickets.report(manual(JIAOHE, T0 + sec(5002)));
      expect(await store.tickets.photo(other.id, id)).toBeNull();
    });
  });

  describe('commands', () => {
    const command = (id: string) => ({
      id, deviceId: 'charger-cmd', ruleId: 'charger.overheat', subject: 'charger-cmd:3', type: 'port.power_off', payload: { port: 3 }, maxAttempts: 3, timeoutSec: 10,
    });

    it('counts sends while pending and takes only the first acknowledgement', async () => {
      const created = await store.commands.create(command('cmd-ack'), T0);
      expect(created).toEqual({
        ...command('cmd-ack'), state: 'pending', attempts: 0, createdAt: iso(T0), sentAt: null, ackedAt: null, ok: null, message: null, answerBy: null,
      });
      expect(await store.commands.markSent('cmd-ack', 0, T0 + 100)).toBe(true);
      // an attempt counted by another node meanwhile: this one is not sent again
      expect(await store.commands.markSent('cmd-ack', 0, T0 + 200)).toBe(false);
      expect(await store.commands.markSent('cmd-ack', 1, T0 + sec(10))).toBe(true);
      expect(await store.commands.get('cmd-ack')).toMatchObject({ attempts: 2, sentAt: iso(T0 + sec(10)), state: 'pending' });
      expect((await store.commands.pending()).map((c) => c.id)).toContain('cmd-ack');

      // an ack naming another device does not count
      expect(await store.commands.ack('fp-life', 'cmd-ack', true, null, T0 + sec(11))).toBeNull();
      const acked = await store.commands.ack('charger-cmd', 'cmd-ack', true, 'port 3 off', T0 + sec(12));
      expect(acked).toMatchObject({ state: 'acked', ok: true, message: 'port 3 off', ackedAt: iso(T0 + sec(12)), attempts: 2 });
      expect(await store.commands.ack('charger-cmd', 'cmd-ack', false, 'late duplicate', T0 + sec(13))).toBeNull();
      expect(await store.commands.markSent('cmd-ack', 2, T0 + sec(20))).toBe(false);
      expect(await store.commands.get('cmd-ack')).toEqual(acked);
      expect((await store.commands.pending()).map((c) => c.id)).not.toContain('cmd-ack');
    });

    it('keeps when a delivered command must be answered by, for whichever node checks the timeouts', async () => {
      await store.commands.create({ ...command('cmd-delivered'), deviceId: 'td-duty' }, T0 + sec(50));
      await store.commands.markDelivered('fp-life', 'cmd-delivered', T0 + sec(60)); // another device's: nothing
      expect(await store.commands.get('cmd-delivered')).toMatchObject({ answerBy: null });
      await store.commands.markDelivered('td-duty', 'cmd-delivered', T0 + sec(600));
      expect((await store.commands.pending()).find((c) => c.id === 'cmd-delivered')).toMatchObject({ answerBy: iso(T0 + sec(600)), state: 'pending' });
      expect(await store.commands.ack('td-duty', 'cmd-delivered', true, '值班员已应答', T0 + sec(120))).toMatchObject({ state: 'acked', answerBy: iso(T0 + sec(600)) });
    });

    it('records a refusal by the device and a failure after the last attempt', async () => {
      await store.commands.create(command('cmd-rejected'), T0 + sec(30));
      expect(await store.commands.ack('charger-cmd', 'cmd-rejected', false, 'port busy', T0 + sec(31))).toMatchObject({ state: 'rejected', ok: false, message: 'port busy' });

      await store.commands.create(command('cmd-failed'), T0 + sec(40));
      const failed = await store.commands.fail('cmd-failed', 'no acknowledgement after 3 attempts');
      expect(failed).toMatchObject({ state: 'failed', message: 'no acknowledgement after 3 attempts', ok: null, ackedAt: null });
      expect(await store.commands.fail('cmd-failed', 'again')).toBeNull();
      expect(await store.commands.ack('charger-cmd', 'cmd-failed', true, null, T0 + sec(41))).toBeNull();
      expect(await store.commands.get('cmd-failed')).toEqual(failed);
      expect(await store.commands.get('no-such-command')).toBeNull();

      expect((await store.commands.listForDevice('charger-cmd')).map((c) => c.id)).toEqual(['cmd-failed', 'cmd-rejected', 'cmd-ack']);
      expect(await store.commands.listForDevice('charger-cmd', 1)).toHaveLength(1);
      expect((await store.commands.pending()).map((c) => c.id).filter((id) => id.startsWith('cmd-'))).toEqual([]);
    });
  });

  describe('rules', () => {
    const shipped = defaultRules();
    const fireRule = shipped.find((r) => r.id === 'panel.fire_alarm')!;
    const edited = Rule.parse({ ...fireRule, name: '火警（本院修订）', enabled: false });

    it('saves every change as a new version and reads back the latest', async () => {
      expect(await store.rules.current()).toEqual([]);
      expect(await store.rules.save(fireRule, 'system', T0)).toBe(1);
      expect(await store.rules.save(edited, 'admin-sun', T0 + sec(60))).toBe(2);
      expect(await store.rules.current()).toEqual([{ id: 'panel.fire_alarm', version: 2, changedBy: 'admin-sun', changedAt: iso(T0 + sec(60)), definition: edited }]);
      expect(await store.rules.history('panel.fire_alarm')).toEqual([
        { version: 2, changedBy: 'admin-sun', changedAt: iso(T0 + sec(60)), definition: edited },
        { version: 1, changedBy: 'system', changedAt: iso(T0), definition: fireRule },
      ]);
      expect(await store.rules.history('no-such-rule')).toEqual([]);
    });

    it('installs the shipped defaults that are missing and never overwrites an edited rule', async () => {
      expect(shipped.length).toBeGreaterThan(1);
      const added = await store.rules.installDefaults(shipped, T0 + sec(120));
      expect(added.sort()).toEqual(shipped.map((r) => r.id).filter((id) => id !== 'panel.fire_alarm').sort());
      const current = new Map((await store.rules.current()).map((r) => [r.id, r]));
      expect(current.size).toBe(shipped.length);
      expect(current.get('panel.fire_alarm')).toMatchObject({ version: 2, changedBy: 'admin-sun', definition: edited });
      for (const rule of shipped.filter((r) => r.id !== 'panel.fire_alarm')) {
        expect(current.get(rule.id)).toEqual({ id: rule.id, version: 1, changedBy: 'system', changedAt: iso(T0 + sec(120)), definition: rule });
      }
      expect(await store.rules.installDefaults(shipped, T0 + sec(180))).toEqual([]);
      expect((await store.rules.history('panel.fire_alarm')).map((v) => v.version)).toEqual([2, 1]);
    });

    it('gives concurrent saves of one rule consecutive versions, and concurrent installs one version each', async () => {
      const versions = await Promise.all(Array.from({ length: 5 }, () => store.rules.save(edited, 'admin', T0 + sec(200))));
      expect(versions.sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7]);
      const probe = Rule.parse({ ...fireRule, id: 'probe.install' });
      const installs = await Promise.all([store.rules.installDefaults([probe], T0), store.rules.installDefaults([probe], T0)]);
      expect(installs.flat()).toEqual(['probe.install']);
      expect((await store.rules.history('probe.install')).map((v) => v.version)).toEqual([1]);
    });

    it('saves, lists in start order, updates and deletes special periods', async () => {
      expect(await store.rules.periods()).toEqual([]);
      await store.rules.savePeriod({ name: 'spring-festival', label: '春节', from: '2027-02-05T00:00:00+08:00', to: '2027-02-12T00:00:00+08:00' });
      await store.rules.savePeriod({ name: 'new-year', label: '元旦', from: '2026-12-31T16:00:00.000Z', to: '2027-01-02T16:00:00.000Z' });
      expect(await store.rules.periods()).toEqual([
        { name: 'new-year', label: '元旦', from: '2026-12-31T16:00:00.000Z', to: '2027-01-02T16:00:00.000Z' },
        { name: 'spring-festival', label: '春节', from: '2027-02-04T16:00:00.000Z', to: '2027-02-11T16:00:00.000Z' },
      ]);
      await store.rules.savePeriod({ name: 'new-year', label: '元旦假期', from: '2026-12-31T16:00:00.000Z', to: '2027-01-03T16:00:00.000Z' });
      expect((await store.rules.periods()).find((p) => p.name === 'new-year')).toEqual({ name: 'new-year', label: '元旦假期', from: '2026-12-31T16:00:00.000Z', to: '2027-01-03T16:00:00.000Z' });
      expect(await store.rules.deletePeriod('new-year')).toBe(true);
      expect(await store.rules.deletePeriod('new-year')).toBe(false);
      expect((await store.rules.periods()).map((p) => p.name)).toEqual(['spring-festival']);
    });

    it('round-trips the engine state, keeping only the latest of each (a lone node\'s, and each partition of a cluster\'s)', async () => {
      expect(await store.rules.loadEngineState(1)).toBeNull();
      const state = JSON.stringify({ version: 1, devices: [{ id: 'fp-life', open: [{ ruleId: 'panel.fire_alarm', subject: 'fp-life#1:17', since: T0 }] }] });
      await store.rules.saveEngineState(1, state, T0);
      expect(await store.rules.loadEngineState(1)).toBe(state);
      await store.rules.saveEngineState(1, '{"version":1,"devices":[]}', T0 + sec(1));
      expect(await store.rules.loadEngineState(1)).toBe('{"version":1,"devices":[]}');
      await store.rules.saveEngineState(1007, state, T0);
      expect(await store.rules.loadEngineState(1007)).toBe(state);
      expect(await store.rules.loadEngineState(1)).toBe('{"version":1,"devices":[]}');
      expect(await store.rules.loadEngineState(1008)).toBeNull();
    });
  });
});
