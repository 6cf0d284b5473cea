// metric: per (rule, device, port) the latest value of each metric the rule reads. `when` must hold
// for `forSec` (stricter during special periods); once raised, the item recovers on `clearWhen`
// (hysteresis) or, without it, as soon as `when` stops holding.
import { periodActive, type MetricRule } from '../compile.js';
import type { Timer } from '../heap.js';
import type { MetricPredicate } from '../../../contracts/rules.js';
import { raise, recover, setTimer, type Step } from '../step.js';
import { openKey, type DeviceState, type MetricEntry } from '../state.js';
import { compare } from '../where.js';

/** Samples kept per `rising` window at most: a flood of frames thins out instead of growing memory. */
const SAMPLES_PER_WINDOW = 128;

type Metrics = Record<string, number | boolean>;

export function metricTelemetry(step: Step, m: MetricRule, device: DeviceState, metrics: Metrics, port: number | null): void {
  const touched = m.metrics.some((name) => metrics[name] !== undefined);
  const deviceId = device.facts.id;
  const subject = port === null ? deviceId : `${deviceId}#port:${port}`;
  const key = openKey(m.rule.id, subject);
  let entry = device.metric?.get(key);
  if (!entry) {
    if (!touched) return;
    entry = { ruleId: m.rule.id, subject, port, values: {}, samples: {}, pendingSince: null, timer: 0, due: 0 };
    (device.metric ??= new Map()).set(key, entry);
  }
  if (touched) record(step.at, m, entry, metrics);
  assess(step, m, device, key, entry);
}

export function metricTimer(step: Step, device: DeviceState, timer: Timer): void {
  const entry = device.metric?.get(timer.key);
  if (!entry || entry.timer !== timer.seq) return; // stale: no longer pending, or re-timed
  entry.timer = 0;
  const m = step.rules.metricById.get(entry.ruleId);
  if (!m || !m.rule.families.includes(device.facts.family)) {
    device.metric!.delete(timer.key);
    return;
  }
  assess(step, m, device, timer.key, entry);
}

/** Frames may carry only some metrics: the others keep their last known value. */
function record(at: number, m: MetricRule, entry: MetricEntry, metrics: Metrics): void {
  for (const name of m.metrics) {
    const v = metrics[name];
    if (v === undefined) continue;
    entry.values[name] = v;
    if (typeof v === 'number' && m.risingMetrics.includes(name)) addSample((entry.samples[name] ??= []), at, v, m.maxWindowMs);
  }
}

function addSample(samples: number[], at: number, v: number, windowMs: number): void {
  let drop = 0;
  while (drop < samples.length && samples[drop]! < at - windowMs) drop += 2;
  if (drop > 0) samples.splice(0, drop);
  const last = samples.length ? samples[samples.length - 2]! : -Infinity;
  if (at - last >= windowMs / SAMPLES_PER_WINDOW) samples.push(at, v);
}

function assess(step: Step, m: MetricRule, device: DeviceState, key: string, entry: MetricEntry): void {
  const { at } = step;
  const c = m.condition;
  const special = c.special && periodActive(step.ctx.periods, c.special.periods, at) ? c.special : undefined;
  const when = special?.when ?? c.when;
  if (step.state.open.has(key)) {
    if (c.clearWhen ? allHold(c.clearWhen, entry, at) : !allHold(when, entry, at)) recover(step, key);
    return;
  }
  if (!allHold(when, entry, at)) {
    entry.pendingSince = null;
    entry.timer = 0;
    return;
  }
  entry.pendingSince ??= at;
  const due = entry.pendingSince + (special?.forSec ?? c.forSec) * 1000;
  if (at < due) {
    if (entry.timer === 0 || entry.due !== due) {
      entry.timer = setTimer(step, 'metric', device.facts.id, key, due);
      entry.due = due;
    }
    return;
  }
  entry.pendingSince = null;
  entry.timer = 0;
  const data: Record<string, unknown> = {};
  for (const name of m.metrics) if (entry.values[name] !== undefined) data[name] = entry.values[name];
  if (entry.port !== null) data.port = entry.port;
  const { facts } = device;
  raise(step, m.rule, { subject: entry.subject, deviceId: facts.id, siteId: facts.siteId, zone: facts.zone, port: entry.port }, data);
}

function allHold(predicates: readonly MetricPredicate[], entry: MetricEntry, at: number): boolean {
  for (const p of predicates) if (!holds(p, entry, at)) return false;
  return true;
}

/** `rising`: the latest value minus the oldest sample within the window reaches minDelta. */
function holds(p: MetricPredicate, entry: MetricEntry, at: number): boolean {
  const value = entry.values[p.metric];
  if (!('rising' in p)) return compare(value, p.op, p.value);
  const samples = entry.samples[p.metric];
  if (typeof value !== 'number' || !samples) return false;
  const from = at - p.rising.windowSec * 1000;
  for (let i = 0; i < samples.length; i += 2) if (samples[i]! >= from) return value - samples[i + 1]! >= p.rising.minDelta;
  return false;
}
