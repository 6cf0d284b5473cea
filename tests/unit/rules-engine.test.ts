// The pure rules engine with a fake clock: every condition kind, de-duplication, restarts, default rules.
import { describe, expect, it } from 'vitest';
import { defaultRules, parseRuleFile } from '../../platform/rules/defaults.js';
import { deserializeState, evaluate, initialState, serializeState, type EngineState } from '../../platform/rules/engine.js';
import { Rule, type RuleInput, type SpecialPeriod } from '../../contracts/rules.js';
import type { DeviceFacts, EngineContext, EngineEffect, EngineInput, SiteFacts } from '../../platform/rules/types.js';
import type { DeviceFamily } from '../../contracts/device-api.js';

const sec = (n: number) => n * 1000;
const rule = (input: RuleInput): Rule => Rule.parse(input);

function device(id: string, family: DeviceFamily = 'smoke_detector', more: Partial<DeviceFacts> = {}): DeviceFacts {
  return { id, family, siteId: 'site-1', zone: 'ward-3', heartbeatSec: 60, ...more };
}

/** A running engine: feeds inputs and keeps the state, the way the shell does. */
class Engine {
  state: EngineState = initialState();
  readonly ctx: EngineContext;
  private eventNo = 0;

  constructor(rules: Rule[], options: { periods?: SpecialPeriod[]; sites?: SiteFacts[] } = {}) {
    const sites = new Map((options.sites ?? []).map((s) => [s.id, s]));
    this.ctx = { rules, periods: options.periods ?? [], site: (id) => sites.get(id) };
  }

  run(input: EngineInput): EngineEffect[] {
    const out = evaluate(this.state, input, this.ctx);
    this.state = out.state;
    return out.effects;
  }
  event(d: DeviceFacts, type: string, at: number, data: Record<string, unknown> = {}) {
    return this.run({ kind: 'event', device: d, event: { id: `e${++this.eventNo}`, ts: at, type, data }, at });
  }
  telemetry(d: DeviceFacts, at: number, metrics: Record<string, number | boolean>, port: number | null = null) {
    return this.run({ kind: 'telemetry', device: d, metrics, port, at });
  }
  tick(at: number) {
    return this.run({ kind: 'tick', at });
  }
  register(d: DeviceFacts, at: number, lastSeenAt: number | null = null) {
    return this.run({ kind: 'register', device: d, lastSeenAt, at });
  }
  /** Ticks every second from `from` to `to` inclusive, collecting effects. */
  ticks(from: number, to: number): EngineEffect[] {
    const all: EngineEffect[] = [];
    for (let t = from; t <= to; t += sec(1)) all.push(...this.tick(t));
    return all;
  }
}

const raises = (effects: EngineEffect[]) => effects.filter((e) => e.kind === 'raise');
const recovers = (effects: EngineEffect[]) => effects.filter((e) => e.kind === 'recover');
const subjects = (effects: EngineEffect[]) => effects.map((e) => `${e.kind} ${e.ruleId} ${e.subject}`);

const smokeAlarm = rule({
  id: 'smoke.alarm', name: '感烟探测器火警', families: ['smoke_detector'],
  condition: { kind: 'event', types: ['smoke.alarm'], clearTypes: ['smoke.clear'] }, effects: [{ kind: 'alarm' }],
});
const panelAlarm = rule({
  id: 'panel.fire_alarm', name: '火灾报警控制器火警', families: ['fire_panel'],
  condition: { kind: 'event', types: ['fire.alarm'], clearTypes: ['fire.clear', 'panel.reset'], sourceFields: ['loop', 'point'] },
  effects: [{ kind: 'alarm' }],
});

