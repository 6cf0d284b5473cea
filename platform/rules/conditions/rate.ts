// rate: `count` matching events from one device within `windowSec` raise (repeat while open).
// No recovery: an item lapses silently once a whole window passes without a matching event, so
// the next burst is a new raise rather than a repeat of a long-gone one.
import type { Rule } from '../../../contracts/rules.js';
import { close, raise, type Step } from '../step.js';
import { openKey, type DeviceState } from '../state.js';
import type { EngineInput } from '../types.js';

type RateCondition = Extract<Rule['condition'], { kind: 'rate' }>;
type DeviceEvent = Extract<EngineInput, { kind: 'event' }>['event'];

export function rateCondition(step: Step, rule: Rule, c: RateCondition, device: DeviceState, event: DeviceEvent): void {
  if (!c.types.includes(event.type)) return;
  const { at } = step;
  const { facts } = device;
  const rates = (device.rate ??= new Map<string, number[]>());
  // Only the latest `count` times matter, so memory stays bounded whatever the event rate.
  const times = (rates.get(rule.id) ?? []).filter((t) => at - t <= c.windowSec * 1000);
  const key = openKey(rule.id, facts.id);
  if (times.length === 0) close(step.state, key);
  times.push(at);
  if (times.length > c.count) times.splice(0, times.length - c.count);
  rates.set(rule.id, times);
  if (times.length < c.count) return;
  raise(step, rule, { subject: facts.id, deviceId: facts.id, siteId: facts.siteId, zone: facts.zone, port: null },
    { type: event.type, id: event.id, count: times.length, windowSec: c.windowSec, times: [...times] });
}
