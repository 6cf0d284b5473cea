// `npm run bench:rules`: the pure rules engine under a realistic fleet. 10,000 devices of the four
// families registered, the default rules, simulated minutes of mostly telemetry with some events and
// a tick every simulated second. Figures are shown against a reference measured in the same run
// (JSON.parse of each input's wire form: what the gateway spends just decoding it), since absolute
// numbers on a shared machine are noise.
import type { DeviceFamily } from '../contracts/device-api.js';
import { defaultRules } from '../platform/rules/defaults.js';
import { deserializeState, evaluate, initialState, serializeState, type EngineState } from '../platform/rules/engine.js';
import type { SpecialPeriod } from '../contracts/rules.js';
import type { DeviceFacts, EngineContext, EngineEffect, EngineInput } from '../platform/rules/types.js';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 600);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const T0 = Date.UTC(2026, 10, 22, 0, 0, 0);

/** mulberry32: the same stream on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(20261122);
const between = (min: number, max: number) => min + rand() * (max - min);
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

interface SimDevice { facts: DeviceFacts; phase: number; ports: number; silent: boolean }

const mix: ReadonlyArray<{ family: DeviceFamily; share: number; heartbeatSec: number }> = [
  { family: 'smoke_detector', share: 0.7, heartbeatSec: 60 },
  { family: 'fire_panel', share: 0.05, heartbeatSec: 60 },
  { family: 'charging_station', share: 0.15, heartbeatSec: 30 },
  { family: 'hazmat_cabinet', share: 0.1, heartbeatSec: 30 },
];

function fleet(): SimDevice[] {
  const devices: SimDevice[] = [];
  for (const { family, share, heartbeatSec } of mix) {
    for (let i = 0; i < Math.round(DEVICES * share); i++) {
      const n = devices.length;
      const site = `site-${n % 200}`;
      devices.push({
        facts: { id: `${family}-${i}`, family, siteId: site, zone: `${site}-ward-${Math.floor(n / 200) % 25}`, heartbeatSec },
        phase: Math.floor(rand() * heartbeatSec),
        ports: family === 'charging_station' ? 2 + (n % 9) : 1,
        silent: rand() < 0.005, // never reports: goes offline after 3 heartbeats
      });
    }
  }
  return devices;
}

function telemetry(d: SimDevice, t: number, at: number): EngineInput[] {
  const device = d.facts;
  switch (device.family) {
    case 'smoke_detector':
      return [{ kind: 'telemetry', device, port: null, at, metrics: { smoke_db_m: round(between(0, 0.05), 3), battery_pct: round(between(60, 100)), rssi_dbm: Math.round(between(-105, -70)) } }];
    case 'fire_panel':
      return [{ kind: 'telemetry', device, port: null, at, metrics: { main_power_ok: true, backup_power_ok: rand() > 0.01 } }];
    case 'transmission_device': // not in this bench's mix
      return [];
    case 'charging_station':
      return Array.from({ length: d.ports }, (_, port) => {
        const hot = port === 0 && d.phase % 97 === 0 && t > 120 && t < 300; // a few ports overheat for a while
        return { kind: 'telemetry', device, port, at, metrics: { temperature_c: round(hot ? between(66, 72) : between(25, 45)), current_a: round(between(0, 8), 2), voltage_v: round(between(215, 225)) } };
      });
    case 'hazmat_cabinet':
      return [{ kind: 'telemetry', device, port: null, at, metrics: { voc_ppm: round(between(2, 20), 2), temperature_c: round(between(18, 26)), humidity_pct: round(between(30, 60)), door_open: false, locked: true, fan_on: rand() > 0.02 } }];
  }
}

let eventNo = 0;
function event(device: DeviceFacts, type: string, at: number, data: Record<string, unknown> = {}): EngineInput {
  return { kind: 'event', device, event: { id: `ev-${++eventNo}`, ts: at, type, data }, at };
}

/** Incidents: a smoke alarm and its clear, a panel point in alarm then reset, a cabinet opened by one or two people, a fault. */
function incidents(devices: SimDevice[], at: number, later: Map<number, EngineInput[]>): EngineInput[] {
  const out: EngineInput[] = [];
  const schedule = (afterSec: number, input: EngineInput) => {
    const when = at + afterSec * 1000;
    const list = later.get(when) ?? [];
    list.push({ ...input, at: when } as EngineInput);
    later.set(when, list);
  };
  for (let k = 0; k < 3; k++) {
    const d = devices[Math.floor(rand() * devices.length)]!;
    if (d.silent) continue;
    const f = d.facts;
    switch (f.family) {
      case 'smoke_detector':
        out.push(event(f, rand() < 0.7 ? 'smoke.alarm' : 'fault', at, {}));
        schedule(Math.round(between(15, 45)), event(f, 'smoke.clear', at));
        break;
      case 'fire_panel': {
        const point = { loop: 1 + Math.floor(rand() * 4), point: 1 + Math.floor(rand() * 200) };
        out.push(event(f, rand() < 0.6 ? 'fire.alarm' : 'isolation', at, point));
        schedule(Math.round(between(30, 90)), event(f, 'panel.reset', at));
        break;
      }
      case 'charging_station':
        out.push(event(f, rand() < 0.8 ? 'charger.overcurrent' : 'charger.overtemp', at, { port: Math.floor(rand() * d.ports), current_a: round(between(8, 12), 2) }));
        break;
      case 'hazmat_cabinet':
        out.push(event(f, 'cabinet.door_open', at, { badges: rand() < 0.9 ? ['A1', 'B2'] : ['A1'] }));
        schedule(Math.round(between(60, 900)), event(f, 'cabinet.door_close', at));
        break;
    }
  }
  return out;
}