describe('event conditions', () => {
  it('raises once and repeats while open: 50 alarms at the same instant are one raise and 49 repeats', () => {
    const engine = new Engine([smokeAlarm]);
    const sd = device('sd-1');
    const effects = Array.from({ length: 50 }, () => engine.event(sd, 'smoke.alarm', sec(10))).flat();
    expect(effects).toHaveLength(50);
    expect(effects.filter((e) => e.kind === 'raise' && !e.repeat)).toHaveLength(1);
    expect(effects.filter((e) => e.kind === 'raise' && e.repeat)).toHaveLength(49);
    expect(effects[0]).toEqual({
      kind: 'raise', ruleId: 'smoke.alarm', subject: 'sd-1', deviceId: 'sd-1', siteId: 'site-1', zone: 'ward-3', port: null,
      repeat: false, at: sec(10), data: { type: 'smoke.alarm', id: 'e1', data: {} },
    });
  });

  it('recovers on a clear event from the same device only, and raises afresh after', () => {
    const engine = new Engine([smokeAlarm]);
    const [a, b] = [device('sd-a'), device('sd-b')];
    engine.event(a, 'smoke.alarm', sec(1));
    expect(engine.event(b, 'smoke.clear', sec(2))).toEqual([]);
    expect(engine.event(a, 'smoke.clear', sec(3))).toEqual([
      { kind: 'recover', ruleId: 'smoke.alarm', subject: 'sd-a', deviceId: 'sd-a', siteId: 'site-1', at: sec(3) },
    ]);
    expect(engine.event(a, 'smoke.clear', sec(4))).toEqual([]);
    expect(raises(engine.event(a, 'smoke.alarm', sec(5)))[0]).toMatchObject({ repeat: false });
  });

  it('keeps one item per source, recovers the source a clear names, and all sources on a clear that names none', () => {
    const engine = new Engine([panelAlarm]);
    const fp = device('fp-1', 'fire_panel', { zone: null });
    expect(subjects(engine.event(fp, 'fire.alarm', sec(1), { loop: 1, point: 17 }))).toEqual(['raise panel.fire_alarm fp-1#1:17']);
    expect(raises(engine.event(fp, 'fire.alarm', sec(2), { loop: 2, point: 3 }))[0]).toMatchObject({ subject: 'fp-1#2:3', repeat: false, zone: null });
    expect(raises(engine.event(fp, 'fire.alarm', sec(3), { loop: 1, point: 17 }))[0]).toMatchObject({ repeat: true });
    expect(subjects(engine.event(fp, 'fire.clear', sec(4), { loop: 1, point: 17 }))).toEqual(['recover panel.fire_alarm fp-1#1:17']);
    engine.event(fp, 'fire.alarm', sec(5), { loop: 3, point: 1 });
    expect(subjects(engine.event(fp, 'panel.reset', sec(6))).sort()).toEqual(['recover panel.fire_alarm fp-1#2:3', 'recover panel.fire_alarm fp-1#3:1']);
  });

  it('applies where filters: comparisons, in, and a missing field fails', () => {
    const hot = rule({
      id: 'hot', name: '过流', families: ['charging_station'],
      condition: { kind: 'event', types: ['charger.overcurrent'], where: { current_a: { op: '>=', value: 10 }, port: { op: 'in', value: [1, 2] } } },
      effects: [{ kind: 'notify', message: '过流' }],
    });
    const engine = new Engine([hot]);
    const cs = device('cs-1', 'charging_station');
    expect(engine.event(cs, 'charger.overcurrent', sec(1), { port: 1, current_a: 9.9 })).toEqual([]);
    expect(engine.event(cs, 'charger.overcurrent', sec(2), { port: 3, current_a: 12 })).toEqual([]);
    expect(engine.event(cs, 'charger.overcurrent', sec(3), { port: 1 })).toEqual([]);
    expect(engine.event(cs, 'charger.overcurrent', sec(4), { port: 2, current_a: '12' })).toEqual([]);
    expect(raises(engine.event(cs, 'charger.overcurrent', sec(5), { port: 2, current_a: 10 }))[0]).toMatchObject({ port: 2, repeat: false });
  });

  const doubleLock = rule({
    id: 'cabinet.double_lock', name: '危化品柜未落实双人双锁', families: ['hazmat_cabinet'],
    condition: { kind: 'event', types: ['cabinet.door_open'], where: { badges: { op: 'distinct_lt', value: 2 } } },
    effects: [{ kind: 'hazard', level: 'significant', grade: 'general', title: '危化品柜未落实双人双锁' }],
  });

  it('distinct_lt without an authorised list: any two different badges pass, one badge twice or none does not', () => {
    const engine = new Engine([doubleLock], { sites: [{ id: 'site-1', authorisedBadges: [] }] });
    const hc = device('hc-1', 'hazmat_cabinet');
    expect(engine.event(hc, 'cabinet.door_open', sec(1), { badges: ['A1', 'B2'] })).toEqual([]);
    expect(raises(engine.event(hc, 'cabinet.door_open', sec(2), { badges: ['A1', 'A1'] }))).toHaveLength(1);
    expect(raises(engine.event(hc, 'cabinet.door_open', sec(3), {}))[0]).toMatchObject({ repeat: true });
  });

  it('distinct_lt with an authorised list counts authorised badges only', () => {
    const engine = new Engine([doubleLock], { sites: [{ id: 'site-1', authorisedBadges: ['A1', 'B2', 'C3'] }] });
    const hc = device('hc-1', 'hazmat_cabinet');
    expect(engine.event(hc, 'cabinet.door_open', sec(1), { badges: ['A1', 'C3'] })).toEqual([]);
    expect(raises(engine.event(hc, 'cabinet.door_open', sec(2), { badges: ['A1', 'X9'] }))).toHaveLength(1);
    const anyBadge = rule({ ...doubleLock, id: 'any', condition: { kind: 'event', types: ['cabinet.door_open'], where: { badges: { op: 'distinct_lt', value: 2, authorisedOnly: false } } } });
    const lax = new Engine([anyBadge], { sites: [{ id: 'site-1', authorisedBadges: ['A1'] }] });
    expect(lax.event(hc, 'cabinet.door_open', sec(1), { badges: ['A1', 'X9'] })).toEqual([]);
  });
});

describe('held conditions', () => {
  const isolation = rule({
    id: 'panel.isolation_24h', name: '火灾报警控制器屏蔽超过24小时', families: ['fire_panel'],
    condition: { kind: 'held', startTypes: ['isolation'], endTypes: ['isolation.clear'], forSec: 86_400, sourceFields: ['loop', 'point'] },
    effects: [{ kind: 'hazard', level: 'general', grade: 'general', title: '火灾报警控制器屏蔽超过24小时' }],
  });
  const fp = device('fp-1', 'fire_panel');

  it('raises once when still held forSec later, on the tick it matures, and recovers when it ends', () => {
    const engine = new Engine([isolation]);
    engine.event(fp, 'isolation', sec(100), { loop: 2, point: 5 });
    engine.event(fp, 'isolation', sec(200), { loop: 2, point: 5 }); // reported again: the clock keeps running from the first
    expect(engine.tick(sec(100 + 86_399))).toEqual([]);
    const raised = engine.tick(sec(100 + 86_400));
    expect(raised).toEqual([{
      kind: 'raise', ruleId: 'panel.isolation_24h', subject: 'fp-1#2:5', deviceId: 'fp-1', siteId: 'site-1', zone: 'ward-3', port: null,
      repeat: false, at: sec(86_500), data: { type: 'isolation', id: 'e1', data: { loop: 2, point: 5 }, since: sec(100) },
    }]);
    expect(engine.ticks(sec(86_501), sec(86_600))).toEqual([]);
    expect(engine.event(fp, 'isolation.clear', sec(90_000), { loop: 2, point: 4 })).toEqual([]);
    expect(subjects(engine.event(fp, 'isolation.clear', sec(90_001), { loop: 2, point: 5 }))).toEqual(['recover panel.isolation_24h fp-1#2:5']);
  });

  it('does not raise when the state ends before forSec, and a new start restarts the clock', () => {
    const engine = new Engine([isolation]);
    engine.event(fp, 'isolation', sec(0), { loop: 1, point: 1 });
    expect(engine.event(fp, 'isolation.clear', sec(86_399), { loop: 1, point: 1 })).toEqual([]);
    engine.event(fp, 'isolation', sec(86_400), { loop: 1, point: 1 });
    expect(engine.tick(sec(86_401))).toEqual([]);
    expect(raises(engine.tick(sec(172_800)))).toHaveLength(1);
  });

  it('matures on any input from the device even without a tick', () => {
    const engine = new Engine([isolation]);
    engine.event(fp, 'isolation', sec(0), { loop: 1, point: 1 });
    expect(subjects(engine.run({ kind: 'seen', device: fp, at: sec(86_400) }))).toEqual(['raise panel.isolation_24h fp-1#1:1']);
    expect(engine.tick(sec(86_401))).toEqual([]);
  });
});