function workload(devices: SimDevice[]): EngineInput[] {
  const inputs: EngineInput[] = [];
  const later = new Map<number, EngineInput[]>();
  for (let t = 0; t < SECONDS; t++) {
    const at = T0 + t * 1000;
    for (const d of devices) if (!d.silent && (t - d.phase) % d.facts.heartbeatSec === 0) inputs.push(...telemetry(d, t, at));
    inputs.push(...incidents(devices, at, later), ...(later.get(at) ?? []));
    later.delete(at);
    inputs.push({ kind: 'tick', at });
  }
  return inputs;
}

const devices = fleet();
const inputs = workload(devices);
const wire = inputs.map((i) => JSON.stringify(i));
const rules = defaultRules();
const periods: SpecialPeriod[] = [];
const ctx: EngineContext = { rules, periods, site: (id) => ({ id, authorisedBadges: ['A1', 'B2', 'C3'] }) };

function registerAll(): EngineState {
  let state = initialState();
  for (const d of devices) state = evaluate(state, { kind: 'register', device: d.facts, lastSeenAt: T0 - d.phase * 1000, at: T0 }, ctx).state;
  return state;
}

function runEngine() {
  let state = registerAll();
  const effects: EngineEffect[] = [];
  let tickMs = 0;
  let tickMax = 0;
  const start = performance.now();
  for (const input of inputs) {
    if (input.kind === 'tick') {
      const t = performance.now();
      const out = evaluate(state, input, ctx);
      const spent = performance.now() - t;
      tickMs += spent;
      tickMax = Math.max(tickMax, spent);
      state = out.state;
      for (const e of out.effects) effects.push(e);
    } else {
      const out = evaluate(state, input, ctx);
      state = out.state;
      for (const e of out.effects) effects.push(e);
    }
  }
  return { ms: performance.now() - start, state, effects, tickMs, tickMax };
}

function runReference(): number {
  let sink = 0;
  const start = performance.now();
  for (const s of wire) sink += (JSON.parse(s) as { at: number }).at & 1;
  const ms = performance.now() - start;
  if (sink < 0) throw new Error('unreachable');
  return ms;
}

runEngine(); // warm-up
runReference();
const engineRuns = Array.from({ length: RUNS }, runEngine);
const referenceMs = Math.min(...Array.from({ length: RUNS }, runReference));
const best = engineRuns.reduce((a, b) => (b.ms < a.ms ? b : a));

const registerStart = performance.now();
registerAll();
const registerMs = performance.now() - registerStart;
const serStart = performance.now();
const json = serializeState(best.state);
const serMs = performance.now() - serStart;
const deStart = performance.now();
deserializeState(json);
const deMs = performance.now() - deStart;

const ticks = inputs.filter((i) => i.kind === 'tick').length;
const telemetryCount = inputs.filter((i) => i.kind === 'telemetry').length;
const eventCount = inputs.filter((i) => i.kind === 'event').length;
const count = (pred: (e: EngineEffect) => boolean) => best.effects.filter(pred).length;
const byRule = new Map<string, number>();
for (const e of best.effects) if (e.kind === 'raise' && !e.repeat) byRule.set(e.ruleId, (byRule.get(e.ruleId) ?? 0) + 1);
const perSec = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');

process.stdout.write([
  `Rules engine benchmark: ${devices.length.toLocaleString('en-US')} devices, ${rules.length} default rules, ${SECONDS} simulated seconds`,
  `(${telemetryCount.toLocaleString('en-US')} telemetry frames, ${eventCount.toLocaleString('en-US')} events, ${ticks} ticks; best of ${RUNS} runs)`,
  '',
  '| figure | value |',
  '|---|---|',
  `| inputs through evaluate() per second | ${perSec(inputs.length, best.ms)} |`,
  `| reference: JSON.parse of each input per second | ${perSec(inputs.length, referenceMs)} |`,
  `| engine time / reference time | ${(best.ms / referenceMs).toFixed(2)}x |`,
  `| whole stream (${(SECONDS / 60).toFixed(0)} simulated min) | ${best.ms.toFixed(0)} ms |`,
  `| tick: mean / max | ${((best.tickMs / ticks) * 1000).toFixed(1)} µs / ${(best.tickMax * 1000).toFixed(0)} µs |`,
  `| registering the fleet | ${registerMs.toFixed(0)} ms |`,
  `| state size, serialised | ${(json.length / 1024 / 1024).toFixed(2)} MB (${Math.round(json.length / devices.length)} bytes per device) |`,
  `| serialise / restore | ${serMs.toFixed(0)} ms / ${deMs.toFixed(0)} ms |`,
  `| effects | ${count((e) => e.kind === 'raise' && !e.repeat)} raises, ${count((e) => e.kind === 'raise' && e.repeat)} repeats, ${count((e) => e.kind === 'recover')} recoveries |`,
  `| first raises by rule | ${[...byRule].sort((a, b) => b[1] - a[1]).map(([id, n]) => `${id} ${n}`).join(', ')} |`,
  '',
].join('\n'));