describe('metric conditions', () => {
  const overtemp = rule({
    id: 'charger.overtemp', name: '充电桩端口过热', families: ['charging_station'],
    condition: {
      kind: 'metric', when: [{ metric: 'temperature_c', op: '>', value: 65 }], forSec: 30,
      clearWhen: [{ metric: 'temperature_c', op: '<', value: 55 }],
      special: { periods: ['holiday'], when: [{ metric: 'temperature_c', op: '>', value: 60 }], forSec: 15 },
    },
    effects: [{ kind: 'command', type: 'power_off' }],
  });
  const cs = device('cs-1', 'charging_station');

  it('raises once the condition has held for forSec, on the maturing tick, with the readings and port', () => {
    const engine = new Engine([overtemp]);
    expect(engine.telemetry(cs, sec(0), { temperature_c: 67.2, current_a: 8 }, 3)).toEqual([]);
    expect(engine.ticks(sec(1), sec(29))).toEqual([]);
    expect(engine.tick(sec(30))).toEqual([{
      kind: 'raise', ruleId: 'charger.overtemp', subject: 'cs-1#port:3', deviceId: 'cs-1', siteId: 'site-1', zone: 'ward-3', port: 3,
      repeat: false, at: sec(30), data: { temperature_c: 67.2, port: 3 },
    }]);
    expect(engine.telemetry(cs, sec(31), { temperature_c: 70 }, 3)).toEqual([]);
  });

  it('restarts the duration when the condition stops holding in between', () => {
    const engine = new Engine([overtemp]);
    engine.telemetry(cs, sec(0), { temperature_c: 66 }, 1);
    engine.telemetry(cs, sec(20), { temperature_c: 64 }, 1);
    engine.telemetry(cs, sec(25), { temperature_c: 66 }, 1);
    expect(engine.ticks(sec(26), sec(54))).toEqual([]);
    expect(raises(engine.tick(sec(55)))).toHaveLength(1);
  });

  it('recovers with hysteresis: 60 °C after raising does not recover, 54 °C does', () => {
    const engine = new Engine([overtemp]);
    engine.telemetry(cs, sec(0), { temperature_c: 70 }, 3);
    expect(raises(engine.telemetry(cs, sec(30), { temperature_c: 70 }, 3))).toHaveLength(1); // matured on telemetry too
    expect(engine.telemetry(cs, sec(40), { temperature_c: 60 }, 3)).toEqual([]);
    expect(engine.telemetry(cs, sec(50), { temperature_c: 56 }, 3)).toEqual([]);
    expect(subjects(engine.telemetry(cs, sec(60), { temperature_c: 54 }, 3))).toEqual(['recover charger.overtemp cs-1#port:3']);
    expect(engine.ticks(sec(61), sec(120))).toEqual([]);
  });

  it('recovers as soon as `when` no longer holds when there is no clearWhen', () => {
    const plain = rule({ id: 'hot', name: '过热', families: ['charging_station'], condition: { kind: 'metric', when: [{ metric: 'temperature_c', op: '>', value: 65 }] }, effects: [{ kind: 'notify', message: '过热' }] });
    const engine = new Engine([plain]);
    expect(raises(engine.telemetry(cs, sec(0), { temperature_c: 66 }))[0]).toMatchObject({ subject: 'cs-1', port: null, data: { temperature_c: 66 } });
    expect(subjects(engine.telemetry(cs, sec(1), { temperature_c: 65 }))).toEqual(['recover hot cs-1']);
  });

  it('keeps one subject per port', () => {
    const engine = new Engine([overtemp]);
    engine.telemetry(cs, sec(0), { temperature_c: 70 }, 3);
    engine.telemetry(cs, sec(10), { temperature_c: 70 }, 4);
    engine.telemetry(cs, sec(20), { temperature_c: 40 }, 4);
    expect(subjects(engine.ticks(sec(21), sec(60)))).toEqual(['raise charger.overtemp cs-1#port:3']);
  });

  it('carries the last known value over frames that miss a metric', () => {
    const fanOffVocRising = rule({
      id: 'cabinet.fan_off_voc_rising', name: '危化品柜排风停止且VOC上升', families: ['hazmat_cabinet'],
      condition: { kind: 'metric', when: [{ metric: 'fan_on', op: '==', value: false }, { metric: 'voc_ppm', rising: { windowSec: 300, minDelta: 5 } }], forSec: 60 },
      effects: [{ kind: 'hazard', level: 'significant', grade: 'general', title: '危化品柜排风停止且VOC浓度上升' }],
    });
    const engine = new Engine([fanOffVocRising]);
    const hc = device('hc-1', 'hazmat_cabinet');
    engine.telemetry(hc, sec(0), { fan_on: false, voc_ppm: 10 });
    engine.telemetry(hc, sec(60), { voc_ppm: 13 });
    expect(engine.telemetry(hc, sec(120), { voc_ppm: 16 })).toEqual([]); // +6 in 2 min with the fan off: pending for 60 s
    expect(engine.tick(sec(179))).toEqual([]);
    expect(raises(engine.tick(sec(180)))[0]).toMatchObject({ data: { fan_on: false, voc_ppm: 16 } });
    // the fan comes back on: `when` no longer holds and there is no clearWhen
    expect(subjects(engine.telemetry(hc, sec(200), { fan_on: true }))).toEqual(['recover cabinet.fan_off_voc_rising hc-1']);
  });

  it('rising: compares the latest value with the oldest within the window only', () => {
    const rising = rule({ id: 'voc.rising', name: 'VOC上升', families: ['hazmat_cabinet'], condition: { kind: 'metric', when: [{ metric: 'voc_ppm', rising: { windowSec: 300, minDelta: 5 } }] }, effects: [{ kind: 'notify', message: 'VOC上升' }] });
    const engine = new Engine([rising]);
    const hc = device('hc-1', 'hazmat_cabinet');
    engine.telemetry(hc, sec(0), { voc_ppm: 10 });
    expect(engine.telemetry(hc, sec(301), { voc_ppm: 16 })).toEqual([]); // 10 ppm left the window
    expect(engine.telemetry(hc, sec(400), { voc_ppm: 20 })).toEqual([]); // +4 within 5 minutes
    expect(raises(engine.telemetry(hc, sec(500), { voc_ppm: 21 }))).toHaveLength(1); // +5 since 301 s
  });

  it('uses the stricter `special` predicates and duration while a named period is in force', () => {
    const t0 = Date.parse('2026-10-01T00:00:00+08:00');
    const holiday: SpecialPeriod = { name: 'holiday', label: '国庆', from: '2026-10-01T00:00:00+08:00', to: '2026-10-08T00:00:00+08:00' };
    const other: SpecialPeriod = { name: 'inspection', label: '', from: '2026-01-01T00:00:00+08:00', to: '2026-12-31T00:00:00+08:00' };
    const during = new Engine([overtemp], { periods: [holiday, other] });
    during.telemetry(cs, t0, { temperature_c: 62 }, 1);
    expect(during.tick(t0 + sec(14))).toEqual([]);
    expect(raises(during.tick(t0 + sec(15)))).toHaveLength(1);
    const before = new Engine([overtemp], { periods: [holiday, other] });
    before.telemetry(cs, t0 - sec(100), { temperature_c: 62 }, 1);
    expect(before.ticks(t0 - sec(99), t0 - sec(1))).toEqual([]);
  });
});

describe('rate conditions', () => {
  const falseAlarms = rule({
    id: 'detector.false_alarms', name: '探测器频繁误报', families: ['smoke_detector', 'fire_panel'],
    condition: { kind: 'rate', types: ['alarm.false_alarm'], count: 3, windowSec: 30 * 86_400 },
    effects: [{ kind: 'workorder', category: 'false_alarms' }],
  });
  const day = (n: number) => sec(n * 86_400);
  const sd = device('sd-1');

  it('raises on the count-th event within the window, repeats while open, and ignores other devices', () => {
    const engine = new Engine([falseAlarms]);
    expect(engine.event(sd, 'alarm.false_alarm', day(0))).toEqual([]);
    expect(engine.event(device('sd-2'), 'alarm.false_alarm', day(1))).toEqual([]);
    expect(engine.event(sd, 'alarm.false_alarm', day(10))).toEqual([]);
    const third = raises(engine.event(sd, 'alarm.false_alarm', day(20)));
    expect(third).toHaveLength(1);
    expect(third[0]).toMatchObject({ subject: 'sd-1', repeat: false, data: { count: 3, times: [day(0), day(10), day(20)] } });
    expect(raises(engine.event(sd, 'alarm.false_alarm', day(25)))[0]).toMatchObject({ repeat: true });
  });

  it('does not raise when the events are spread wider than the window', () => {
    const engine = new Engine([falseAlarms]);
    expect([day(0), day(16), day(31), day(47)].flatMap((t) => engine.event(sd, 'alarm.false_alarm', t))).toEqual([]);
  });
});

describe('absence (offline)', () => {
  const offline = rule({
    id: 'device.offline', name: '设备离线', families: ['smoke_detector', 'fire_panel', 'charging_station', 'hazmat_cabinet'],
    condition: { kind: 'absence', heartbeats: 3 }, effects: [{ kind: 'workorder', category: 'offline' }],
  });

  it('raises on the first tick at the deadline, not before and only once; recovers on any message', () => {
    const engine = new Engine([offline]);
    const sd = device('sd-1', 'smoke_detector', { heartbeatSec: 60 });
    engine.register(sd, sec(0), sec(-30)); // last heard 30 s before start-up: deadline at 150 s
    expect(engine.ticks(sec(1), sec(149))).toEqual([]);
    expect(engine.tick(sec(150))).toEqual([{
      kind: 'raise', ruleId: 'device.offline', subject: 'sd-1', deviceId: 'sd-1', siteId: 'site-1', zone: 'ward-3', port: null,
      repeat: false, at: sec(150), data: { lastSeenAt: sec(-30), deadline: sec(150) },
    }]);
    expect(engine.ticks(sec(151), sec(1000))).toEqual([]);
    expect(engine.telemetry(sd, sec(1001), { battery_pct: 80 })).toEqual([
      { kind: 'recover', ruleId: 'device.offline', subject: 'sd-1', deviceId: 'sd-1', siteId: 'site-1', at: sec(1001) },
    ]);
    expect(engine.ticks(sec(1002), sec(1180))).toEqual([]);
    expect(raises(engine.tick(sec(1181)))).toHaveLength(1);
  });

  it('counts the register time when the device was never heard from, and every message moves the deadline', () => {
    const engine = new Engine([offline]);
    const cs = device('cs-1', 'charging_station', { heartbeatSec: 30 });
    engine.register(cs, sec(0));
    engine.run({ kind: 'seen', device: cs, at: sec(50) });
    engine.event(cs, 'charger.power_off', sec(100), { port: 1 });
    expect(engine.ticks(sec(1), sec(189))).toEqual([]);
    expect(subjects(engine.tick(sec(190)))).toEqual(['raise device.offline cs-1']);
  });

  it('with 10,000 registered devices, a tick reports exactly the overdue ones', () => {
    const engine = new Engine([offline]);
    const overdue = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const d = device(`d-${i}`, (['smoke_detector', 'fire_panel', 'charging_station', 'hazmat_cabinet'] as const)[i % 4], { heartbeatSec: 60 });
      const lastSeen = i % 100 === 0 ? sec(-200) : sec(-(i % 170)); // every 100th device last heard 200 s ago
      if (lastSeen <= sec(-180)) overdue.add(d.id);
      engine.register(d, sec(0), lastSeen);
    }
    const effects = engine.tick(sec(0));
    expect(effects.every((e) => e.kind === 'raise' && e.ruleId === 'device.offline')).toBe(true);
    expect(new Set(effects.map((e) => e.subject))).toEqual(overdue);
    expect(effects).toHaveLength(100);
    expect(engine.state.timers.size).toBe(9_900); // only the overdue devices' timers were taken off the heap
    expect(engine.tick(sec(1))).toEqual([]);
    expect(engine.tick(sec(10))).toEqual([]);
    const next = Array.from({ length: 10_000 }, (_, i) => i).filter((i) => i % 170 === 169 && i % 100 !== 0).map((i) => `d-${i}`);
    expect(engine.tick(sec(11)).map((e) => e.subject).sort()).toEqual(next.sort());
  });

  it('forgets a device: no offline raise for it afterwards', () => {
    const engine = new Engine([offline]);
    engine.register(device('sd-1'), sec(0));
    engine.register(device('sd-2'), sec(0));
    engine.run({ kind: 'forget', deviceId: 'sd-1', at: sec(1) });
    expect(subjects(engine.tick(sec(180)))).toEqual(['raise device.offline sd-2']);
  });
});

describe('correlation conditions', () => {
  const multi = rule({
    id: 'zone.multi_detector_fire', name: '同一区域多个探测器火警', families: ['smoke_detector', 'fire_panel'],
    condition: { kind: 'correlation', types: ['smoke.alarm', 'fire.alarm'], minDevices: 2, windowSec: 120 },
    effects: [{ kind: 'alarm', likelyFire: true }],
  });

  it('raises when two devices of one zone alarm within the window, and again for a third', () => {
    const engine = new Engine([multi]);
    expect(engine.event(device('sd-1'), 'smoke.alarm', sec(0))).toEqual([]);
    expect(engine.event(device('sd-1'), 'smoke.alarm', sec(5))).toEqual([]);
    const second = engine.event(device('fp-1', 'fire_panel'), 'fire.alarm', sec(60), { loop: 1, point: 2 });
    expect(second).toEqual([{
      kind: 'raise', ruleId: 'zone.multi_detector_fire', subject: 'site-1/ward-3', deviceId: null, siteId: 'site-1', zone: 'ward-3', port: null,
      repeat: false, at: sec(60), data: { type: 'fire.alarm', id: 'e3', devices: ['sd-1', 'fp-1'] },
    }]);
    expect(engine.event(device('sd-1'), 'smoke.alarm', sec(61))).toEqual([]);
    expect(raises(engine.event(device('sd-3'), 'smoke.alarm', sec(70)))[0]).toMatchObject({ repeat: true, data: { devices: ['sd-1', 'fp-1', 'sd-3'] } });
  });

  it('does not correlate across zones, outside the window, or devices without a zone', () => {
    const engine = new Engine([multi]);
    engine.event(device('sd-1', 'smoke_detector', { zone: 'ward-3' }), 'smoke.alarm', sec(0));
    expect(engine.event(device('sd-2', 'smoke_detector', { zone: 'ward-4' }), 'smoke.alarm', sec(10))).toEqual([]);
    expect(engine.event(device('sd-3', 'smoke_detector', { zone: null }), 'smoke.alarm', sec(20))).toEqual([]);
    expect(engine.event(device('sd-4', 'smoke_detector', { zone: 'ward-3' }), 'smoke.alarm', sec(121))).toEqual([]);
    expect(engine.event(device('sd-5', 'smoke_detector', { zone: 'ward-3', siteId: 'site-2' }), 'smoke.alarm', sec(122))).toEqual([]);
  });
});

describe('rule selection', () => {
  it('skips disabled rules and rules of other families', () => {
    const disabled = rule({ ...smokeAlarm, id: 'off', enabled: false } as RuleInput);
    const panelOnly = rule({ ...smokeAlarm, id: 'panel-only', families: ['fire_panel'] } as RuleInput);
    const engine = new Engine([disabled, panelOnly, smokeAlarm]);
    expect(subjects(engine.event(device('sd-1'), 'smoke.alarm', sec(1)))).toEqual(['raise smoke.alarm sd-1']);
  });

  it('gives the same effects for the same inputs', () => {
    const run = () => {
      const engine = new Engine(defaultRules());
      const out: EngineEffect[] = [];
      for (let i = 0; i < 20; i++) engine.register(device(`sd-${i}`, 'smoke_detector', { zone: `z${i % 3}` }), 0);
      for (let i = 0; i < 20; i++) out.push(...engine.event(device(`sd-${i}`, 'smoke_detector', { zone: `z${i % 3}` }), 'smoke.alarm', sec(i)));
      out.push(...engine.tick(sec(400)));
      return out;
    };
    expect(run()).toEqual(run());
  });
});

describe('state across a restart', () => {
  it('continues where it left off: a pending held state, a pending metric, deadlines and open items', () => {
    const engine = new Engine(defaultRules());
    const fp = device('fp-1', 'fire_panel');
    const cs = device('cs-1', 'charging_station', { heartbeatSec: 30 });
    const sd = device('sd-1');
    engine.event(fp, 'isolation', sec(0), { loop: 4, point: 9 });
    engine.telemetry(cs, sec(0), { temperature_c: 70 }, 2);
    engine.event(sd, 'smoke.alarm', sec(0));
    engine.telemetry(fp, sec(3_600), { main_power_ok: true });

    const json = serializeState(engine.state);
    expect(JSON.parse(json).version).toBe(1);
    const restored = new Engine(defaultRules());
    restored.state = deserializeState(json);
    expect(serializeState(restored.state)).toBe(json);

    expect(subjects(restored.tick(sec(30))).sort()).toEqual(['raise charger.overtemp cs-1#port:2']);
    expect(subjects(restored.tick(sec(90)))).toEqual(['raise device.offline cs-1']);
    expect(raises(restored.event(sd, 'smoke.alarm', sec(100)))[0]).toMatchObject({ repeat: true });
    restored.telemetry(fp, sec(86_000), { main_power_ok: true });
    expect(subjects(restored.tick(sec(86_400))).filter((s) => s.includes('isolation'))).toEqual(['raise panel.isolation_24h fp-1#4:9']);
  });

  it('refuses a state of another version or a damaged one, naming what is wrong', () => {
    expect(() => deserializeState('{"version":0}')).toThrow(/version 0 is not 1/);
    const json = JSON.parse(serializeState(initialState()));
    json.timers = [{ due: 'soon' }];
    expect(() => deserializeState(JSON.stringify(json))).toThrow(/timers\.0\.due/);
  });
});

describe('default rules', () => {
  it('load, parse, have unique ids and Chinese names, and cover every family', () => {
    const rules = defaultRules();
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of rules) {
      expect(Rule.parse(JSON.parse(JSON.stringify(r)))).toEqual(r);
      expect(r.name).toMatch(/[\u4e00-\u9fff]/);
      expect(r.description).not.toBe('');
    }
    const ids = rules.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([
      'smoke.alarm', 'smoke.fault', 'smoke.battery_low', 'smoke.tamper', 'device.offline',
      'panel.fire_alarm', 'panel.fault', 'panel.isolation_24h', 'panel.main_power_fault', 'panel.backup_power_fault',
      'charger.overtemp', 'charger.overtemp_event', 'charger.overcurrent', 'charger.smoke',
      'cabinet.door_open_10min', 'cabinet.double_lock', 'cabinet.voc_over_limit', 'cabinet.fan_off_voc_rising', 'cabinet.leak',
      'zone.multi_detector_fire', 'detector.false_alarms',
    ]));
  });

  it('drive a charging port overheating during a holiday: power off, hazard and notice', () => {
    const holiday: SpecialPeriod = { name: 'holiday', label: '春节', from: '2026-02-15T00:00:00+08:00', to: '2026-02-24T00:00:00+08:00' };
    const t0 = Date.parse('2026-02-16T10:00:00+08:00');
    const engine = new Engine(defaultRules(), { periods: [holiday] });
    const cs = device('cs-9', 'charging_station', { heartbeatSec: 30 });
    engine.telemetry(cs, t0, { temperature_c: 61.5, current_a: 6 }, 5);
    expect(subjects(engine.tick(t0 + sec(15)))).toEqual(['raise charger.overtemp cs-9#port:5']);
    const rule = defaultRules().find((r) => r.id === 'charger.overtemp')!;
    expect(rule.effects.map((e) => e.kind)).toEqual(['command', 'hazard', 'notify']);
  });

  it('name the file, the rule and the field when a file is wrong', () => {
    expect(() => parseRuleFile('rules/defaults/x.json', [{ id: 'bad.rule', name: '坏', families: ['smoke_detector'], condition: { kind: 'held', startTypes: ['a'], endTypes: ['b'], forSec: -1 }, effects: [{ kind: 'alarm' }] }]))
      .toThrow('rules/defaults/x.json: rule "bad.rule": condition.forSec');
    expect(() => parseRuleFile('rules/defaults/y.json', {})).toThrow(/y\.json: an array of rules expected/);
  });
});
